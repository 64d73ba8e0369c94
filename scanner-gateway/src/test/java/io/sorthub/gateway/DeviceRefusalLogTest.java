package io.sorthub.gateway;

import io.sorthub.test.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device's refused telegrams on a real socket: the first of each kind is logged with what
 * was wrong, the rest only counted; each gateway names its own first, even in one JVM.
 */
@Timeout(60)
class DeviceRefusalLogTest {
    private static final String LOGGER = "io.sorthub.gateway.DeviceErrors";
    private final CapturedLog log = new CapturedLog();

    @TempDir
    Path dir;

    @AfterEach
    void release() {
        log.close();
    }

    private List<String> messages() {
        return log.of(LOGGER).stream().map(line -> line.substring(line.indexOf(": ") + 2)).toList();
    }

    /** Two refused telegrams into a gateway with no hub; each is answered with the reject outlet. */
    private void refuseTwice(String spool) throws Exception {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = 1; // no hub: a refusal is answered without one
        config.httpPort = 0;
        config.spoolDir = dir.resolve(spool).toString();
        config.devices.get(0).port = 0;
        try (GatewayService service = GatewayService.start(config);
             Socket scanner = new Socket(InetAddress.getLoopbackAddress(), service.gateway().devicePort("tunnel-1"))) {
            scanner.setSoTimeout(20_000);
            final BufferedReader in = new BufferedReader(new InputStreamReader(scanner.getInputStream(),
                StandardCharsets.ISO_8859_1));
            for (String parcel : List.of("P1", "P2")) {
                scanner.getOutputStream().write((parcel + ",SF1,518057,1,1,x,1,0\n").getBytes(StandardCharsets.ISO_8859_1));
                scanner.getOutputStream().flush();
                assertThat(in.readLine()).as("reject outlet").isEqualTo(parcel + ",99");
            }
        }
    }

    @Test
    void theFirstRefusalOfEachKindIsLoggedOncePerGateway() throws Exception {
        refuseTwice("spool1");
        assertThat(messages()).hasSize(1);
        assertThat(messages().get(0)).startsWith("device tunnel-1: ").contains("P1")
            .endsWith("; further ones are counted only");
        refuseTwice("spool2");
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(1)).startsWith("device tunnel-1: ").contains("P1");
    }
}
