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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link to the hub goes down on an error and comes back, and always says why in one line.
 * The hub here is a plain socket speaking the protocol: HELLO in, WELCOME and ACK out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubLinkTest {
    private final Vertx vertx = Vertx.vertx();
    private final ServerSocket hub;
    private final GatewayConfig config = new GatewayConfig();

    HubLinkTest() throws IOException {
        hub = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        hub.setSoTimeout(30_000);
        config.hubHost = "127.0.0.1";
        config.hubPort = hub.getLocalPort();
    }

    @AfterEach
    void close() throws Exception {
        hub.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A spool forwarder whose ACK handling fails: a defect of the gateway's own. */
    private static final class Listener implements HubLink.Listener {
        private final boolean failOnAck;

        Listener(boolean failOnAck) {
            this.failOnAck = failOnAck;
        }

        @Override
        public void onWelcome(long resumeSequence) {
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

    private HubLink connect(boolean failOnAck) {
        final HubLink link = new HubLink(vertx, config, SystemEpochClock.INSTANCE, new Listener(failOnAck), NO_DECISIONS);
        vertx.runOnContext(v -> link.connect());
        return link;
    }

    /** Accept the gateway's session: read its HELLO, answer WELCOME. */
    private Socket acceptSession() throws IOException {
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
        return session;
    }

    @Test
    void anErrorOfTheGatewaysOwnNamesWhereItWasThrownAndTheLinkComesBack() throws Exception {
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            final HubLink link = connect(true);
            try (Socket first = acceptSession()) {
                final UnsafeBuffer ack = new UnsafeBuffer(new byte[64]);
                final AckFlyweight frame = new AckFlyweight().wrapForEncode(ack, 0).sourceId(config.sourceId).sequence(1);
                final OutputStream out = first.getOutputStream();
                out.write(ack.byteArray(), 0, frame.frameLength());
                out.flush();
                try (Socket second = acceptSession()) { // the link came back
                    Await.until(Duration.ofSeconds(30), link::connected, () -> "the link did not stream again");
                }
            }
            final String address = "127.0.0.1:" + hub.getLocalPort();
            assertThat(log.lines()).first().asString().startsWith("ERROR ")
                .contains("hub " + address + ": connection closed on an unexpected error: "
                    + "java.lang.IllegalStateException: spool closed at ")
                .contains("HubLinkTest$Listener.onAck(").doesNotContain("\n");
            assertThat(log.messages()).contains("lost the connection to hub " + address
                + ": closed on the error above; retrying with back-off, reads are spooled meanwhile");
        }
    }

    @Test
    void aResetByTheHubIsSaidInTheReconnectsWarning() throws Exception {
        try (CapturedLog log = CapturedLog.loggerOf(HubLink.class)) {
            final HubLink link = connect(false);
            final Socket first = acceptSession();
            Await.until(Duration.ofSeconds(30), link::connected, () -> "the link did not stream");
            first.setSoLinger(true, 0);
            first.close(); // RST
            try (Socket second = acceptSession()) {
                Await.until(Duration.ofSeconds(30), link::connected, () -> "the link did not stream again");
            }
            assertThat(log.messages()).first().asString()
                .startsWith("lost the connection to hub 127.0.0.1:" + hub.getLocalPort() + ": ")
                .containsIgnoringCase("reset")
                .endsWith("; retrying with back-off, reads are spooled meanwhile");
        }
    }
}
