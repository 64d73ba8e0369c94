package io.sorthub.gateway.sim;

import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated induction scanner speaking the generic-CSV profile to a gateway: one line per
 * parcel ({@code parcelId,barcode,destination,weight,length,width,height,epochMs}), reading
 * the gateway's answer lines ({@code parcelId,outlet}). Open loop; latency from the intended
 * send time to the answer.
 */
final class NativeSource implements Runnable {
    /** The machine's clocks: this tool paces and times real traffic. */
    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;
    private static final EpochClock WALL = SystemEpochClock.INSTANCE;
    private final Socket socket;
    private final BufferedWriter out;
    private final BufferedReader in;
    private final TrafficGenerator traffic;
    private final String name;
    private final long intervalNs;
    private final long limit;
    private final long deadlineNs;
    private final ConcurrentHashMap<String, Long> intended = new ConcurrentHashMap<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final ScanFlyweight scan = new ScanFlyweight();
    final Recorder answerLatency = new Recorder(3);
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong noReads = new AtomicLong();
    /** Answers by the outlet they named (what the sorter was told). */
    final AtomicLongArray byOutlet = new AtomicLongArray(0x1_0000);
    volatile String error;
    private volatile boolean stopping;
    private long parcel;

    NativeSource(String host, int port, int index, long ratePerSecond, long limit, long deadlineNs, long seed, String run)
        throws IOException {
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1), 64 * 1024);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        this.name = "S" + index;
        this.traffic = new TrafficGenerator(seed, "N" + index, run, seq -> 0);
        this.intervalNs = ratePerSecond <= 0 ? 0 : Math.max(1, 1_000_000_000L / ratePerSecond);
        this.limit = limit;
        this.deadlineNs = deadlineNs;
        final Thread reader = new Thread(this::readAnswers, "native-answers-" + index);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void run() {
        final long start = CLOCK.nanoTime();
        try {
            while (!stopping && sent.get() < limit && CLOCK.nanoTime() < deadlineNs) {
                final long due = intervalNs == 0 ? sent.get() + 64 : (CLOCK.nanoTime() - start) / intervalNs + 1;
                int batch = 0;
                while (sent.get() < due && sent.get() < limit && batch < 256) {
                    // Take the next induction read of the simulated traffic, as the scanner prints it.
                    do {
                        scan.wrapForEncode(buffer, 0).sequence(1);
                        traffic.next(scan, WALL.time());
                    } while (scan.kindCode() != EventKind.SORT_REQUEST.code() && scan.kindCode() != EventKind.NO_READ.code());
                    final String parcelId = name + "-" + (++parcel);
                    final String barcode = scan.kindCode() == EventKind.NO_READ.code() ? "NOREAD" : scan.barcode();
                    if (scan.kindCode() == EventKind.NO_READ.code()) {
                        noReads.incrementAndGet();
                    }
                    intended.put(parcelId, intervalNs == 0 ? CLOCK.nanoTime() : start + sent.get() * intervalNs);
                    out.write(parcelId + "," + barcode + "," + scan.destination() + "," + scan.weightGrams() + ","
                        + scan.lengthMm() + "," + scan.widthMm() + "," + scan.heightMm() + "," + scan.deviceTimeMs() + "\n");
                    sent.incrementAndGet();
                    batch++;
                }
                out.flush();
                if (batch == 0 && intervalNs > 0) {
                    LockSupport.parkNanos(Math.max(start + sent.get() * intervalNs - CLOCK.nanoTime(), 10_000));
                } else if (intervalNs == 0 && sent.get() - answered.get() > 10_000) {
                    LockSupport.parkNanos(100_000); // full speed: keep at most 10k reads unanswered
                }
            }
            out.flush();
        } catch (IOException e) {
            error = "send failed: " + e.getMessage();
        }
    }

    private void readAnswers() {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                final int comma = line.indexOf(',');
                final Long t = comma < 0 ? null : intended.remove(line.substring(0, comma));
                if (t != null) {
                    answerLatency.recordValue(Math.max(0, CLOCK.nanoTime() - t));
                    answered.incrementAndGet();
                    final int outlet = outlet(line, comma + 1);
                    if (outlet >= 0) {
                        byOutlet.incrementAndGet(outlet);
                    }
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                error = "gateway connection lost: " + e.getMessage();
            }
        }
    }

    /** The outlet number after the parcel id, or -1 when it is not one. */
    private static int outlet(String line, int from) {
        int value = 0;
        int end = from;
        while (end < line.length() && Character.isDigit(line.charAt(end)) && value <= 0xFFFF) {
            value = value * 10 + line.charAt(end++) - '0';
        }
        return end == from || value > 0xFFFF ? -1 : value;
    }

    void stop() {
        stopping = true;
    }

    void close() throws IOException {
        stopping = true;
        socket.close();
    }
}
