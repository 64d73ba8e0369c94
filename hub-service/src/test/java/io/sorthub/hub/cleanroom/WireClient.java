package io.sorthub.hub.cleanroom;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A source's end of one TCP session, over a plain socket. A reader thread takes every frame
 * the hub sends, checks it against the size tables of PROTOCOL.md and the session's version
 * (any disagreement is kept in {@link #violations}), keeps the highest ACK seen and queues the
 * frame for the test.
 */
public final class WireClient implements AutoCloseable {
    /** Put on the queue when the hub closes the connection. */
    public static final Wire.Frame EOF = new Wire.Frame(0, -1, new byte[0]);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Wire.Frame> frames = new LinkedBlockingQueue<>();
    public final AtomicLong highestAck = new AtomicLong(-1);
    public final List<String> violations = new CopyOnWriteArrayList<>();
    public final List<Wire.Frame> received = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** While set, the reader takes nothing from the socket: a source that stalls (a long GC pause, a busy gateway). */
    volatile boolean readingPaused;
    /** How the connection ended: "end of stream" for an orderly close, else the socket's error. */
    volatile String endedBy;
    private volatile int sourceId;
    /** The version every frame from the hub must carry: the HELLO's (PROTOCOL.md, "Version 2"). */
    private volatile int version = 1;
    /** The WELCOME that opened the session, when {@link #hello} opened it. */
    public Wire.Frame welcome;

    public WireClient(int port) throws IOException {
        this(port, 0);
    }

    /** With {@code receiveBufferBytes} > 0: a source with a small TCP receive window (set before connecting). */
    public WireClient(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        final Thread reader = new Thread(this::readLoop, "cleanroom-client-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects, sends HELLO and returns the WELCOME (fails on anything else). */
    public static WireClient hello(int port, int sourceId, Duration timeout) throws IOException {
        return hello(new WireClient(port), sourceId, timeout);
    }

    public static WireClient hello(WireClient c, int sourceId, Duration timeout) throws IOException {
        return hello(c, 1, sourceId, timeout);
    }

    /** A session in the given protocol version (1 or 2): connects, sends HELLO, returns once WELCOMEd. */
    public static WireClient hello(int port, int version, int sourceId, Duration timeout) throws IOException {
        return hello(new WireClient(port), version, sourceId, timeout);
    }

    public static WireClient hello(WireClient c, int version, int sourceId, Duration timeout) throws IOException {
        c.sourceId = sourceId;
        c.version = version;
        c.send(Wire.hello(version, sourceId, "cleanroom-" + sourceId, ""));
        final Wire.Frame welcome = c.next(timeout);
        if (welcome.type() != Wire.WELCOME) {
            c.close();
            throw new AssertionError("HELLO of source " + sourceId + " answered " + welcome);
        }
        c.welcome = welcome;
        return c;
    }

    /** The source whose ACKs this session must carry (set by {@link #hello}; for raw HELLOs, by the test). */
    public void expectSource(int id) {
        sourceId = id;
    }

    /** The version the hub's frames must carry on a session opened by a raw HELLO. */
    public void expectVersion(int v) {
        version = v;
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends, and swallows the failure of a write to a connection the hub has already closed. */
    public boolean trySend(byte[] bytes) {
        try {
            send(bytes);
            return true;
        } catch (IOException closedByHub) {
            return false;
        }
    }

    /** The next frame, {@link #EOF} once closed; fails the test when nothing comes in time. */
    public Wire.Frame next(Duration timeout) {
        final Wire.Frame f = poll(timeout);
        if (f == null) {
            throw new AssertionError("nothing from the hub within " + timeout + "; received so far: " + tail());
        }
        return f;
    }

    /** The next frame, or null when nothing came in time (for checks that something does NOT happen). */
    public Wire.Frame poll(Duration timeout) {
        try {
            final Wire.Frame f = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (f == EOF) {
                frames.add(EOF); // stays closed for every later read
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Frames up to and including the first that matches; fails at the deadline or on EOF first. */
    public List<Wire.Frame> until(Predicate<Wire.Frame> wanted, Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<Wire.Frame> seen = new java.util.ArrayList<>();
        while (true) {
            final long left = deadline - System.nanoTime();
            final Wire.Frame f = left > 0 ? poll(Duration.ofNanos(left)) : null;
            if (f == null) {
                throw new AssertionError("not received within " + timeout + "; received: " + summary(seen));
            }
            seen.add(f);
            if (wanted.test(f)) {
                return seen;
            }
            if (f == EOF) {
                throw new AssertionError("the hub closed the connection first; received: " + summary(seen));
            }
        }
    }

    /** Every frame until the hub closes the connection (EOF excluded). */
    public List<Wire.Frame> untilClosed(Duration timeout) {
        final List<Wire.Frame> all = until(f -> f == EOF, timeout);
        return all.subList(0, all.size() - 1);
    }

    public List<Wire.Frame> untilAck(long sequence, Duration timeout) {
        return until(f -> f.type() == Wire.ACK && f.ackSequence() >= sequence, timeout);
    }

    public static String summary(List<Wire.Frame> frames) {
        if (frames.size() <= 12) {
            return frames.toString();
        }
        return frames.subList(0, 6) + " … " + frames.subList(frames.size() - 6, frames.size()) + " (" + frames.size() + " frames)";
    }

    private String tail() {
        return summary(received);
    }

    public boolean isClosedByHub() {
        return closed;
    }

    private void readLoop() {
        try (InputStream in = socket.getInputStream()) {
            final DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 64 * 1024));
            final byte[] lengthBytes = new byte[4];
            while (true) {
                while (readingPaused) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                data.readFully(lengthBytes);
                final int length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (length < 8 || length > 64 * 1024) {
                    violations.add("frame length " + Integer.toUnsignedString(length));
                    break;
                }
                final byte[] bytes = new byte[length];
                System.arraycopy(lengthBytes, 0, bytes, 0, 4);
                data.readFully(bytes, 4, length - 4);
                final Wire.Frame f = new Wire.Frame(bytes[4] & 0xFF, bytes[5] & 0xFF, bytes);
                check(f);
                if (f.type() == Wire.ACK) {
                    highestAck.accumulateAndGet(f.ackSequence(), Math::max);
                }
                received.add(f);
                frames.add(f);
            }
        } catch (EOFException end) {
            endedBy = "end of stream";
        } catch (java.net.SocketException end) {
            // a reset (or our own close): what the kernel still held unread may be gone with it
            endedBy = end.getMessage();
        } catch (IOException e) {
            violations.add("read failed: " + e);
        } finally {
            closed = true;
            frames.add(EOF);
        }
    }

    /** The sizes and fields PROTOCOL.md fixes for frames from the hub. */
    private void check(Wire.Frame f) {
        if (f.version() != version) {
            violations.add("version " + f.version() + " in " + f + " on a version " + version + " session");
        }
        final int expected = switch (f.type()) {
            case Wire.WELCOME -> 44;
            case Wire.DECISION -> 32;
            case Wire.ACK -> 24;
            case Wire.HEARTBEAT -> 16;
            case Wire.ERROR -> f.length() >= 26 ? 26 + (ByteBuffer.wrap(f.bytes()).order(ByteOrder.LITTLE_ENDIAN).getShort(24) & 0xFFFF) : 26;
            default -> -1;
        };
        if (expected < 0) {
            violations.add("type 0x" + Integer.toHexString(f.type()) + " is not a hub → source message");
        } else if (f.length() != expected) {
            violations.add("type 0x" + Integer.toHexString(f.type()) + " has " + f.length() + " bytes, the table says " + expected);
        } else if (f.type() == Wire.ERROR && f.length() - 26 > 512) {
            violations.add("ERROR message of " + (f.length() - 26) + " bytes, the limit is 512");
        } else if (f.type() == Wire.ACK && sourceId != 0 && f.ackSourceId() != sourceId) {
            violations.add("ACK for source " + f.ackSourceId() + " on the session of source " + sourceId);
        } else if (f.type() == Wire.DECISION && f.reason() > (version == 1 ? 9 : 11)) {
            violations.add("DECISION reason " + f.reason() + " on a version " + version + " session");
        } else if (f.type() == Wire.DECISION && version == 1 && f.decisionFlags() != 0) {
            violations.add("DECISION reserved byte " + f.decisionFlags() + " on a version 1 session");
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
