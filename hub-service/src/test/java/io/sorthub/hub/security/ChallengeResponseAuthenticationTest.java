package io.sorthub.hub.security;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.ChallengeResponse;
import io.sorthub.protocol.DigestFlyweight;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.client.HubClient;
import io.sorthub.protocol.client.HubClientException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Challenge and response over a real socket: a source that holds its secret gets in without
 * sending it; bytes recorded from that session, replayed on another connection, do not; and a
 * hub that requires it refuses a HELLO carrying its secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChallengeResponseAuthenticationTest {
    @TempDir
    Path dir;

    private HubService hub(boolean require) throws Exception {
        final Path devices = dir.resolve("devices.yaml");
        Files.writeString(devices, "devices:\n  - {sourceId: 7, name: gw-7, secret: \"s3cret\"}\n");
        final HubConfig config = TestHub.config(dir.resolve("data"));
        config.devicesFile = devices.toString();
        config.requireChallenge = require;
        return HubService.start(config);
    }

    @Test
    void aRecordedAuthIsWorthNothingOnAnotherConnection() throws Exception {
        try (HubService hub = hub(false)) {
            try (HubClient client = HubClient.connect("127.0.0.1", hub.scanPort(), 7, "gw", "s3cret", Duration.ofSeconds(10), 2)) {
                assertThat(client.resumeSequence()).isZero();
            }
            // An eavesdropper recorded a session's HELLO and AUTH (computed here for the nonce it saw).
            final byte[] recordedAuth;
            try (Socket first = socket(hub)) {
                final byte[] nonce = challenge(first, 7);
                recordedAuth = ChallengeResponse.response(ChallengeResponse.key("s3cret"), nonce, 7);
                send(first, auth(recordedAuth));
                assertThat(read(first.getInputStream())).isEqualTo(MessageType.WELCOME);
            }
            try (Socket replay = socket(hub)) {
                challenge(replay, 7); // a fresh nonce
                send(replay, auth(recordedAuth));
                final FrameDecoder decoder = new FrameDecoder();
                assertThat(read(replay.getInputStream(), decoder)).isEqualTo(MessageType.ERROR);
                assertThat(decoder.errorFrame().code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                assertThat(decoder.errorFrame().message()).contains("its answer to the challenge is wrong");
            }
            assertThatThrownBy(() -> HubClient.connect("127.0.0.1", hub.scanPort(), 7, "gw", "wrong", Duration.ofSeconds(10), 2))
                .isInstanceOf(HubClientException.class).hasMessageContaining("AUTHENTICATION_FAILED");
        }
    }

    @Test
    void aHubThatRequiresTheChallengeRefusesASecretInHello() throws Exception {
        try (HubService hub = hub(true)) {
            assertThatThrownBy(() -> HubClient.connect("127.0.0.1", hub.scanPort(), 7, "gw", "s3cret", Duration.ofSeconds(10)))
                .isInstanceOf(HubClientException.class).hasMessageContaining("this hub takes no secret in HELLO");
            try (HubClient client = HubClient.connect("127.0.0.1", hub.scanPort(), 7, "gw", "s3cret", Duration.ofSeconds(10), 2)) {
                assertThat(client.version()).isEqualTo(2);
            }
        }
    }

    @Test
    void anythingButAuthAfterTheChallengeEndsTheSession() throws Exception {
        try (HubService hub = hub(false); Socket socket = socket(hub)) {
            challenge(socket, 7);
            send(socket, hello(7)); // a second HELLO instead of AUTH
            final FrameDecoder decoder = new FrameDecoder();
            assertThat(read(socket.getInputStream(), decoder)).isEqualTo(MessageType.ERROR);
            assertThat(decoder.errorFrame().code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
            assertThat(decoder.errorFrame().message()).isEqualTo("HELLO after CHALLENGE: AUTH expected");
        }
    }

    private static Socket socket(HubService hub) throws IOException {
        final Socket socket = new Socket("127.0.0.1", hub.scanPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] hello(int sourceId) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        final HelloFlyweight hello = new HelloFlyweight().wrapForEncode(b, 0).sourceId(sourceId).strings("gw", "");
        hello.flags(HelloFlyweight.FLAG_CHALLENGE);
        return java.util.Arrays.copyOf(b.byteArray(), hello.frameLength());
    }

    private static byte[] auth(byte[] response) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[DigestFlyweight.LENGTH]);
        new DigestFlyweight(MessageType.AUTH).wrapForEncode(b, 0).digest(response);
        return b.byteArray();
    }

    /** Send a challenge HELLO and return the nonce of the CHALLENGE. */
    private static byte[] challenge(Socket socket, int sourceId) throws IOException {
        send(socket, hello(sourceId));
        final FrameDecoder decoder = new FrameDecoder();
        assertThat(read(socket.getInputStream(), decoder)).isEqualTo(MessageType.CHALLENGE);
        final byte[] nonce = new byte[32];
        decoder.challenge().readDigest(nonce);
        return nonce;
    }

    private static void send(Socket socket, byte[] frame) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write(frame);
        out.flush();
    }

    private static int read(InputStream in) throws IOException {
        return read(in, new FrameDecoder());
    }

    private static int read(InputStream in, FrameDecoder decoder) throws IOException {
        final DataInputStream data = new DataInputStream(in);
        final byte[] bytes = new byte[1024];
        data.readFully(bytes, 0, 4);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int length = buffer.getInt(0, java.nio.ByteOrder.LITTLE_ENDIAN);
        data.readFully(bytes, 4, length - 4);
        return decoder.decode(buffer, 0, length);
    }
}
