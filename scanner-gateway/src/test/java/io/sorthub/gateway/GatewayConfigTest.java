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

    @Test
    void aDeviceChangesAnyElementOfItsProfileWithBytesNamedAsInTheManuals() throws Exception {
        final GatewayConfig config = GatewayConfig.parse("""
            devices:
              - name: clv
                profile: sick-clv
                mode: CONNECT
                custom: {header: "<ESC>[", terminator: "<CR><LF><0x03>", fields: [parcel_id, barcode], noRead: FAIL}
                answerFormat: "{sequence}<TAB>{outlet}"
            """, "gateway.yaml");
        final GatewayConfig.Device d = config.devices.get(0);
        assertThat(d.mode).isEqualTo(io.sorthub.gateway.device.DeviceMode.CONNECT);
        final var profile = GatewayConfig.profile(d);
        assertThat(profile.framing().header()).containsExactly(0x1B, '[');
        assertThat(profile.framing().terminator()).containsExactly('\r', '\n', 0x03);
        assertThat(profile.noRead()).containsExactly("FAIL");
        assertThat(profile.codeSeparator()).as("kept from sick-clv").isEqualTo(",");
        assertThat(profile.name()).isEqualTo("sick-clv+custom");
    }

    @Test
    void badProfileElementsAndAnswerFormatsAreNamed() {
        rejected("devices:\n  - {name: a, custom: {terminator: \"<ETB><BOGUS>\"}}\n", "device 'a'", "'<BOGUS>' is not a control character name");
        rejected("devices:\n  - {name: a, custom: {terminator: \"\"}}\n", "terminator must not be empty");
        rejected("devices:\n  - {name: a, answerFormat: \"{id}-{chute}\"}\n", "unknown placeholder {chute}");
        rejected("devices:\n  - {name: a, answerFormat: \"{id}\"}\n", "must contain {outlet}");
        rejected("devices:\n  - {name: a, mode: dial}\n", "mode must be listen or connect, not 'dial'", "line 2");
        rejected("devices:\n  - {name: a, custom: {timeZone: Mars}}\n", "timeZone 'Mars'");
        rejected("devices:\n  - {name: a, profile: sick}\n", "unknown profile 'sick'", "cognex-dataman");
        rejected("devices:\n  - {name: a, rejectOutlet: 0}\n", "rejectOutlet must be 1..65535");
    }
}
