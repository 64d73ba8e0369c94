package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Type 9, hub pair, replicated: the device credentials a pair's active took, after an admin
 * changed them, as a devices file of SHA-256 digests (never a secret).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Text Length (int32)                          |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------------------------------------------------------+
 *  |                  Devices file (YAML, digests only, UTF-8)    ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DevicesRecord extends RecordFlyweight {
    public static final int TEXT_LENGTH_OFFSET = TYPE_INT_OFFSET;
    public static final int TEXT_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;

    /** The record of a devices file of digests, taken at {@code atNs}. */
    public static byte[] encode(String digestsYaml, long atNs) {
        final byte[] text = digestsYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final DevicesRecord record = new DevicesRecord();
        record.wrapNew(TEXT_OFFSET + text.length);
        record.header(JournalRecord.TYPE_DEVICES, atNs);
        record.text(text);
        return record.bytes();
    }

    @Override
    public DevicesRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** The devices file (digests only). */
    public String text() {
        return utf8(offset + TEXT_OFFSET, buffer.getInt(offset + TEXT_LENGTH_OFFSET, BYTE_ORDER));
    }

    /** Set the text (UTF-8) and its length; the record must have room for it. */
    public DevicesRecord text(byte[] utf8) {
        buffer.putInt(offset + TEXT_LENGTH_OFFSET, utf8.length, BYTE_ORDER);
        buffer.putBytes(offset + TEXT_OFFSET, utf8);
        return this;
    }
}
