package io.sorthub.hub.journal;

import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * Where the journal writer puts records: appends, then one {@link #force} per batch makes
 * everything appended so far durable at the configured {@link Durability}. Writer thread only.
 * Every method may throw: the writer treats any failure as fatal (fail-stop), because a record
 * it cannot vouch for must never be acknowledged.
 */
public interface JournalWriter extends AutoCloseable {
    /** Append one record; returns its journal index. */
    long append(DirectBuffer buffer, int offset, int length);

    /** Append one control record (plan, outlet state, audit...); returns its journal index. */
    long append(byte[] record);

    /** Make every record appended so far durable at the configured level. */
    void force() throws IOException;

    /** The cycle the next record goes to, by the journal's clock. */
    int cycleNow();

    /** The cycle of the last record appended (Integer.MIN_VALUE before the first). */
    int lastCycle();

    @Override
    void close();
}
