package io.sorthub.protocol;

import java.nio.ByteOrder;

/**
 * The frame header shared by every hub protocol message. All integers are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Frame Length (uint32, whole frame)            |
 *  +---------------+---------------+-------------------------------+
 *  |    Version    |     Type      |        Reserved (0)           |
 *  +---------------+---------------+-------------------------------+
 *  |                       Message body ...                       ...
 * </pre>
 *
 * The frame length counts the whole frame, header included (as in Aeron), so a reader
 * needs nothing but the first four bytes to know where the next frame starts.
 */
public final class Frame {
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int LENGTH_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;
    public static final int RESERVED_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    /** Version 1 of the protocol, the default (PROTOCOL.md). */
    public static final byte PROTOCOL_VERSION = 1;
    /**
     * Version 2: SCAN carries the sorter's parcel id, DECISION a flags byte; new event kinds
     * and decision reasons. A session speaks the version its HELLO was sent in.
     */
    public static final byte PROTOCOL_VERSION_2 = 2;
    /** The newest version this build speaks. */
    public static final byte MAX_PROTOCOL_VERSION = PROTOCOL_VERSION_2;

    /**
     * Default and largest frame a peer may send. The largest legal SCAN is
     * 40 + 4 + 32 + 64 + 32 + 32 = 204 bytes, so 1 KiB leaves room without letting one
     * connection pin much memory in the frame decoder.
     */
    public static final int MAX_FRAME_LENGTH = 1024;

    private Frame() {
    }
}
