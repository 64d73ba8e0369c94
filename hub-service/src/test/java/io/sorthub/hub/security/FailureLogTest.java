package io.sorthub.hub.security;

import io.sorthub.test.CapturedLog;
import io.sorthub.test.Exposition;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed authentication is visible: each distinct failure logged with its remote address and
 * rate-limited (count, first and last time), counted in metrics, on the scan port and the
 * HTTP port alike; an access log on one switch; HELLOs bounded per address.
 */
@Timeout(60)
class FailureLogTest {
    private static final String SECRET = "s3cret-of-line-1";
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HubConfig securedHub() throws Exception {
        final Path devices = Files.writeString(dir.resolve("devices.yaml"),
            "devices:\n  - {sourceId: 100, secret: \"" + SECRET + "\"}\n");
        final Path tokens = Files.writeString(dir.resolve("tokens.yaml"), """
            tokens:
              - {name: wall-screen, role: viewer, token: "v-token"}
              - {name: plan-admin, role: admin, token: "a-token"}
            """);
        for (Path file : new Path[] {devices, tokens}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.devicesFile = devices.toString();
        config.apiTokensFile = tokens.toString();
        return config;
    }

    /** Another loopback address each run: the scan port's failure log is shared by the hubs of this JVM. */
    private static String freshLoopback() {
        final ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(1, 255) + "." + r.nextInt(0, 256) + "." + r.nextInt(2, 255);
    }

    /** HELLO from {@code local}; the hub's answer: WELCOME, or the ERROR's code. */
    private static String hello(String local, int port, int sourceId, String credential) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
            final int length = new HelloFlyweight().wrapForEncode(out, 0).sourceId(sourceId).strings("line", credential)
                .frameLength();
            socket.getOutputStream().write(out.byteArray(), 0, length);
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] frame = new byte[1024];
            in.readFully(frame, 0, 4);
            final int total = new UnsafeBuffer(frame).getInt(0, ByteOrder.LITTLE_ENDIAN);
            in.readFully(frame, 4, total - 4);
            final FrameDecoder decoder = new FrameDecoder();
            final int type = decoder.decode(new UnsafeBuffer(frame), 0, total);
            return type == MessageType.ERROR ? decoder.errorFrame().code().name() : MessageType.name(type);
        }
    }

    private int get(HubService hub, String path, String token) throws Exception {
        final HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(20));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String metrics(HubService hub) throws Exception {
        return Exposition.scrape(hub.httpPort(), "v-token");
    }

    @Test
    void refusedHellosAreNamedByAddressOnceAndCountedEachTime() throws Exception {
        final String attacker = freshLoopback();
        try (CapturedLog log = new CapturedLog(); HubService hub = HubService.start(securedHub())) {
            for (int i = 0; i < 5; i++) {
                assertThat(hello(attacker, hub.scanPort(), 100, "guess-" + i)).isEqualTo("AUTHENTICATION_FAILED");
            }
            assertThat(hello("127.0.0.1", hub.scanPort(), 100, SECRET)).isEqualTo("WELCOME");
            assertThat(log.of("io.sorthub.hub.ingest.ProtocolErrors")).filteredOn(l -> l.contains(attacker))
                .containsExactly("WARN io.sorthub.hub.ingest.ProtocolErrors: AUTHENTICATION_FAILED from " + attacker
                    + ": source 100 is not in the hub's devices file, or its credential is wrong");
            assertThat(metrics(hub)).contains("sorthub_protocol_errors_total{code=\"authentication_failed\"} 5.0");
            assertThat(String.join("\n", log.lines())).doesNotContain("guess-").doesNotContain(SECRET);
        }
    }

    @Test
    void httpRefusalsAreLoggedWithTheirAddressAndCountedAndTheAccessLogIsOneSwitch() throws Exception {
        final HubConfig config = securedHub();
        try (CapturedLog log = new CapturedLog(); HubService hub = HubService.start(config)) {
            assertThat(get(hub, "/api/outlets", null)).isEqualTo(401);
            assertThat(get(hub, "/api/outlets", "not-a-token")).isEqualTo(401);
            assertThat(get(hub, "/api/outlets", "not-a-token")).isEqualTo(401);
            assertThat(get(hub, "/api/devices", "v-token")).isEqualTo(403);
            assertThat(log.of("io.sorthub.hub.http.HttpFailures")).containsExactly(
                "WARN io.sorthub.hub.http.HttpFailures: HTTP 401 from 127.0.0.1: GET /api/outlets without a token",
                "WARN io.sorthub.hub.http.HttpFailures: HTTP 403 from 127.0.0.1: wall-screen (viewer) GET /api/devices, "
                    + "which needs admin");
            final String metrics = metrics(hub);
            assertThat(metrics).contains("sorthub_http_auth_failures_total{status=\"401\"} 3.0")
                .contains("sorthub_http_auth_failures_total{status=\"403\"} 1.0");
            assertThat(log.of("io.sorthub.http.access")).as("the access log is off by default").isEmpty();
        }
        config.httpAccessLog = true;
        try (CapturedLog log = new CapturedLog(); HubService hub = HubService.start(config)) {
            assertThat(get(hub, "/api/outlets?barcode=x&token=a-token", "a-token")).isEqualTo(200);
            assertThat(get(hub, "/api/outlets", null)).isEqualTo(401);
            assertThat(log.of("io.sorthub.http.access")).hasSize(2)
                .anyMatch(l -> l.matches("INFO io\\.sorthub\\.http\\.access: 127\\.0\\.0\\.1 GET /api/outlets 200 \\d+ bytes "
                    + "\\d+ ms by plan-admin"))
                .anyMatch(l -> l.matches("INFO io\\.sorthub\\.http\\.access: 127\\.0\\.0\\.1 GET /api/outlets 401 .*"));
            assertThat(String.join("\n", log.lines())).doesNotContain("a-token");
        }
    }

    @Test
    void hellosAreBoundedPerAddressAndOtherAddressesAreNotHeldUp() throws Exception {
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.helloRateLimit = 1; // bursts of 10
        final String busy = freshLoopback();
        try (HubService hub = HubService.start(config)) {
            int welcomed = 0;
            String refused = null;
            for (int i = 0; i < 30 && refused == null; i++) {
                final String answer = hello(busy, hub.scanPort(), 200 + i, "");
                if ("WELCOME".equals(answer)) {
                    welcomed++;
                } else {
                    refused = answer;
                }
            }
            assertThat(refused).isEqualTo(ErrorCode.UNAVAILABLE.name());
            assertThat(welcomed).isBetween(10, 12); // the burst, and what refilled while it was used
            assertThat(hello("127.0.0.1", hub.scanPort(), 300, "")).isEqualTo("WELCOME");
            assertThat(hub.metrics().scrape()).contains("sorthub_limit_trips_total{limit=\"hello_rate\"} 1.0");
        }
    }
}
