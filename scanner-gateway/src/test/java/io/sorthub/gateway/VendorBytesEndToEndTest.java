package io.sorthub.gateway;

import io.sorthub.test.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.DecisionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Written from docs/SCANNERS.md alone: each built-in profile's sample bytes, and bad variants,
 * from real sockets through a gateway to a real hub (the demo plan: reject 99, default 98,
 * postcode 518 to 5). Every telegram that stands for a parcel gets exactly one answer line, in
 * the device's framing and answer format: the hub's outlet, the reject outlet for what cannot
 * be used, the fallback when the hub is away.
 */
@Timeout(120)
class VendorBytesEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FALLBACK = 96;

    @TempDir
    Path dir;

    private GatewayConfig.Device device(String name, String profile) {
        final GatewayConfig.Device d = new GatewayConfig.Device();
        d.name = name;
        d.profile = profile;
        d.port = 0;
        d.fallbackOutlet = FALLBACK; // not 98, the demo plan's default: a fallback must be told from a decision
        d.deadlineMs = 2_000;
        return d;
    }

    private GatewayConfig config(int hubPort) {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = hubPort;
        config.httpPort = 0;
        config.spoolDir = dir.resolve("spool").toString();
        final GatewayConfig.Device cognex = device("dataman-1", "cognex-dataman");
        cognex.answerFormat = "{barcode};{outlet}";
        cognex.custom = new GatewayConfig.CustomProfile(); // its no-read text is one the gateway is not told about
        cognex.custom.noRead = List.of("FAILED");
        final GatewayConfig.Device datalogic = device("dx-1", "datalogic");
        datalogic.answerFormat = "{sequence},{outlet}";
        config.devices = List.of(device("clv-1", "sick-clv"), cognex, datalogic, device("dws-1", "generic-csv"));
        return config;
    }

    /** Sends bytes to a device port and reads {@code answers} answer telegrams ending in {@code end}. */
    private static List<String> exchange(int port, String bytes, int answers, char end) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            final List<String> out = new ArrayList<>();
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (out.size() < answers) {
                final int b = in.read();
                if (b < 0) {
                    break;
                }
                line.write(b);
                if (b == end) {
                    out.add(line.toString(StandardCharsets.ISO_8859_1));
                    line.reset();
                }
            }
            socket.setSoTimeout(300);
            try {
                assertThat(in.read()).as("no answer beyond the ones expected").isEqualTo(-1);
            } catch (java.net.SocketTimeoutException expected) {
                // nothing more: good
            }
            return out;
        }
    }

    @Test
    void everyParcelTelegramOfEveryFamilyGetsOneAnswer() throws Exception {
        final Path hubDir = dir.resolve("hub");
        final HubService hub = TestHub.start(hubDir);
        boolean hubUp = true;
        try (GatewayService service = GatewayService.start(config(hub.scanPort()))) {
            final Gateway gateway = service.gateway();

            // SICK CLV factory output; no parcel id, so answers are matched by order: ";outlet".
            final String utf8 = new String("SF\u4e2d1".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            assertThat(exchange(gateway.devicePort("clv-1"),
                "\u0002SF1234567890\r\n\u0003"        // a read: no destination, the plan's default 98
                    + "\u0002NoRead\r\n\u0003"       // the error string alone: a no-read, reject
                    + "\u0002JD1,JD2\r\n\u0003"      // two codes: a multi-read, reject
                    + "\u0002" + utf8 + "\r\n\u0003" // UTF-8 in the code: forwarded, the hub rejects it
                    + "\u0002SF\u00012\r\n\u0003"    // a control byte: refused here, reject at once, in order
                    + "\u0002JD77"                   // cut off by the next STX: no parcel, no answer
                    + "\u0002SF3\r\u0003",           // a lone CR before the ETX
                6, '\u0003')).containsExactly("\u0002;98\u0003", "\u0002;99\u0003", "\u0002;99\u0003", "\u0002;99\u0003",
                "\u0002;99\u0003", "\u0002;98\u0003");

            // Cognex DataMan lines, answered with the barcode; "NOREAD" is not one of this
            // device's words, so the hub's noReadWords make it a no-read.
            assertThat(exchange(gateway.devicePort("dataman-1"), "JD0123456789\r\nPO/1234567\rA,B\nNOREAD\r\nFAILED\r\n",
                5, '\n')).containsExactly("JD0123456789;98\r\n", "PO/1234567;98\r\n", "A;99\r\n", "NOREAD;99\r\n", ";99\r\n");

            // Datalogic: STX header, CR LF terminator, answered with the gateway's sequence.
            assertThat(exchange(gateway.devicePort("dx-1"), "\u0002YT9988776655\r\n\u0002\u0018\r\n\u0002??\u0002JT1\r\n",
                3, '\n')).satisfiesExactly(
                    a -> assertThat(a).matches("\u0002\\d+,98\r\n"),
                    a -> assertThat(a).matches("\u0002\\d+,99\r\n"),
                    a -> assertThat(a).matches("\u0002\\d+,98\r\n"));

            // Generic CSV: answers by parcel id, so refused lines are answered at once.
            assertThat(exchange(gateway.devicePort("dws-1"), """
                P1,SF1,518057,1200,300,200,100,1763800000000
                P2,SF2,518057,1200,300,200,100,2025-11-22T08:26:40Z
                P3,SF3,518057,heavy,300,200,100,0
                P4,NOREAD
                P5,SF5,518057,1,1,1,1,0,surplus
                """, 5, '\n')).containsExactlyInAnyOrder("P1,5\n", "P2,5\n", "P3,99\n", "P4,99\n", "P5,99\n");

            final long spooled = gateway.spooledSequence();
            Await.until(WAIT, () -> gateway.ackedSequence() == spooled, () -> "acked " + gateway.ackedSequence());

            // The hub away: the fallback after the deadline.
            hub.close();
            hubUp = false;
            Await.until(WAIT, () -> !gateway.status().hubConnected(), () -> "hub gone");
            assertThat(exchange(gateway.devicePort("dws-1"), "P9,SF9,518057,1,1,1,1,0\n", 1, '\n'))
                .containsExactly("P9," + FALLBACK + "\n");
        } finally {
            if (hubUp) {
                hub.close();
            }
        }
        final List<TestHub.Entry> journal = TestHub.readJournal(hubDir);
        assertThat(journal).filteredOn(e -> e.reason() == DecisionReason.INVALID_BARCODE).singleElement()
            .satisfies(e -> assertThat(e.barcode()).startsWith("SF"));
        assertThat(journal).filteredOn(e -> e.barcode().equals("NOREAD")).singleElement()
            .satisfies(e -> assertThat(e.reason()).isEqualTo(DecisionReason.NO_READ));
    }
}
