package io.sorthub.hub.cleanroom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The hub protocol's frames, written from the tables of docs/PROTOCOL.md alone: every integer
 * little-endian, an 8-byte header (uint32 whole-frame length, uint8 version, uint8 type,
 * uint16 reserved), strings as var8 (uint8 length, ASCII bytes). Version 2 ("Version 2"):
 * the same frames with version byte 2, SCAN ending with a parcelId var8, DECISION's last
 * byte a flags byte.
 */
public final class Wire {
    public static final int HELLO = 0x01;
    public static final int WELCOME = 0x02;
    public static final int SCAN = 0x10;
    public static final int DECISION = 0x11;
    public static final int ACK = 0x12;
    public static final int HEARTBEAT = 0x20;
    public static final int ERROR = 0x7F;

    // ERROR codes (PROTOCOL.md, "ERROR (0x7F)")
    public static final int MALFORMED_FRAME = 1;
    public static final int FRAME_TOO_LARGE = 2;
    public static final int UNSUPPORTED_VERSION = 3;
    public static final int UNKNOWN_TYPE = 4;
    public static final int TRUNCATED_FIELD = 5;
    public static final int FIELD_TOO_LONG = 6;
    public static final int INVALID_FIELD = 7;
    public static final int PROTOCOL_VIOLATION = 8;
    public static final int SESSION_REPLACED = 9;
    public static final int UNAVAILABLE = 10;

    // DECISION reasons
    public static final int REASON_RECORDED = 0;
    public static final int REASON_RULE = 1;
    public static final int REASON_DEFAULT = 2;
    public static final int REASON_NO_READ = 3;
    public static final int REASON_DUPLICATE = 9;
    /** Version 2 only. */
    public static final int REASON_INTERCEPTED = 10;
    /** Version 2 only. */
    public static final int REASON_OVERRIDE = 11;

    // Event kinds
    public static final int ARRIVAL = 1;
    public static final int SORT_REQUEST = 2;
    public static final int CONFIRM_DIVERTED = 3;
    public static final int CONFIRM_RECIRCULATED = 4;
    public static final int CONFIRM_NO_READ = 5;
    public static final int CONFIRM_LOST = 6;
    public static final int NO_READ = 15;
    /** Version 2 only: 补码, a keyed barcode for a parcel id. */
    public static final int REKEY = 16;
    /** Version 2 only: a bag tagged at a chute. */
    public static final int BAG_TAG = 17;
    /** Version 2 only: the bag at a chute sealed. */
    public static final int BAG_SEALED = 18;

    private Wire() {
    }

    /** A frame: header with the given version and type, then the body; the length is computed. */
    public static byte[] frame(int version, int type, byte[] body) {
        final ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8 + body.length).put((byte) version).put((byte) type).putShort((short) 0).put(body);
        return b.array();
    }

    public static byte[] frame(int type, byte[] body) {
        return frame(1, type, body);
    }

    public static byte[] hello(int sourceId, String name, String credential) {
        return hello(1, sourceId, name, credential);
    }

    /** A HELLO in the given protocol version: the session then speaks that version. */
    public static byte[] hello(int version, int sourceId, String name, String credential) {
        final Body b = new Body().i32(sourceId).i32(0).var8(name).var8(credential);
        return frame(version, HELLO, b.bytes());
    }

    public static byte[] hello(int sourceId) {
        return hello(sourceId, "cleanroom-" + sourceId, "");
    }

    /** A SORT_REQUEST for a barcode derived from source and sequence (every parcel distinct). */
    public static byte[] scan(int sourceId, long sequence) {
        return scan(sequence, SORT_REQUEST, "S" + sourceId, "CR" + sourceId + "X" + sequence, "100000", "acme");
    }

    public static byte[] scan(long sequence, int kind, String scannerId, String barcode, String destination, String customer) {
        return frame(SCAN, scanBody(sequence, kind, scannerId, barcode, destination, customer));
    }

    public static byte[] scanBody(long sequence, int kind, String scannerId, String barcode, String destination, String customer) {
        return new Body().i64(sequence).i64(System.currentTimeMillis()).i32(1200)
            .u16(300).u16(200).u16(100)
            .u8(kind).u8(1).u8(0).u8(0).u16(0)
            .var8(scannerId).var8(barcode).var8(destination).var8(customer).bytes();
    }

    public static byte[] heartbeat(long timeMs) {
        return heartbeat(1, timeMs);
    }

    public static byte[] heartbeat(int version, long timeMs) {
        return frame(version, HEARTBEAT, new Body().i64(timeMs).bytes());
    }

    /** A SCAN of either version, field by field (defaults: a weighed, measured, standard SORT_REQUEST). */
    public static Scan scan() {
        return new Scan();
    }

    /** SCAN's fields as PROTOCOL.md's table lists them; {@code parcelId} is written only in version 2. */
    public static final class Scan {
        private int version = 1;
        private long sequence = 1;
        private long deviceTimeMs = System.currentTimeMillis();
        private int weightGrams = 1200;
        private int kind = SORT_REQUEST;
        private int serviceClass = 1;
        private int flags;
        private int outlet;
        private String scannerId = "S1";
        private String barcode = "";
        private String destination = "";
        private String customer = "acme";
        private String parcelId = "";

        public Scan version(int v) {
            version = v;
            return this;
        }

        public Scan sequence(long s) {
            sequence = s;
            return this;
        }

        public Scan kind(int k) {
            kind = k;
            return this;
        }

        public Scan serviceClass(int c) {
            serviceClass = c;
            return this;
        }

        public Scan flags(int f) {
            flags = f;
            return this;
        }

        public Scan weightGrams(int g) {
            weightGrams = g;
            return this;
        }

        public Scan outlet(int o) {
            outlet = o;
            return this;
        }

        public Scan scannerId(String s) {
            scannerId = s;
            return this;
        }

        public Scan barcode(String b) {
            barcode = b;
            return this;
        }

        public Scan destination(String d) {
            destination = d;
            return this;
        }

        public Scan customer(String c) {
            customer = c;
            return this;
        }

        public Scan parcelId(String p) {
            parcelId = p;
            return this;
        }

        public long sequence() {
            return sequence;
        }

        /** The body up to and including customer: a version 1 SCAN body, the start of a version 2 one. */
        public Body fieldsBeforeParcelId() {
            return new Body().i64(sequence).i64(deviceTimeMs).i32(weightGrams)
                .u16(300).u16(200).u16(100)
                .u8(kind).u8(serviceClass).u8(flags).u8(0).u16(outlet)
                .var8(scannerId).var8(barcode).var8(destination).var8(customer);
        }

        public byte[] body() {
            final Body b = fieldsBeforeParcelId();
            if (version >= 2) {
                b.var8(parcelId);
            }
            return b.bytes();
        }

        public byte[] frame() {
            return Wire.frame(version, SCAN, body());
        }
    }

    /** Little-endian body builder. */
    public static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Body u8(int v) {
            out.write(v & 0xFF);
            return this;
        }

        public Body u16(int v) {
            return u8(v).u8(v >>> 8);
        }

        public Body i32(int v) {
            return u16(v).u16(v >>> 16);
        }

        public Body i64(long v) {
            return i32((int) v).i32((int) (v >>> 32));
        }

        public Body var8(String s) {
            final byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            u8(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        public Body raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** One frame received from the hub, decoded by its type's table. */
    public record Frame(int version, int type, byte[] bytes) {
        private ByteBuffer le() {
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        public int length() {
            return bytes.length;
        }

        // WELCOME
        public int welcomeSourceId() {
            return le().getInt(8);
        }

        public int heartbeatIntervalMs() {
            return le().getInt(12);
        }

        public long resumeSequence() {
            return le().getLong(16);
        }

        public long serverTimeMs() {
            return le().getLong(24);
        }

        public long sortPlanVersion() {
            return le().getLong(32);
        }

        public int maxFrameLength() {
            return le().getInt(40);
        }

        // DECISION
        public long decisionSequence() {
            return le().getLong(8);
        }

        public long decisionPlanVersion() {
            return le().getLong(16);
        }

        public int ruleId() {
            return le().getInt(24);
        }

        public int outlet() {
            return le().getShort(28) & 0xFFFF;
        }

        public int reason() {
            return bytes[30] & 0xFF;
        }

        /** Version 2: DECISION's flags (bit 0: routed by a re-keyed barcode); version 1: the reserved byte. */
        public int decisionFlags() {
            return bytes[31] & 0xFF;
        }

        // ACK
        public int ackSourceId() {
            return le().getInt(8);
        }

        public long ackSequence() {
            return le().getLong(16);
        }

        // HEARTBEAT
        public long heartbeatTime() {
            return le().getLong(8);
        }

        // ERROR
        public int errorCode() {
            return le().getShort(8) & 0xFFFF;
        }

        public long errorSequence() {
            return le().getLong(16);
        }

        public String errorMessage() {
            final int n = le().getShort(24) & 0xFFFF;
            return new String(bytes, 26, n, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return switch (type) {
                case WELCOME -> "WELCOME(source " + welcomeSourceId() + ", resume " + resumeSequence() + ")";
                case DECISION -> "DECISION(" + decisionSequence() + ", outlet " + outlet() + ", reason " + reason() + ", rule " + ruleId()
                    + ", flags " + decisionFlags() + ")";
                case ACK -> "ACK(" + ackSequence() + ")";
                case HEARTBEAT -> "HEARTBEAT(" + heartbeatTime() + ")";
                case ERROR -> "ERROR(" + errorCode() + ", seq " + errorSequence() + ", '" + errorMessage() + "')";
                default -> "frame(type 0x" + Integer.toHexString(type) + ", " + bytes.length + " bytes)";
            };
        }
    }
}
