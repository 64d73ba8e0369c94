package io.sorthub.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The value of a record the journal exporter publishes to Kafka (format version 1,
 * docs/EXPORT.md): one journaled scan event with the hub's decision, and where it came from.
 * Little-endian like the hub protocol; the SCAN frame is carried byte for byte as the source
 * sent it, so consumers decode it with {@link ScanFlyweight}.
 *
 * <pre>
 *  +---------------+---------------+---------------+---------------+
 *  |  Version (1)  | Type (1=scan) |  Flags        | Hub id length |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Source Id (int32)                            |  4
 *  +---------------------------------------------------------------+
 *  |                  Journal position (int64)                     |  8
 *  +---------------------------------------------------------------+
 *  |                  Hub receive time, epoch ns (int64)           | 16
 *  +---------------------------------------------------------------+
 *  |                  Plan version (int64)                         | 24
 *  +---------------------------------------------------------------+
 *  |                  Rule id (int32)                              | 32
 *  +-------------------------------+---------------+---------------+
 *  |  Outlet decided (uint16)      | Reason (uint8)| Reserved (0)  | 36
 *  +-------------------------------+---------------+---------------+
 *  |  Hub id (ASCII, hub id length bytes, 1..32)                  ...  40
 *  +---------------------------------------------------------------+
 *  |  SCAN frame as in PROTOCOL.md (starts with its own length)   ...  40 + hub id length
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * (hub id, journal position) identifies an event across the network. Flag bit 0,
 * {@link #FLAG_POSSIBLE_DUPLICATE}, marks a record that may have been published before (sent
 * again after a broker failure or an exporter restart); a record without it never was.
 */
public final class ExportRecordFlyweight {
    public static final int FORMAT_VERSION = 1;
    public static final int TYPE_SCAN = 1;
    public static final int FLAG_POSSIBLE_DUPLICATE = 1;
    public static final int MAX_HUB_ID_LENGTH = 32;

    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int HUB_ID_LENGTH_OFFSET = 3;
    public static final int SOURCE_ID_OFFSET = 4;
    public static final int POSITION_OFFSET = 8;
    public static final int RECEIVED_AT_OFFSET = 16;
    public static final int PLAN_VERSION_OFFSET = 24;
    public static final int RULE_ID_OFFSET = 32;
    public static final int OUTLET_OFFSET = 36;
    public static final int REASON_OFFSET = 38;
    public static final int RESERVED_OFFSET = 39;
    public static final int HUB_ID_OFFSET = 40;
    public static final int MAX_LENGTH = HUB_ID_OFFSET + MAX_HUB_ID_LENGTH + Frame.MAX_FRAME_LENGTH;

    private MutableDirectBuffer buffer;
    private int offset;

    public ExportRecordFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Write the header; the SCAN frame goes at {@link #scanOffset()} after it.
     *
     * @param hubId ASCII, 1..32 characters (checked where it is configured)
     */
    public ExportRecordFlyweight encodeHeader(byte[] hubId, int sourceId, long position, long receivedAtNs,
                                              long planVersion, int ruleId, int outlet, int reasonCode, int flags) {
        buffer.putByte(offset + VERSION_OFFSET, (byte) FORMAT_VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte) TYPE_SCAN);
        buffer.putByte(offset + FLAGS_OFFSET, (byte) flags);
        buffer.putByte(offset + HUB_ID_LENGTH_OFFSET, (byte) hubId.length);
        buffer.putInt(offset + SOURCE_ID_OFFSET, sourceId, BYTE_ORDER);
        buffer.putLong(offset + POSITION_OFFSET, position, BYTE_ORDER);
        buffer.putLong(offset + RECEIVED_AT_OFFSET, receivedAtNs, BYTE_ORDER);
        buffer.putLong(offset + PLAN_VERSION_OFFSET, planVersion, BYTE_ORDER);
        buffer.putInt(offset + RULE_ID_OFFSET, ruleId, BYTE_ORDER);
        buffer.putShort(offset + OUTLET_OFFSET, (short) outlet, BYTE_ORDER);
        buffer.putByte(offset + REASON_OFFSET, (byte) reasonCode);
        buffer.putByte(offset + RESERVED_OFFSET, (byte) 0);
        buffer.putBytes(offset + HUB_ID_OFFSET, hubId);
        return this;
    }

    /**
     * Check a record read from Kafka before using it; when it is valid, {@code frames.scan()}
     * is its SCAN frame.
     *
     * @param length the record's length
     * @return null when it is a valid version-1 scan record, else what is wrong with it
     */
    public String validate(int length, FrameDecoder frames) {
        if (length < HUB_ID_OFFSET + 1) {
            return "record of " + length + " bytes is shorter than the header";
        }
        if (version() != FORMAT_VERSION || recordType() != TYPE_SCAN) {
            return "format version " + version() + ", type " + recordType() + " is not version 1 type 1";
        }
        final int hubIdLength = hubIdLength();
        if (hubIdLength < 1 || hubIdLength > MAX_HUB_ID_LENGTH || scanOffset() - offset >= length) {
            return "hub id length " + hubIdLength + " does not fit a record of " + length + " bytes";
        }
        if (frames.decode(buffer, scanOffset(), length - (scanOffset() - offset)) != MessageType.SCAN) {
            return "SCAN frame at byte " + (scanOffset() - offset) + ": " + frames.error();
        }
        return null;
    }

    public int version() {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    public int recordType() {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public int flags() {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public boolean possibleDuplicate() {
        return (flags() & FLAG_POSSIBLE_DUPLICATE) != 0;
    }

    public int hubIdLength() {
        return buffer.getByte(offset + HUB_ID_LENGTH_OFFSET) & 0xFF;
    }

    /** Allocates: for consumers and tools. */
    public String hubId() {
        final byte[] bytes = new byte[hubIdLength()];
        buffer.getBytes(offset + HUB_ID_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    public long position() {
        return buffer.getLong(offset + POSITION_OFFSET, BYTE_ORDER);
    }

    public long receivedAtNs() {
        return buffer.getLong(offset + RECEIVED_AT_OFFSET, BYTE_ORDER);
    }

    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public int ruleId() {
        return buffer.getInt(offset + RULE_ID_OFFSET, BYTE_ORDER);
    }

    public int outlet() {
        return buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int reasonCode() {
        return buffer.getByte(offset + REASON_OFFSET) & 0xFF;
    }

    public DecisionReason reason() {
        return DecisionReason.fromCode(reasonCode());
    }

    /** Offset in the buffer of the SCAN frame. */
    public int scanOffset() {
        return offset + HUB_ID_OFFSET + hubIdLength();
    }

    public DirectBuffer buffer() {
        return buffer;
    }
}
