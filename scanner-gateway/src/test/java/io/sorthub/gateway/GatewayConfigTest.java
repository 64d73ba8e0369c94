package io.sorthub.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigTest {
    private static void rejected(String yaml, String... fragments) {
        assertThatThrownBy(() -> GatewayConfig.parse(yaml, "gateway.yaml")).isInstanceOf(GatewayConfig.ConfigException.class)
            .satisfies(e -> assertThat(e.getMessage()).contains("gateway.yaml").contains(fragments));
    }

    @Test
    void emptyOrCommentOnlyFileGivesTheDemoDefaults() throws Exception {
        assertThat(GatewayConfig.parse("", "gateway.yaml").sourceId).isEqualTo(100);
        assertThat(GatewayConfig.parse("# later\n", "gateway.yaml").devices).hasSize(1);
    }

    /** Found by GatewayConfigFuzzTest: `answer: null` was a NullPointerException in validation. */
    @Test
    void explicitNullsAndBadDevicesAreNamedWithTheirLine() {
        rejected("devices:\n  - name: a\n    answer: null\n", "answer", "line 3");
        rejected("devices: [~]\n", "line 1");
        rejected("devices:\n  - name: a\n    custom: {fields: [barcode, ~]}\n", "line 3");
        rejected("devices:\n  - {name: a, answer: b}\n", "answer 'b'");
        rejected("devices:\n  - {name: a, custom: {framing: morse}}\n", "framing 'morse'");
        rejected("sourceId: 0\n", "sourceId");
        rejected("sourceId: 1\nsourceid: 2\n", "unknown key 'sourceid'", "line 2");
    }
}
