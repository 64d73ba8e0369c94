package io.sorthub.protocol.client;

import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.ChallengeResponse;
import io.sorthub.protocol.DigestFlyweight;
import io.sorthub.protocol.ErrorFlyweight;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HeartbeatFlyweight;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.WelcomeFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A plain-socket hub protocol client: one writer thread (the caller) and one reader
 * thread that hands every reply to a {@link Listener}. Used by the simulator, the load rig
 * and the tests; it has no dependency beyond the protocol itself.
 *
 * <p>Writes are buffered: call {@link #flush()} after a batch, the way a gateway would
 * coalesce a burst of reads into one syscall.
 */
public final class HubClient implements AutoCloseable {

    /** Replies from the hub, called on the client's reader thread. */
    public interface Listener {
        default void onDecision(DecisionFlyweight decision) {
        }

        default void onAck(long sequence) {
        }

        default void onError(ErrorCode code, long sequence, String message) {
        }

        default void onHeartbeat(long timeMs) {
        }

        /** The connection ended; {@code cause} is null for an orderly close. */
        default void onClosed(Throwable cause) {
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final FrameDecoder decoder = new FrameDecoder();
    private final ScanFlyweight scan = new ScanFlyweight();
    private final HeartbeatFlyweight heartbeat = new HeartbeatFlyweight();
    private final int sourceId;
    private final int version;
    private final long resumeSequence;
    private final long planVersion;
    private volatile boolean closing;
    private Thread reader;

    private HubClient(Socket socket, int sourceId, String sourceName, String credential, int version) throws IOException {
        this.socket = socket;
        this.sourceId = sourceId;
        this.version = version;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        HelloFlyweight hello = new HelloFlyweight();
        // Version 2 with a secret: challenge and response, the secret never on the wire.
        final boolean challenge = version >= Frame.PROTOCOL_VERSION_2 && !credential.isEmpty();
        hello.wrapForEncode(sendBuffer, 0).sourceId(sourceId).strings(sourceName, challenge ? "" : credential).version(version);
        if (challenge) {
            hello.flags(HelloFlyweight.FLAG_CHALLENGE);
        }
        out.write(sendBuffer.byteArray(), 0, hello.frameLength());
        out.flush();
        int type = readFrame();
        if (challenge && type == MessageType.CHALLENGE) {
            final byte[] nonce = new byte[DigestFlyweight.DIGEST_LENGTH];
            decoder.challenge().readDigest(nonce);
            final DigestFlyweight auth = new DigestFlyweight(MessageType.AUTH).wrapForEncode(sendBuffer, 0)
                .digest(ChallengeResponse.response(ChallengeResponse.key(credential), nonce, sourceId));
            out.write(sendBuffer.byteArray(), 0, DigestFlyweight.LENGTH);
            out.flush();
            type = readFrame();
        }
        if (type == MessageType.ERROR) {
            ErrorFlyweight error = decoder.errorFrame();
            throw new HubClientException(error.code(), error.message());
        }
        if (type != MessageType.WELCOME) {
            throw new IOException("hub answered HELLO with " + MessageType.name(type) + " instead of WELCOME");
        }
        WelcomeFlyweight welcome = decoder.welcome();
        this.resumeSequence = welcome.resumeSequence();
        this.planVersion = welcome.planVersion();
    }

    /**
     * Connect, say HELLO and wait for WELCOME. Replies are not read until {@link #start}.
     *
     * @throws HubClientException when the hub answers HELLO with an ERROR
     */
    public static HubClient connect(String host, int port, int sourceId, String sourceName, String credential,
                                    Duration timeout) throws IOException {
        return connect(host, port, sourceId, sourceName, credential, timeout, Frame.PROTOCOL_VERSION);
    }

    /** As {@link #connect(String, int, int, String, String, Duration)}, speaking protocol {@code version} (1 or 2). */
    public static HubClient connect(String host, int port, int sourceId, String sourceName, String credential,
                                    Duration timeout, int version) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setReceiveBufferSize(256 * 1024);
            socket.setSendBufferSize(256 * 1024);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            HubClient client = new HubClient(socket, sourceId, sourceName, credential, version);
            socket.setSoTimeout(0);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Start the reader thread that passes every reply to {@code listener}. */
    public HubClient start(Listener listener) {
        reader = new Thread(() -> readLoop(listener), "hub-client-" + sourceId);
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Highest sequence the hub holds for this source (from WELCOME): resend from the next one. */
    public long resumeSequence() {
        return resumeSequence;
    }

    public long planVersion() {
        return planVersion;
    }

    public int sourceId() {
        return sourceId;
    }

    /** The SCAN to fill in before {@link #sendScan()}; call {@code strings(...)} last. */
    public ScanFlyweight scan() {
        scan.wrapForEncode(sendBuffer, 0).version(version);
        return scan;
    }

    /** The protocol version of this session. */
    public int version() {
        return version;
    }

    /** Buffer the SCAN filled in through {@link #scan()}. */
    public void sendScan() throws IOException {
        out.write(sendBuffer.byteArray(), 0, scan.frameLength());
    }

    public void sendHeartbeat(long timeMs) throws IOException {
        heartbeat.wrapForEncode(sendBuffer, 0).timeMs(timeMs);
        heartbeat.version(version);
        out.write(sendBuffer.byteArray(), 0, HeartbeatFlyweight.LENGTH);
    }

    /** Write raw bytes, e.g. a frame encoded elsewhere. */
    public void sendRaw(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void readLoop(Listener listener) {
        Throwable cause = null;
        try {
            while (!closing) {
                int type = readFrame();
                switch (type) {
                    case MessageType.DECISION:
                        listener.onDecision(decoder.decision());
                        break;
                    case MessageType.ACK:
                        listener.onAck(decoder.ack().sequence());
                        break;
                    case MessageType.HEARTBEAT:
                        listener.onHeartbeat(decoder.heartbeat().timeMs());
                        break;
                    case MessageType.ERROR:
                        ErrorFlyweight error = decoder.errorFrame();
                        listener.onError(error.code(), error.sequence(), error.message());
                        break;
                    default:
                        throw new IOException("unexpected " + MessageType.name(type) + " from the hub");
                }
            }
        } catch (EOFException e) {
            cause = null;
        } catch (IOException | RuntimeException e) {
            cause = closing ? null : e;
        } finally {
            listener.onClosed(cause);
        }
    }

    /** Read one frame into the receive buffer and validate it; returns its type. */
    private int readFrame() throws IOException {
        byte[] bytes = receiveBuffer.byteArray();
        readFully(bytes, 0, 4);
        long length = receiveBuffer.getInt(0, Frame.BYTE_ORDER) & 0xFFFF_FFFFL;
        if (length < Frame.HEADER_LENGTH || length > bytes.length) {
            throw new IOException("hub sent a frame of declared length " + length);
        }
        readFully(bytes, 4, (int) length - 4);
        int type = decoder.decode(receiveBuffer, 0, (int) length);
        if (type < 0) {
            throw new IOException("hub sent a bad frame: " + decoder.error().message());
        }
        return type;
    }

    private void readFully(byte[] bytes, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(bytes, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("hub closed the connection");
            }
            done += n;
        }
    }

    /** Close the socket at once, without flushing: what a crashed source looks like. */
    public void abort() throws IOException {
        closing = true;
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            if (!socket.isClosed()) {
                out.flush();
            }
        } finally {
            socket.close();
        }
        if (reader != null && reader != Thread.currentThread()) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
