package io.sorthub.hub.ops;

import io.sorthub.test.Await;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.client.HubClient;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A test source speaking protocol version 1 or 2; records every DECISION with its flags. */
public final class V2Source implements HubClient.Listener, AutoCloseable {
    public record Reply(long sequence, int outlet, DecisionReason reason, int flags, int version) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    final ConcurrentHashMap<Long, Reply> decisions = new ConcurrentHashMap<>();
    final AtomicLong lastAck = new AtomicLong();
    final AtomicReference<String> error = new AtomicReference<>();
    final HubClient client;
    private long sequence;

    public V2Source(int port, int sourceId, int version) throws IOException {
        client = HubClient.connect("127.0.0.1", port, sourceId, "src-" + sourceId, "", Duration.ofSeconds(10), version);
        client.start(this);
    }

    /** Send one SCAN; {@code parcelId} only in version 2. Returns its sequence. */
    public long send(EventKind kind, String barcode, String destination, int outlet, String parcelId) throws IOException {
        final long seq = ++sequence;
        final ScanFlyweight scan = client.scan(); // wraps for encoding: once per frame
        scan.sequence(seq).deviceTimeMs(System.currentTimeMillis()).kind(kind).weightGrams(500).outlet(outlet);
        if (client.version() >= 2) {
            scan.strings("T1", barcode, destination, "C1", parcelId);
        } else {
            scan.strings("T1", barcode, destination, "C1");
        }
        client.sendScan();
        client.flush();
        return seq;
    }

    public Reply decision(long seq) {
        Await.until(WAIT, () -> decisions.containsKey(seq) || error.get() != null,
            () -> "no DECISION for " + seq + " from source " + client.sourceId());
        if (!decisions.containsKey(seq)) {
            throw new AssertionError("ERROR instead of a DECISION for " + seq + ": " + error.get());
        }
        return decisions.get(seq);
    }

    public void awaitAck(long seq) {
        Await.until(WAIT, () -> lastAck.get() >= seq, () -> "ACK " + lastAck.get() + " of " + seq + ", error " + error.get());
    }

    @Override
    public void onDecision(DecisionFlyweight d) {
        decisions.put(d.sequence(), new Reply(d.sequence(), d.outlet(), d.reason(), d.flags(), d.version()));
    }

    @Override
    public void onAck(long seq) {
        lastAck.accumulateAndGet(seq, Math::max);
    }

    @Override
    public void onError(ErrorCode code, long seq, String message) {
        error.set(code + ": " + message);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
