package io.sorthub.gateway.forward;

import io.sorthub.gateway.GatewayConfig;
import io.sorthub.protocol.AckFlyweight;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.WelcomeFlyweight;
import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import io.vertx.core.Vertx;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link to the hub goes down on an error and comes back, and always says why in one line.
 * The hub here is a plain socket speaking the protocol: HELLO in, WELCOME and ACK out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RETRYING = "; retrying with back-off, reads are spooled meanwhile";

    private final Vertx vertx = Vertx.vertx();
    private final ServerSocket hub;
    private final String address;
    private final GatewayConfig config = new GatewayConfig();
    private final Listener listener = new Listener();

    HubLinkTest() throws IOException {
        hub = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        hub.setSoTimeout(30_000);
        config.hubHost = hub.getInetAddress().getHostAddress();
        config.hubPort = hub.getLocalPort();
        address = config.hubHost + ":" + config.hubPort;
    }

    @AfterEach
    void close() throws Exception {
        hub.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The spool forwarder's side: counts sessions; its ACK handling fails when told to (a defect of the gateway's own). */
    private static final class Listener implements HubLink.Listener {
        final AtomicInteger welcomes = new AtomicInteger();
        volatile boolean failOnAck;

        @Override
        public void onWelcome(long resumeSequence) {
            welcomes.incrementAndGet();
        }

        @Override
        public void onAck(long sequence) {
            if (failOnAck) {
                throw new IllegalStateException("spool closed");
            }
        }

        @Override
        public void onDisconnected() {
        }

        @Override
        public void onWritable() {
        }
    }

    private static final HubLink.Decisions NO_DECISIONS = new HubLink.Decisions() {
        @Override
        public void onDecision(long sequence, int outlet) {
        }

        @Override
        public void onBatchEnd() {
        }
    };

    private HubLink connect() {
        return connect(SystemEpochClock.INSTANCE);
    }

    private HubLink connect(org.agrona.concurrent.EpochClock clock) {
        final HubLink link = new HubLink(vertx, config, clock, listener, NO_DECISIONS);
        vertx.runOnContext(v -> link.connect());
        return link;
    }

    /** Accept the gateway's session: read its HELLO, answer WELCOME, wait until the link has it. */
    private Socket acceptSession() throws IOException {
        final int before = listener.welcomes.get();
        final Socket session = hub.accept();
        session.setSoTimeout(30_000);
        final DataInputStream in = new DataInputStream(session.getInputStream());
        final byte[] header = new byte[Frame.HEADER_LENGTH];
        in.readFully(header);
        final int length = new UnsafeBuffer(header).getInt(Frame.LENGTH_OFFSET, Frame.BYTE_ORDER);
        in.readFully(new byte[length - Frame.HEADER_LENGTH]);
        final UnsafeBuffer welcome = new UnsafeBuffer(new byte[64]);
        final WelcomeFlyweight frame = new WelcomeFlyweight().wrapForEncode(welcome, 0);
        frame.sourceId(config.sourceId).heartbeatIntervalMs(1_000).resumeSequence(0).maxFrameLength(Frame.MAX_FRAME_LENGTH);
        session.getOutputStream().write(welcome.byteArray(), 0, frame.frameLength());
        Await.until(WAIT, () -> listener.welcomes.get() > before, () -> "the link did not take the WELCOME");
        return session;
    }

    private void ack(Socket session, long sequence) throws IOException {
        final UnsafeBuffer ack = new UnsafeBuffer(new byte[64]);
        final AckFlyweight frame = new AckFlyweight().wrapForEncode(ack, 0).sourceId(config.sourceId).sequence(sequence);
        final OutputStream out = session.getOutputStream();
        out.write(ack.byteArray(), 0, frame.frameLength());
        out.flush();
    }

    private static void reset(Socket session) throws IOException {
        session.setSoLinger(true, 0);
        session.close(); // RST
    }

    @Test
    void anErrorOfTheGatewaysOwnIsLoggedOnceWithWhereItWasThrownAndTheLinkComesBack() throws Exception {
        listener.failOnAck = true;
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            connect();
            try (Socket first = acceptSession()) {
                ack(first, 1);
                try (Socket second = acceptSession()) { // the link came back
                    ack(second, 1); // the same defect again
                    try (Socket third = acceptSession()) {
                        assertThat(third.isConnected()).isTrue();
                    }
                }
            }
            assertThat(log.lines().stream().filter(l -> l.startsWith("ERROR "))).as("logged once, not once a reconnect")
                .singleElement().asString()
                .contains("hub " + address + ": connection closed on an unexpected error: "
                    + "java.lang.IllegalStateException: spool closed at ")
                .contains("HubLinkTest$Listener.onAck(").doesNotContain("\n");
            assertThat(log.messages()).contains("lost the connection to hub " + address
                + ": closed on an error of the gateway's own (IllegalStateException, logged at ERROR)" + RETRYING);
        }
    }

    @Test
    void aResetIsTheReasonEvenWithWritesQueuedAndTheNextSessionsPlainCloseSaysOnlyThat() throws Exception {
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            final HubLink link = connect();
            try (Socket first = acceptSession()) {
                // A SCAN queued, not flushed: when the reset closes the channel, its write fails
                // too, and that failure must not replace the reason.
                final UnsafeBuffer scan = new UnsafeBuffer(new byte[32]);
                scan.putInt(Frame.LENGTH_OFFSET, 32, Frame.BYTE_ORDER);
                scan.putByte(Frame.VERSION_OFFSET, Frame.PROTOCOL_VERSION_2);
                final CompletableFuture<Void> queued = new CompletableFuture<>();
                vertx.runOnContext(v -> {
                    link.write(scan, 32);
                    queued.complete(null);
                });
                queued.get(30, TimeUnit.SECONDS);
                reset(first);
            }
            try (Socket second = acceptSession()) {
                assertThat(log.messages()).first().asString()
                    .startsWith("lost the connection to hub " + address + ": ")
                    .containsIgnoringCase("reset").endsWith(RETRYING);
            }
            // closed by the hub without an error: said so, and nothing left over from the last one
            Await.until(WAIT, () -> log.messages().stream().filter(m -> m.startsWith("lost the connection")).count() == 2,
                () -> "no second warning: " + log.messages());
            assertThat(log.messages().stream().filter(m -> m.startsWith("lost the connection")).toList().get(1))
                .isEqualTo("lost the connection to hub " + address + ": the hub closed it" + RETRYING);
        }
    }

    @Test
    void aSilentHubIsTakenForLostAndTheWarningSaysSo() throws Exception {
        final org.agrona.concurrent.CachedEpochClock clock = new org.agrona.concurrent.CachedEpochClock();
        clock.update(1_000_000);
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            final HubLink link = connect(clock);
            try (Socket frozen = acceptSession()) {
                clock.advance(config.hubSilenceMs + 1); // the hub sends nothing more
                vertx.runOnContext(v -> link.heartbeat());
                Await.until(WAIT, () -> log.messages().stream().anyMatch(m -> m.startsWith("lost the connection")),
                    () -> "no warning: " + log.messages());
                assertThat(frozen.getInputStream().read()).as("the link closed the connection").isEqualTo(-1);
            }
            assertThat(log.messages()).containsExactly(
                "hub " + address + " sent nothing for " + (config.hubSilenceMs + 1) + " ms; taking it for lost",
                "lost the connection to hub " + address + ": it sent nothing for " + (config.hubSilenceMs + 1) + " ms" + RETRYING);
        }
    }

    @Test
    void aRefusedSessionIsSaidWithTheHubsReason() throws Exception {
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            connect();
            try (Socket refusing = hub.accept()) {
                refusing.setSoTimeout(30_000);
                final DataInputStream in = new DataInputStream(refusing.getInputStream());
                final byte[] header = new byte[Frame.HEADER_LENGTH];
                in.readFully(header);
                in.readFully(new byte[new UnsafeBuffer(header).getInt(Frame.LENGTH_OFFSET, Frame.BYTE_ORDER) - Frame.HEADER_LENGTH]);
                final UnsafeBuffer error = new UnsafeBuffer(new byte[128]);
                final io.sorthub.protocol.ErrorFlyweight frame = new io.sorthub.protocol.ErrorFlyweight().wrapForEncode(error, 0);
                frame.code(io.sorthub.protocol.ErrorCode.AUTHENTICATION_FAILED).message("unknown device");
                refusing.getOutputStream().write(error.byteArray(), 0, frame.frameLength());
                refusing.getOutputStream().flush();
                refusing.shutdownOutput(); // then closes, as a hub does after an ERROR
                Await.until(WAIT, () -> log.messages().stream().anyMatch(m -> m.startsWith("lost the connection")),
                    () -> "no warning: " + log.messages());
            }
            assertThat(log.messages()).contains("lost the connection to hub " + address
                + ": it refused the session: AUTHENTICATION_FAILED unknown device" + RETRYING);
        }
    }

    @Test
    void somethingThatIsNotAHubIsNamedByWhatItSent() throws Exception {
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            connect();
            try (Socket notAHub = hub.accept()) {
                notAHub.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                notAHub.getOutputStream().flush();
                Await.until(WAIT, () -> !log.messages().isEmpty(), () -> "the link said nothing");
            }
            // "HTTP" read as a little-endian length: 0x50545448
            assertThat(log.messages()).first().isEqualTo("lost the connection to hub " + address + ": it sent a frame declaring "
                + 0x50545448L + " bytes, over the protocol's " + Frame.MAX_FRAME_LENGTH + " (is hubPort the hub's scan port?)" + RETRYING);
            assertThat(log.lines()).noneMatch(l -> l.startsWith("ERROR "));
        }
    }
}
