package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Type 8, hub pair, replicated: an instance became the pair's active. Standbys, and through
 * them the gateways, learn from it where the active takes scans.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Address Length (int32)                       |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------------------------------------------------------+
 *  |                  Term (int64: 1, 2, 3... one more a takeover) | 16
 *  +---------------+-----------------------------------------------+
 *  |Instance Length| Instance (ASCII)                             ... 24
 *  +---------------+-----------------------------------------------+
 *  |                  Address (ASCII, host:port of its scan port) ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PairActiveRecord extends RecordFlyweight {
    public static final int ADDRESS_LENGTH_OFFSET = TYPE_INT_OFFSET;
    public static final int TERM_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int INSTANCE_LENGTH_OFFSET = TERM_OFFSET + SIZE_OF_LONG;
    public static final int INSTANCE_OFFSET = INSTANCE_LENGTH_OFFSET + SIZE_OF_BYTE;

    /** {@code instance} became the pair's active for {@code term}, taking scans at {@code address}. */
    public static byte[] encode(String instance, String address, long term, long atNs) {
        final byte[] id = instance.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] at = address.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final PairActiveRecord record = new PairActiveRecord();
        record.wrapNew(INSTANCE_OFFSET + id.length + at.length);
        record.header(JournalRecord.TYPE_PAIR_ACTIVE, atNs);
        record.term(term);
        final org.agrona.MutableDirectBuffer b = record.buffer;
        b.putInt(ADDRESS_LENGTH_OFFSET, at.length, BYTE_ORDER);
        record.putAsciiAfterLength(INSTANCE_LENGTH_OFFSET, id);
        b.putBytes(INSTANCE_OFFSET + id.length, at);
        return record.bytes();
    }

    @Override
    public PairActiveRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** The active's term (1, 2, 3... one more at each takeover). */
    public long term() {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public PairActiveRecord term(long term) {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    /** The instance that became active. */
    public String instance() {
        return asciiAfterLength(offset + INSTANCE_LENGTH_OFFSET);
    }

    /** Where it takes scans (host:port). */
    public String address() {
        final int idLength = buffer.getByte(offset + INSTANCE_LENGTH_OFFSET) & 0xFF;
        return buffer.getStringWithoutLengthAscii(offset + INSTANCE_OFFSET + idLength,
            buffer.getInt(offset + ADDRESS_LENGTH_OFFSET, BYTE_ORDER));
    }
}
