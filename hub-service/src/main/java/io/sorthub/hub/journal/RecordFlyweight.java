package io.sorthub.hub.journal;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * The 16 bytes every journal record starts with; each record type's flyweight extends it with
 * its own fields. Two header fields belong to the type: byte 2 (an operations change's op) and
 * the int at 4 (a source id, an outlet, a count or a length), so each type's layout names them.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version |  Type's byte  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Type's int32                                 |  4
 *  +---------------------------------------------------------------+
 *  |                  Received At (int64, epoch ns, hub clock)     |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  The type's fields                           ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public abstract class RecordFlyweight {
    public static final byte VERSION = 1;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = TYPE_OFFSET + SIZE_OF_BYTE;
    /** A byte the record type may use; 0 when it does not. */
    public static final int TYPE_BYTE_OFFSET = VERSION_OFFSET + SIZE_OF_BYTE;
    public static final int RECORD_FLAGS_OFFSET = TYPE_BYTE_OFFSET + SIZE_OF_BYTE;
    /** An int32 the record type names (source id, outlet, count, length). */
    public static final int TYPE_INT_OFFSET = RECORD_FLAGS_OFFSET + SIZE_OF_BYTE;
    public static final int RECEIVED_AT_OFFSET = TYPE_INT_OFFSET + SIZE_OF_INT;
    public static final int HEADER_LENGTH = RECEIVED_AT_OFFSET + SIZE_OF_LONG;

    /**
     * Record flags bit 0: written by this instance's checkpoint (a copy of the plan, of the
     * operations tables): not part of any batch of a hub pair's log, so never counted as one.
     */
    public static final int RECORD_FLAG_CHECKPOINT = 1;

    protected MutableDirectBuffer buffer;
    protected int offset;

    /** Wrap a record at {@code offset} of {@code buffer}, for reading or writing. */
    public RecordFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** The buffer the record is read from, and its offset there. */
    public final MutableDirectBuffer buffer() {
        return buffer;
    }

    public final int offset() {
        return offset;
    }

    public final int type() {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public final int version() {
        return buffer.getByte(offset + VERSION_OFFSET);
    }

    public final int recordFlags() {
        return buffer.getByte(offset + RECORD_FLAGS_OFFSET) & 0xFF;
    }

    /** When the hub received or made the record (epoch ns). */
    public final long receivedAtNs() {
        return buffer.getLong(offset + RECEIVED_AT_OFFSET, BYTE_ORDER);
    }

    /** Start a record of {@code type}: its type, this version, no flags, its time. */
    protected final void header(byte type, long receivedAtNs) {
        buffer.putByte(offset + TYPE_OFFSET, type);
        buffer.putByte(offset + VERSION_OFFSET, VERSION);
        buffer.putByte(offset + TYPE_BYTE_OFFSET, (byte) 0);
        buffer.putByte(offset + RECORD_FLAGS_OFFSET, (byte) 0);
        buffer.putLong(offset + RECEIVED_AT_OFFSET, receivedAtNs, BYTE_ORDER);
    }

    /** Wrap a new zeroed array of {@code length} bytes at offset 0, for writing: records made off the hot path. */
    protected final void wrapNew(int length) {
        wrap(new UnsafeBuffer(new byte[length]), 0);
    }

    /** The record {@link #wrapNew} made. */
    protected final byte[] bytes() {
        return buffer.byteArray();
    }

    /** Mark a record (bytes as made by the record flyweights) as a checkpoint's copy. */
    public static byte[] checkpointCopy(byte[] record) {
        record[RECORD_FLAGS_OFFSET] |= RECORD_FLAG_CHECKPOINT;
        return record;
    }

    /** {@code text} as ASCII, cut to the 255 bytes a length byte can count. */
    protected static byte[] ascii255(String text) {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return bytes.length <= 255 ? bytes : java.util.Arrays.copyOf(bytes, 255);
    }

    /** Read {@code length} bytes at {@code at} (absolute) as UTF-8. */
    protected final String utf8(int at, int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(at, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Write {@code ascii} (at most 255 bytes) after its length byte at {@code lengthAt} (absolute). */
    protected final void putAsciiAfterLength(int lengthAt, byte[] ascii) {
        buffer.putByte(lengthAt, (byte) ascii.length);
        buffer.putBytes(lengthAt + 1, ascii);
    }

    /** Read the ASCII text after the length byte at {@code lengthAt} (absolute). */
    protected final String asciiAfterLength(int lengthAt) {
        return buffer.getStringWithoutLengthAscii(lengthAt + 1, buffer.getByte(lengthAt) & 0xFF);
    }
}
