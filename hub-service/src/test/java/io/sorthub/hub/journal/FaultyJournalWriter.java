package io.sorthub.hub.journal;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The real journal writer with faults injected where a test says: the Nth scan append
 * throws, or the force does. It also records what a test wants to know about the calls
 * (how many forces, and a value observed at each, e.g. a source's published sequence).
 */
public final class FaultyJournalWriter implements JournalWriter {
    private final JournalWriter real;
    private final LongSupplier observedAtForce;
    /** 1-based scan append that throws; -1 for none. */
    public volatile int failAtAppend = -1;
    public volatile boolean failForce;
    public int appends;
    public int forces;
    public final List<Long> observed = new ArrayList<>();

    public FaultyJournalWriter(JournalWriter real, LongSupplier observedAtForce) {
        this.real = real;
        this.observedAtForce = observedAtForce;
    }

    public FaultyJournalWriter failingAt(int append) {
        failAtAppend = append;
        return this;
    }

    @Override
    public long append(DirectBuffer buffer, int offset, int length) {
        if (++appends == failAtAppend) {
            throw new IllegalStateException("injected: device error on the journal disk");
        }
        return real.append(buffer, offset, length);
    }

    @Override
    public long append(byte[] record) {
        return real.append(record);
    }

    @Override
    public void force() throws IOException {
        forces++;
        observed.add(observedAtForce.getAsLong());
        if (failForce) {
            throw new IOException("injected: fdatasync failed");
        }
        real.force();
    }

    @Override
    public int cycleNow() {
        return real.cycleNow();
    }

    @Override
    public int lastCycle() {
        return real.lastCycle();
    }

    @Override
    public void close() {
        real.close();
    }
}
