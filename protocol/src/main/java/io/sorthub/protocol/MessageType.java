package io.sorthub.protocol;

/** Message type codes carried in {@link Frame#TYPE_OFFSET}. */
public final class MessageType {
    public static final byte HELLO = 0x01;
    public static final byte WELCOME = 0x02;
    /** Version 2: the hub's nonce for a HELLO that asked for challenge-response. */
    public static final byte CHALLENGE = 0x03;
    /** Version 2: the source's answer to CHALLENGE. */
    public static final byte AUTH = 0x04;
    public static final byte SCAN = 0x10;
    public static final byte DECISION = 0x11;
    public static final byte ACK = 0x12;
    public static final byte HEARTBEAT = 0x20;
    public static final byte ERROR = 0x7F;

    private MessageType() {
    }

    public static String name(int type) {
        switch (type) {
            case HELLO: return "HELLO";
            case WELCOME: return "WELCOME";
            case CHALLENGE: return "CHALLENGE";
            case AUTH: return "AUTH";
            case SCAN: return "SCAN";
            case DECISION: return "DECISION";
            case ACK: return "ACK";
            case HEARTBEAT: return "HEARTBEAT";
            case ERROR: return "ERROR";
            default: return "UNKNOWN(0x" + Integer.toHexString(type & 0xFF) + ")";
        }
    }
}
