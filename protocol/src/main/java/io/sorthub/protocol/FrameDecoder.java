package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * Validates one complete frame and leaves the matching flyweight wrapped over it. One
 * instance per connection (it holds the flyweights); nothing is allocated per frame.
 *
 * <p>Usage: {@code int type = decoder.decode(buffer, offset, length)}; a negative result
 * means the frame is bad and {@link #error()} says why; otherwise read the flyweight for
 * that type ({@link #scan()}, {@link #hello()}, ...).
 */
public final class FrameDecoder {
    private final HelloFlyweight hello = new HelloFlyweight();
    private final WelcomeFlyweight welcome = new WelcomeFlyweight();
    private final ScanFlyweight scan = new ScanFlyweight();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final AckFlyweight ack = new AckFlyweight();
    private final HeartbeatFlyweight heartbeat = new HeartbeatFlyweight();
    private final ErrorFlyweight errorFrame = new ErrorFlyweight();
    private final FrameError error = new FrameError();
    private final int maxFrameLength;

    public FrameDecoder() {
        this(Frame.MAX_FRAME_LENGTH);
    }

    public FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * @param length the number of bytes the transport delimited as this frame
     * @return the message type (a {@link MessageType} code) or -1 when the frame is invalid
     */
    public int decode(MutableDirectBuffer buffer, int offset, int length) {
        error.clear();
        final int type = decodeFrame(buffer, offset, length);
        if (type < 0 && length >= ScanFlyweight.SEQUENCE_OFFSET + Long.BYTES
            && buffer.getByte(offset + Frame.TYPE_OFFSET) == MessageType.SCAN) {
            // A source needs the sequence to find the bad event in its spool.
            error.sequence(buffer.getLong(offset + ScanFlyweight.SEQUENCE_OFFSET, BYTE_ORDER));
        }
        return type;
    }

    private int decodeFrame(MutableDirectBuffer buffer, int offset, int length) {
        if (length < Frame.HEADER_LENGTH) {
            error.set(ErrorCode.MALFORMED_FRAME, "frame is shorter than the 8-byte header", 0, length,
                Frame.HEADER_LENGTH);
            return -1;
        }
        final long declared = buffer.getInt(offset + Frame.LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
        if (declared > maxFrameLength) {
            error.set(ErrorCode.FRAME_TOO_LARGE, "frame", 0, declared, maxFrameLength);
            return -1;
        }
        if (declared != length) {
            error.set(ErrorCode.MALFORMED_FRAME, "declared frame length disagrees with the bytes received",
                0, declared, length);
            return -1;
        }
        final int version = buffer.getByte(offset + Frame.VERSION_OFFSET) & 0xFF;
        if (version != Frame.PROTOCOL_VERSION) {
            error.set(ErrorCode.UNSUPPORTED_VERSION, "frame", Frame.VERSION_OFFSET, version, Frame.PROTOCOL_VERSION);
            return -1;
        }
        final int type = buffer.getByte(offset + Frame.TYPE_OFFSET);
        final FrameFlyweight flyweight = flyweightFor(type);
        if (flyweight == null) {
            error.set(ErrorCode.UNKNOWN_TYPE, "frame", Frame.TYPE_OFFSET, type & 0xFF, 0);
            return -1;
        }
        flyweight.wrap(buffer, offset);
        if (length < flyweight.fixedLength() || (isFixedSize(type) && length != flyweight.fixedLength())) {
            error.set(ErrorCode.MALFORMED_FRAME, fixedSizeMessage(type), 0, length, flyweight.fixedLength());
            return -1;
        }
        if (flyweight.validate(error) != 0) {
            return -1;
        }
        return type;
    }

    private static boolean isFixedSize(int type) {
        return type == MessageType.WELCOME || type == MessageType.DECISION || type == MessageType.ACK
            || type == MessageType.HEARTBEAT;
    }

    private static String fixedSizeMessage(int type) {
        switch (type) {
            case MessageType.HELLO: return "HELLO is shorter than its fixed fields";
            case MessageType.WELCOME: return "WELCOME has the wrong length";
            case MessageType.SCAN: return "SCAN is shorter than its fixed fields";
            case MessageType.DECISION: return "DECISION has the wrong length";
            case MessageType.ACK: return "ACK has the wrong length";
            case MessageType.HEARTBEAT: return "HEARTBEAT has the wrong length";
            default: return "ERROR is shorter than its fixed fields";
        }
    }

    private FrameFlyweight flyweightFor(int type) {
        switch (type) {
            case MessageType.HELLO: return hello;
            case MessageType.WELCOME: return welcome;
            case MessageType.SCAN: return scan;
            case MessageType.DECISION: return decision;
            case MessageType.ACK: return ack;
            case MessageType.HEARTBEAT: return heartbeat;
            case MessageType.ERROR: return errorFrame;
            default: return null;
        }
    }

    public FrameError error() {
        return error;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    public HelloFlyweight hello() {
        return hello;
    }

    public WelcomeFlyweight welcome() {
        return welcome;
    }

    public ScanFlyweight scan() {
        return scan;
    }

    public DecisionFlyweight decision() {
        return decision;
    }

    public AckFlyweight ack() {
        return ack;
    }

    public HeartbeatFlyweight heartbeat() {
        return heartbeat;
    }

    public ErrorFlyweight errorFrame() {
        return errorFrame;
    }
}
