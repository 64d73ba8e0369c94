package io.sorthub.gateway.device;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.GatewayMetrics;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerRead;
import io.sorthub.test.CapturedLog;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** A device connection's error closes that connection only, and always says why in one line. */
class DeviceHandlerTest {
    private final Device device = new Device(new GatewayConfig.Device(), new GatewayMetrics("line-1"),
        SystemEpochClock.INSTANCE);

    private static final class ThrowingSink implements ReadSink {
        @Override
        public void onRead(Device device, ScannerRead read, Channel channel) {
            throw new IllegalStateException("spool closed");
        }

        @Override
        public void onRejected(Device device, LineRejected rejected, Channel channel) {
        }

        @Override
        public void onReadBatchEnd() {
        }
    }

    @Test
    void anErrorOfTheGatewaysOwnClosesTheConnectionAndNamesWhereItWasThrown() {
        try (CapturedLog log = CapturedLog.loggerOf(DeviceHandler.class)) {
            final EmbeddedChannel channel = new EmbeddedChannel(new DeviceHandler(new ThrowingSink(), device));
            assertThat(device.online()).isTrue();
            channel.pipeline().fireChannelRead(new ScannerRead(ScannerRead.Type.READ, "P1", "SF1", "518057", 1, 1, 1, 1, 0));
            assertThat(channel.isOpen()).isFalse();
            assertThat(device.online()).isFalse();
            assertThat(log.lines()).singleElement().asString()
                .startsWith("ERROR ").contains("device tunnel-1: connection from ")
                .contains("closed on an unexpected error: java.lang.IllegalStateException: spool closed at ")
                .contains("DeviceHandlerTest$ThrowingSink.onRead(").doesNotContain("\n");
        }
    }

    @Test
    void aResetByTheDeviceIsOneQuietLine() {
        try (CapturedLog log = CapturedLog.loggerOf(DeviceHandler.class)) {
            final EmbeddedChannel channel = new EmbeddedChannel(new DeviceHandler(new ThrowingSink(), device));
            channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
            assertThat(channel.isOpen()).isFalse();
            assertThat(log.lines()).singleElement().asString()
                .startsWith("INFO ").endsWith("closed: Connection reset by peer");
        }
    }
}
