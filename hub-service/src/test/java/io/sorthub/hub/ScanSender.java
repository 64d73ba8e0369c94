package io.sorthub.hub;

import io.sorthub.test.Await;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.client.HubClient;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A test source: sends scans through {@link HubClient} and records every reply. */
public final class ScanSender implements HubClient.Listener, AutoCloseable {
    public record Reply(long sequence, int outlet, DecisionReason reason, int ruleId, long planVersion) {
    }

    public final ConcurrentHashMap<Long, Reply> decisions = new ConcurrentHashMap<>();
    public final AtomicLong decisionCount = new AtomicLong();
    public final AtomicLong lastAck = new AtomicLong();
    public final AtomicReference<String> error = new AtomicReference<>();
    public volatile boolean closed;
    public final HubClient client;

    public ScanSender(int port, int sourceId) throws IOException {
        client = HubClient.connect("127.0.0.1", port, sourceId, "test-" + sourceId, "", Duration.ofSeconds(10));
        client.start(this);
    }

    /** Destination and barcode are derived from the sequence so a test can predict the outlet. */
    public static String destination(long sequence) {
        return DESTINATIONS[(int) (sequence % DESTINATIONS.length)];
    }

    public static String barcode(int sourceId, long sequence) {
        return "SH" + sourceId + "X" + sequence;
    }

    /** Destinations of the demo plan and the outlet each must get. */
    static final String[] DESTINATIONS = {"100080", "518057", "599999", "200001", "999999", "430070"};
    static final int[] EXPECTED_OUTLETS = {1, 5, 9, 3, 98, 8};

    public static int expectedOutlet(long sequence) {
        return EXPECTED_OUTLETS[(int) (sequence % DESTINATIONS.length)];
    }

    public void send(long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            client.scan().sequence(seq).deviceTimeMs(System.currentTimeMillis()).kind(EventKind.SORT_REQUEST)
                .weightGrams(500).strings("T1", barcode(client.sourceId(), seq), destination(seq), "C1");
            client.sendScan();
            if (seq % 64 == 0) {
                client.flush();
            }
        }
        client.flush();
    }

    public void awaitAck(long sequence, Duration timeout) {
        Await.until(timeout, () -> lastAck.get() >= sequence,
            () -> "source " + client.sourceId() + " acked " + lastAck.get() + " of " + sequence + ", error " + error.get());
    }

    @Override
    public void onDecision(DecisionFlyweight d) {
        decisions.put(d.sequence(), new Reply(d.sequence(), d.outlet(), d.reason(), d.ruleId(), d.planVersion()));
        decisionCount.incrementAndGet();
    }

    @Override
    public void onAck(long sequence) {
        lastAck.accumulateAndGet(sequence, Math::max);
    }

    @Override
    public void onError(ErrorCode code, long sequence, String message) {
        error.set(code + ": " + message);
    }

    @Override
    public void onClosed(Throwable cause) {
        closed = true;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
