package io.sorthub.kit.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {
    @Test
    void parsesHostsNamesAndIpv6() {
        assertThat(HostPort.parse("127.0.0.1:7400")).isEqualTo(new HostPort("127.0.0.1", 7400));
        assertThat(HostPort.parse(" hub-a.example:1 ")).isEqualTo(new HostPort("hub-a.example", 1));
        assertThat(HostPort.parse("[::1]:65535")).isEqualTo(new HostPort("::1", 65535));
        assertThat(HostPort.parse("[::1]:65535").toString()).isEqualTo("[::1]:65535");
    }

    @Test
    void refusesWhatIsNotHostAndPort() {
        for (String bad : new String[] {"", "7400", ":7400", "hub", "hub:", "hub:0", "hub:65536", "hub:260000", "hub:x",
            "hub:-1", "hub:99999999999", "[::1]"}) {
            assertThatThrownBy(() -> HostPort.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not HOST:PORT with a port of 1..65535");
        }
    }
}
