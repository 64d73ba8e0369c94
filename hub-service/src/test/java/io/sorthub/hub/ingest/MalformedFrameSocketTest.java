package io.sorthub.hub.ingest;

import io.sorthub.test.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.ErrorFlyweight;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad frames on a real socket: each gets an ERROR naming the problem, then the connection
 * closes; a well-behaved source on another connection carries on untouched.
 */
@Timeout(60)
class MalformedFrameSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;
    private HubService hub;
    private ScanSender goodSource;

    @BeforeEach
    void start() throws Exception {
        hub = TestHub.start(dataDir);
        goodSource = new ScanSender(hub.scanPort(), 1);
        goodSource.send(1, 100);
    }

    @AfterEach
    void stop() throws Exception {
        // The good source is unaffected by whatever the bad one did, and keeps going.
        goodSource.send(101, 200);
        goodSource.awaitAck(200, WAIT);
        assertThat(goodSource.error.get()).isNull();
        goodSource.close();
        hub.close();
    }

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    private int hello(int offset) {
        return new HelloFlyweight().wrapForEncode(buffer, offset).sourceId(66).strings("bad", "").frameLength();
    }

    private int scan(int offset, String barcode) {
        return new ScanFlyweight().wrapForEncode(buffer, offset).sequence(1).kind(EventKind.SORT_REQUEST)
            .strings("T", barcode, "100000", "").frameLength();
    }

    /** Send raw bytes, then read frames until the hub closes; return the ERROR it sent. */
    private ErrorFlyweight sendAndExpectError(byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", hub.scanPort()), 5_000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final FrameDecoder decoder = new FrameDecoder();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
            while (true) {
                in.readFully(frame.byteArray(), 0, 4);
                final int length = frame.getInt(0, Frame.BYTE_ORDER);
                in.readFully(frame.byteArray(), 4, length - 4);
                final int type = decoder.decode(frame, 0, length);
                assertThat(type).as("hub sent a valid frame").isPositive();
                if (type == MessageType.ERROR) {
                    assertThat(readToEnd(socket.getInputStream())).as("connection closed after ERROR").isEqualTo(-1);
                    return decoder.errorFrame();
                }
            }
        }
    }

    private static int readToEnd(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b >= 0);
        return b;
    }

    private byte[] bytes(int length) {
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    @Test
    void wrongVersion() throws Exception {
        final int length = hello(0);
        buffer.putByte(Frame.VERSION_OFFSET, (byte) (Frame.MAX_PROTOCOL_VERSION + 1));
        final ErrorFlyweight error = sendAndExpectError(bytes(length));
        assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(error.message()).contains("version " + (Frame.MAX_PROTOCOL_VERSION + 1));
    }

    @Test
    void unknownType() throws Exception {
        final int length = hello(0);
        buffer.putByte(Frame.TYPE_OFFSET, (byte) 0x55);
        assertThat(sendAndExpectError(bytes(length)).code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void scanBeforeHello() throws Exception {
        final ErrorFlyweight error = sendAndExpectError(bytes(scan(0, "A1")));
        assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
        assertThat(error.message()).contains("SCAN before HELLO");
    }

    @Test
    void hugeDeclaredLengthIsRefusedWithoutWaitingForTheBytes() throws Exception {
        buffer.putInt(0, 50_000_000, Frame.BYTE_ORDER);
        final ErrorFlyweight error = sendAndExpectError(bytes(8));
        assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(error.message()).contains("50000000").contains("1024");
    }

    @Test
    void lengthShorterThanTheLengthField() throws Exception {
        buffer.putInt(0, 2, Frame.BYTE_ORDER);
        assertThat(sendAndExpectError(bytes(8)).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void lengthShorterThanTheHeader() throws Exception {
        buffer.putInt(0, 6, Frame.BYTE_ORDER);
        final ErrorFlyweight error = sendAndExpectError(bytes(6));
        assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(error.message()).contains("8-byte header");
    }

    @Test
    void oversizeBarcodeAfterHelloIsRefusedAndEarlierEventsStayAcknowledged() throws Exception {
        final int helloLength = hello(0);
        final int first = scan(helloLength, "GOOD-1");
        final int bad = scan(helloLength + first, "X".repeat(64));
        buffer.putByte(helloLength + first + ScanFlyweight.VAR_FIELDS_OFFSET + 2, (byte) 70); // barcode length 70
        final int badFrame = helloLength + first;
        buffer.putLong(badFrame + ScanFlyweight.SEQUENCE_OFFSET, 2, Frame.BYTE_ORDER);
        final ErrorFlyweight error = sendAndExpectError(bytes(helloLength + first + bad));
        assertThat(error.code()).isEqualTo(ErrorCode.FIELD_TOO_LONG);
        assertThat(error.message()).contains("barcode").contains("70 bytes").contains("limit is 64");
        // The good scan before it was accepted and journaled; a new session resumes after it.
        Await.until(WAIT, () -> {
            try (var again = new ScanSender(hub.scanPort(), 66)) {
                return again.client.resumeSequence() == 1;
            } catch (IOException e) {
                return false;
            }
        }, () -> "source 66 should resume after sequence 1");
    }

    @Test
    void truncatedFieldInsideAFrame() throws Exception {
        final int helloLength = hello(0);
        final int length = scan(helloLength, "ABC");
        buffer.putByte(helloLength + length - 1, (byte) 9); // customer length 9, 0 bytes follow
        final ErrorFlyweight error = sendAndExpectError(bytes(helloLength + length));
        assertThat(error.code()).isEqualTo(ErrorCode.TRUNCATED_FIELD);
        assertThat(error.message()).contains("customer");
    }
}
