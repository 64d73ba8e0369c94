package io.sorthub.gateway.cleanroom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An induction scanner (and its sorter) on the gateway's generic-CSV device port: sends
 * {@code id,code,destination,weight,length,width,height,time<LF>} (SCANNERS.md, "Profiles"; an empty
 * time means the gateway's clock) and reads the answer lines {@code id,outlet<LF>} ("Answers").
 */
final class Sorter implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Thread reader;

    Sorter(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        final InputStream in = socket.getInputStream();
        reader = new Thread(() -> {
            final StringBuilder line = new StringBuilder();
            try {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    if (b == '\n') {
                        answers.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append((char) b);
                    }
                }
            } catch (IOException closed) {
                // the test closed it, or the gateway went away
            }
        }, "cleanroom-sorter");
        reader.setDaemon(true);
        reader.start();
    }

    static String read(String parcelId, String barcode) {
        return parcelId + "," + barcode + ",518057,1200,300,200,100,\n";
    }

    void send(String parcelId, String barcode) throws IOException {
        out.write(read(parcelId, barcode).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The next answer line, or a failure naming what was expected when none comes in time. */
    String next(Duration timeout, String what) throws InterruptedException {
        final String a = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (a == null) {
            throw new AssertionError("the sorter got no answer line within " + timeout + " (expected " + what + ")");
        }
        return a;
    }

    /** The next {@code n} answer lines, in the order they came. */
    List<String> next(int n, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<String> got = new ArrayList<>();
        while (got.size() < n) {
            final String a = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (a == null) {
                throw new AssertionError("the sorter got " + got.size() + " of " + n + " answer lines within " + timeout + ": " + got);
            }
            got.add(a);
        }
        return got;
    }

    /** Answer lines that came and were not taken yet. */
    List<String> pending() {
        final List<String> rest = new ArrayList<>();
        answers.drainTo(rest);
        return rest;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
