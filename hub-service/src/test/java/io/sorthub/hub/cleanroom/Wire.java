package io.sorthub.hub.cleanroom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The hub protocol's frames, written from the tables of docs/PROTOCOL.md alone: every integer
 * little-endian, an 8-byte header (uint32 whole-frame length, uint8 version, uint8 type,
 * uint16 reserved), strings as var8 (uint8 length, ASCII bytes).
 */
final class Wire {
    static final int HELLO = 0x01;
    static final int WELCOME = 0x02;
    static final int SCAN = 0x10;
    static final int DECISION = 0x11;
    static final int ACK = 0x12;
    static final int HEARTBEAT = 0x20;
    static final int ERROR = 0x7F;

    // ERROR codes (PROTOCOL.md, "ERROR (0x7F)")
    static final int MALFORMED_FRAME = 1;
    static final int FRAME_TOO_LARGE = 2;
    static final int UNSUPPORTED_VERSION = 3;
    static final int UNKNOWN_TYPE = 4;
    static final int TRUNCATED_FIELD = 5;
    static final int FIELD_TOO_LONG = 6;
    static final int INVALID_FIELD = 7;
    static final int PROTOCOL_VIOLATION = 8;
    static final int SESSION_REPLACED = 9;
    static final int UNAVAILABLE = 10;

    // DECISION reasons
    static final int REASON_RECORDED = 0;
    static final int REASON_DUPLICATE = 9;

    // Event kinds
    static final int ARRIVAL = 1;
    static final int SORT_REQUEST = 2;

    private Wire() {
    }

    /** A frame: header with the given version and type, then the body; the length is computed. */
    static byte[] frame(int version, int type, byte[] body) {
        final ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8 + body.length).put((byte) version).put((byte) type).putShort((short) 0).put(body);
        return b.array();
    }

    static byte[] frame(int type, byte[] body) {
        return frame(1, type, body);
    }

    static byte[] hello(int sourceId, String name, String credential) {
        final Body b = new Body().i32(sourceId).i32(0).var8(name).var8(credential);
        return frame(HELLO, b.bytes());
    }

    static byte[] hello(int sourceId) {
        return hello(sourceId, "cleanroom-" + sourceId, "");
    }

    /** A SORT_REQUEST for a barcode derived from source and sequence (every parcel distinct). */
    static byte[] scan(int sourceId, long sequence) {
        return scan(sequence, SORT_REQUEST, "S" + sourceId, "CR" + sourceId + "X" + sequence, "100000", "acme");
    }

    static byte[] scan(long sequence, int kind, String scannerId, String barcode, String destination, String customer) {
        return frame(SCAN, scanBody(sequence, kind, scannerId, barcode, destination, customer));
    }

    static byte[] scanBody(long sequence, int kind, String scannerId, String barcode, String destination, String customer) {
        return new Body().i64(sequence).i64(System.currentTimeMillis()).i32(1200)
            .u16(300).u16(200).u16(100)
            .u8(kind).u8(1).u8(0).u8(0).u16(0)
            .var8(scannerId).var8(barcode).var8(destination).var8(customer).bytes();
    }

    static byte[] heartbeat(long timeMs) {
        return frame(HEARTBEAT, new Body().i64(timeMs).bytes());
    }

    /** Little-endian body builder. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body u8(int v) {
            out.write(v & 0xFF);
            return this;
        }

        Body u16(int v) {
            return u8(v).u8(v >>> 8);
        }

        Body i32(int v) {
            return u16(v).u16(v >>> 16);
        }

        Body i64(long v) {
            return i32((int) v).i32((int) (v >>> 32));
        }

        Body var8(String s) {
            final byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            u8(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Body raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** One frame received from the hub, decoded by its type's table. */
    record Frame(int version, int type, byte[] bytes) {
        private ByteBuffer le() {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        int length() {
            return bytes.length;
        }

        // WELCOME
        int welcomeSourceId() {
            return le().getInt(8);
        }

        int heartbeatIntervalMs() {
            return le().getInt(12);
        }

        long resumeSequence() {
            return le().getLong(16);
        }

        long serverTimeMs() {
            return le().getLong(24);
        }

        long sortPlanVersion() {
            return le().getLong(32);
        }

        int maxFrameLength() {
            return le().getInt(40);
        }

        // DECISION
        long decisionSequence() {
            return le().getLong(8);
        }

        long decisionPlanVersion() {
            return le().getLong(16);
        }

        int ruleId() {
            return le().getInt(24);
        }

        int outlet() {
            return le().getShort(28) & 0xFFFF;
        }

        int reason() {
            return bytes[30] & 0xFF;
        }

        // ACK
        int ackSourceId() {
            return le().getInt(8);
        }

        long ackSequence() {
            return le().getLong(16);
        }

        // HEARTBEAT
        long heartbeatTime() {
            return le().getLong(8);
        }

        // ERROR
        int errorCode() {
            return le().getShort(8) & 0xFFFF;
        }

        long errorSequence() {
            return le().getLong(16);
        }

        String errorMessage() {
            final int n = le().getShort(24) & 0xFFFF;
            return new String(bytes, 26, n, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return switch (type) {
                case WELCOME -> "WELCOME(source " + welcomeSourceId() + ", resume " + resumeSequence() + ")";
                case DECISION -> "DECISION(" + decisionSequence() + ", outlet " + outlet() + ", reason " + reason() + ")";
                case ACK -> "ACK(" + ackSequence() + ")";
                case HEARTBEAT -> "HEARTBEAT(" + heartbeatTime() + ")";
                case ERROR -> "ERROR(" + errorCode() + ", seq " + errorSequence() + ", '" + errorMessage() + "')";
                default -> "frame(type 0x" + Integer.toHexString(type) + ", " + bytes.length + " bytes)";
            };
        }
    }
}
