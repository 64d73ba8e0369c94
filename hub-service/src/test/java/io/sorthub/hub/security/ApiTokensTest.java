package io.sorthub.hub.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tokens file as docs/SECURITY.md describes it: each malformed file refused in one line naming where. */
class ApiTokensTest {
    @Test
    void theFormatOfTheDocsIsRead() throws Exception {
        final ApiTokens tokens = ApiTokens.parse("""
            # docs/SECURITY.md
            tokens:
              - name: grafana
                role: viewer
                token: "v-token"
              - {name: ops-desk, role: operator, tokenSha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
            """, "tokens.yaml");
        assertThat(tokens.caller("Bearer v-token")).isEqualTo(new ApiTokens.Caller("grafana", ApiTokens.Role.VIEWER));
        assertThat(tokens.caller("Bearer test")).isEqualTo(new ApiTokens.Caller("ops-desk", ApiTokens.Role.OPERATOR));
        assertThat(tokens.caller("Bearer nope")).isNull();
        assertThat(tokens.caller(null)).isNull();
    }

    @Test
    void theSameTokenTwiceIsRefusedNamingBothLines() {
        assertThatThrownBy(() -> ApiTokens.parse("""
            tokens:
              - {name: grafana, role: viewer, token: "shared"}
              - {name: ops-desk, role: operator, token: "mine"}
              - {name: plan-admin, role: admin, tokenSha256: "%s"}
            """.formatted(java.util.HexFormat.of().formatHex(DeviceRegistry.sha256("shared".getBytes()))), "tokens.yaml"))
            .isInstanceOf(DeviceRegistry.DevicesException.class)
            .hasMessage("tokens.yaml: line 2 (grafana, viewer) and line 4 (plan-admin, admin) have the same token; "
                + "give each its own");
    }

    @Test
    void malformedFilesAreRefusedByLineAndKeyWithoutTheToken() {
        assertThatThrownBy(() -> ApiTokens.parse("tokens:\n  - {name: a, role: viewer, token: \"t0ps3cret\n", "t.yaml"))
            .hasMessageStartingWith("t.yaml: not valid YAML at line ").hasMessageNotContaining("t0ps3cret");
        assertThatThrownBy(() -> ApiTokens.parse("tokens:\n  - {name: a, role: root, token: x}\n", "t.yaml"))
            .hasMessage("t.yaml line 2: tokens[0] (a): role must be viewer, operator or admin");
        assertThatThrownBy(() -> ApiTokens.parse("tokens:\n  - {name: a, role: admin, tokenSha256: t0ps3cret}\n", "t.yaml"))
            .hasMessage("t.yaml line 2: tokens[0] (a): tokenSha256 is not hex");
        assertThatThrownBy(() -> ApiTokens.parse("tokens:\n  - just-a-token\n", "t.yaml"))
            .hasMessage("t.yaml line 2: tokens[0]: expected {name, role, token or tokenSha256}");
        assertThatThrownBy(() -> ApiTokens.parse("tokenz: []\n", "t.yaml"))
            .hasMessage("t.yaml line 1: unknown key 'tokenz': did you mean 'tokens'? (known: tokens)");
        assertThatThrownBy(() -> ApiTokens.parse("", "t.yaml")).hasMessage("t.yaml: expected a 'tokens' list");
    }

    @Test
    void aMisspeltKeyIsNamedAndAnyOtherUnknownKeyIsRefusedWithoutBeingQuoted() {
        assertThatThrownBy(() -> ApiTokens.parse("tokens:\n  - {name: a, role: viewer, tokn: x}\n", "t.yaml"))
            .hasMessage("t.yaml line 2: tokens[0]: unknown key 'tokn': did you mean 'token'? (known: name, role, token, "
                + "tokenSha256)");
        // a token written without its key: refused, and not quoted
        assertThatThrownBy(() -> ApiTokens.parse("tokens:\n  - {name: a, role: viewer, Zq81xLw0pPq}\n", "t.yaml"))
            .hasMessageContaining("t.yaml line 2: tokens[0]: a key that is none of name, role, token, tokenSha256")
            .hasMessageNotContaining("Zq81xLw0pPq");
        assertThatThrownBy(() -> ApiTokens.parse("tokens: []\nZq81xLw0pPq: 1\n", "t.yaml"))
            .hasMessageStartingWith("t.yaml line 2: a key that is none of tokens").hasMessageNotContaining("Zq81xLw0pPq");
    }

    @Test
    void theDevicesFileRefusesUnknownKeysTheSameWay() {
        assertThatThrownBy(() -> DeviceRegistry.parse("devices:\n  - {sourceId: 1, secret: a, secretSha265: b}\n", "d.yaml"))
            .hasMessage("d.yaml: devices[0]: unknown key 'secretSha265': did you mean 'secretSha256'? (known: name, secret, "
                + "secretSha256, sourceId)");
        assertThatThrownBy(() -> DeviceRegistry.parse("devices:\n  - {sourceId: 1, Zq81xLw0pPq}\n", "d.yaml"))
            .hasMessageStartingWith("d.yaml: devices[0]: a key that is none of").hasMessageNotContaining("Zq81xLw0pPq");
        assertThatThrownBy(() -> DeviceRegistry.parse("devics: []\ndevices: []\n", "d.yaml"))
            .hasMessageStartingWith("d.yaml: unknown key 'devics': did you mean 'devices'?");
    }
}
