package io.sorthub.hub.cleanroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sorthub.hub.cleanroom.Wire;
import io.sorthub.hub.cleanroom.WireClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A scan source of one protocol version over a real socket: numbers its SCANs on from
 * WELCOME's resume point, takes the hub's frames in order, and waits for a SCAN's DECISION
 * and, when asked, for the ACK covering everything it sent.
 */
final class Source implements AutoCloseable {
    final int id;
    final int version;
    final WireClient client;
    private long sequence;
    /** The highest ACK this source has taken off the session (not merely received). */
    private long acked;

    private Source(int id, int version, WireClient client) {
        this.id = id;
        this.version = version;
        this.client = client;
        this.sequence = client.welcome.resumeSequence();
        this.acked = sequence;
    }

    static Source open(int port, int version, int id) throws IOException {
        return new Source(id, version, WireClient.hello(port, version, id, Ops.WAIT));
    }

    /** A SCAN of this source's version with the next sequence: fill in the fields, then {@link #decide}. */
    Wire.Scan scan(int kind) {
        return Wire.scan().version(version).sequence(++sequence).kind(kind).scannerId("S" + id);
    }

    /** Sends the SCAN and returns its DECISION; fails on anything else (an ERROR, the end of the session). */
    Wire.Frame decide(Wire.Scan scan) throws IOException {
        client.send(scan.frame());
        while (true) {
            final Wire.Frame f = take();
            if (f.type() == Wire.DECISION && f.decisionSequence() == scan.sequence()) {
                return f;
            }
            if (f.type() != Wire.ACK) {
                throw new AssertionError("source " + id + ": SCAN " + scan.sequence() + " answered " + f);
            }
        }
    }

    /** Sends the SCANs in one write, as a busy line does, and waits until they are all journaled. */
    void stream(List<Wire.Scan> scans) throws IOException {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Wire.Scan s : scans) {
            all.writeBytes(s.frame());
        }
        client.send(all.toByteArray());
        durable();
    }

    /** A sorter's or station's event (confirmation, bag, re-key) about a chute, decided and then durable. */
    Wire.Frame event(int kind, String barcode, int outlet, String parcelId) throws IOException {
        final Wire.Frame d = decide(scan(kind).barcode(barcode).outlet(outlet).parcelId(parcelId));
        durable();
        return d;
    }

    /** A SORT_REQUEST for the barcode to the destination, decided. */
    Wire.Frame sort(String barcode, String destination) throws IOException {
        return decide(scan(Wire.SORT_REQUEST).barcode(barcode).destination(destination));
    }

    /** Waits for the ACK of everything this source sent: the hub journaled it. DECISIONs on the way are passed over. */
    void durable() {
        while (acked < sequence) {
            final Wire.Frame f = take();
            if (f.type() != Wire.ACK && f.type() != Wire.DECISION) {
                throw new AssertionError("source " + id + " waiting for the ACK of " + sequence + " received " + f);
            }
        }
    }

    private Wire.Frame take() {
        final Wire.Frame f = client.next(Ops.WAIT);
        if (f.type() == Wire.ACK) {
            acked = Math.max(acked, f.ackSequence());
        }
        assertThat(client.violations).as("what source %d (version %d) received", id, version).isEmpty();
        return f;
    }

    @Override
    public void close() {
        client.close();
    }
}
