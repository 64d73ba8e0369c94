package io.sorthub.gateway;

import io.sorthub.test.Exposition;
import io.sorthub.test.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device wiring on real sockets: a scanner the gateway connects to (and reconnects to),
 * decisions sent to another device (the sorter's PLC), a silent device going offline, and
 * a full spool disk refusing reads while the sorter still gets an answer.
 */
@Timeout(120)
class GatewayDevicesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static double metric(Gateway gateway, String series) {
        return Exposition.value(gateway.scrape(), series);
    }

    @Test
    void aScannerWeConnectToFeedsReadsAndDecisionsGoToThePlc() throws Exception {
        try (HubService hub = TestHub.start(dir.resolve("hub"));
             ServerSocket scannerPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ServerSocket plcPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            scannerPort.setSoTimeout(20_000);
            plcPort.setSoTimeout(20_000);
            final GatewayConfig config = new GatewayConfig();
            config.hubPort = hub.scanPort();
            config.httpPort = 0;
            config.spoolDir = dir.resolve("spool").toString();
            final GatewayConfig.Device scanner = config.devices.get(0);
            scanner.name = "tunnel-9";
            scanner.profile = "sick-clv";
            scanner.custom = new GatewayConfig.CustomProfile(); // this tunnel also sends its parcel id, and a heartbeat
            scanner.custom.fields = List.of("parcel_id", "barcode");
            scanner.custom.heartbeat = "HB";
            scanner.mode = io.sorthub.gateway.device.DeviceMode.CONNECT;
            scanner.port = scannerPort.getLocalPort();
            scanner.answer = "plc";
            scanner.offlineAfterMs = 1_000;
            final GatewayConfig.Device plc = new GatewayConfig.Device();
            plc.name = "plc";
            plc.profile = "generic-csv";
            plc.mode = io.sorthub.gateway.device.DeviceMode.CONNECT;
            plc.port = plcPort.getLocalPort();
            plc.kind = "confirm_diverted";
            plc.answer = "none";
            config.devices = List.of(scanner, plc);
            config.validate("test");

            try (GatewayService service = GatewayService.start(config);
                 Socket scannerSide = scannerPort.accept();
                 Socket plcSide = plcPort.accept()) {
                final Gateway gateway = service.gateway();
                final OutputStream scannerOut = scannerSide.getOutputStream();
                scannerOut.write("\u000210234;SF1234567890\u0003\u0002HB\u0003".getBytes(StandardCharsets.ISO_8859_1));
                scannerOut.flush();
                final BufferedReader plcIn = new BufferedReader(new InputStreamReader(plcSide.getInputStream(), StandardCharsets.ISO_8859_1));
                plcSide.setSoTimeout(20_000);
                // The demo plan sends "SF…" without a destination to the default outlet, 98.
                assertThat(plcIn.readLine()).isEqualTo("10234,98");
                Await.until(WAIT, () -> gateway.ackedSequence() == 1, () -> "acked " + gateway.ackedSequence());
                assertThat(metric(gateway, "sorthub_gateway_reads_total{device=\"tunnel-9\",line=\"line-1\",type=\"heartbeat\"}")).isEqualTo(1.0);

                // Silent past its limit: offline, while still connected.
                Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_device_online{device=\"tunnel-9\",line=\"line-1\"}") == 0.0,
                    () -> "tunnel-9 should go offline");

                // The scanner drops the connection: the gateway connects again by itself.
                scannerSide.close();
                try (Socket again = scannerPort.accept()) {
                    again.getOutputStream().write("\u000210235;JD99\u0003".getBytes(StandardCharsets.ISO_8859_1));
                    again.getOutputStream().flush();
                    assertThat(plcIn.readLine()).isEqualTo("10235,98");
                    Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_device_online{device=\"tunnel-9\",line=\"line-1\"}") == 1.0,
                        () -> "back online");
                }
            }
        }
    }

    @Test
    void aFullSpoolDiskRefusesReadsButTheSorterStillGetsAnAnswer() throws Exception {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = 1; // no hub at all: the point is the spool
        config.httpPort = 0;
        config.spoolDir = dir.resolve("spool2").toString();
        config.devices.get(0).port = 0;
        try (GatewayService service = GatewayService.start(config)) {
            final Gateway gateway = service.gateway();
            gateway.minFreeDiskBytes(Long.MAX_VALUE);
            Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_spool_accepting{line=\"line-1\"}") == 0.0, () -> "spool should refuse");
            try (Socket scanner = new Socket(InetAddress.getLoopbackAddress(), gateway.devicePort("tunnel-1"))) {
                scanner.setSoTimeout(20_000);
                scanner.getOutputStream().write("P1,SF1,518057,1,1,1,1,0\n".getBytes(StandardCharsets.ISO_8859_1));
                scanner.getOutputStream().flush();
                final BufferedReader in = new BufferedReader(new InputStreamReader(scanner.getInputStream(), StandardCharsets.ISO_8859_1));
                assertThat(in.readLine()).as("fallback outlet at once").isEqualTo("P1,98");
            }
            assertThat(gateway.spooledSequence()).isZero();
            assertThat(metric(gateway, "sorthub_gateway_spool_rejected_total{line=\"line-1\"}")).isEqualTo(1.0);
        }
    }
}
