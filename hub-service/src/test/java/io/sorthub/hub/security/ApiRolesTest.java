package io.sorthub.hub.security;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bearer tokens and roles on the HTTP API; operator and admin actions are journaled with who did them. */
@Timeout(60)
class ApiRolesTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private int call(HubService hub, String method, String path, String token, String body) throws Exception {
        final HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Who changed what, as the hub's journal records it: outlet-state and audit records. */
    private List<String> auditTrail() {
        final List<String> audit = new ArrayList<>();
        try (Journal journal = new Journal(dir.resolve("hub").resolve("journal"), Journal.DEFAULT_ROLL_CYCLE);
             JournalReader reader = new JournalReader(journal)) {
            reader.readAll((index, r) -> {
                if (r.type() == JournalRecord.TYPE_OUTLET_STATE) {
                    audit.add(r.outletState().actor() + ": outlet " + r.outletState().outlet());
                } else if (r.type() == JournalRecord.TYPE_AUDIT) {
                    audit.add(r.audit().actor() + ": " + r.audit().action());
                }
            });
        }
        return audit;
    }

    @Test
    void eachRoleMayDoItsShareAndActionsAreJournaledWithTheirActor() throws Exception {
        final Path tokens = dir.resolve("tokens.yaml");
        Files.writeString(tokens, """
            tokens:
              - {name: wall-screen, role: viewer, token: "v-token"}
              - {name: floor-lead, role: operator, token: "o-token"}
              - {name: plan-admin, role: admin, token: "a-token"}
            """);
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.apiTokensFile = tokens.toString();
        try (HubService hub = HubService.start(config)) {
            assertThat(call(hub, "GET", "/health", null, null)).isEqualTo(200);
            assertThat(call(hub, "GET", "/api/outlets", null, null)).isEqualTo(401);
            assertThat(call(hub, "GET", "/api/outlets", "wrong", null)).isEqualTo(401);
            assertThat(call(hub, "GET", "/metrics", null, null)).isEqualTo(401);
            assertThat(call(hub, "GET", "/metrics", "v-token", null)).isEqualTo(200);
            assertThat(call(hub, "GET", "/api/outlets", "v-token", null)).isEqualTo(200);
            assertThat(call(hub, "PUT", "/api/outlets/5", "v-token", "{\"status\":\"full\"}")).isEqualTo(403);
            assertThat(call(hub, "PUT", "/api/outlets/5", "o-token", "{\"status\":\"full\"}")).isEqualTo(200);
            final String plan = HubService.demoPlanText().replace("name: demo", "name: demo-2");
            assertThat(call(hub, "PUT", "/api/sort-plan", "o-token", plan)).isEqualTo(403);
            assertThat(call(hub, "PUT", "/api/sort-plan", "a-token", plan)).isEqualTo(200);
            // Body limits: 64 KiB of JSON for an outlet change is refused, not buffered.
            assertThat(call(hub, "PUT", "/api/outlets/5", "o-token", "{\"status\":\"" + "x".repeat(70_000) + "\"}"))
                .isEqualTo(413);
        }
        final List<String> audit = auditTrail();
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0)).isEqualTo("floor-lead: outlet 5");
        assertThat(audit.get(1)).startsWith("plan-admin: installed sort plan 'demo-2' version ");
    }

    /** Device credentials are an admin's: replaced over the API, in force at the next HELLO, journaled without secrets. */
    @Test
    void anAdminReplacesDeviceCredentialsAndTheSwapIsAuditedWithoutSecrets() throws Exception {
        final Path tokens = dir.resolve("tokens.yaml");
        Files.writeString(tokens, """
            tokens:
              - {name: floor-lead, role: operator, token: "o-token"}
              - {name: sec-admin, role: admin, token: "a-token"}
            """);
        final Path devices = dir.resolve("devices.yaml");
        Files.writeString(devices, "devices:\n  - {sourceId: 1, secret: old-secret}\n");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.apiTokensFile = tokens.toString();
        config.devicesFile = devices.toString();
        try (HubService hub = HubService.start(config)) {
            final String next = "devices:\n  - {sourceId: 1, secret: [old-secret, new-secret]}\n  - {sourceId: 2, secret: s2}\n";
            assertThat(call(hub, "GET", "/api/devices", "o-token", null)).isEqualTo(403);
            assertThat(call(hub, "PUT", "/api/devices", "o-token", next)).isEqualTo(403);
            assertThat(call(hub, "PUT", "/api/devices", "a-token", "devices: [{sourceId: 1}]\n")).isEqualTo(400);
            io.sorthub.protocol.client.HubClient.connect("127.0.0.1", hub.scanPort(), 1, "s1", "old-secret",
                Duration.ofSeconds(10)).close(); // the refused upload changed nothing
            assertThat(call(hub, "PUT", "/api/devices", "a-token", next)).isEqualTo(200);
            assertThat(call(hub, "GET", "/api/devices", "a-token", null)).isEqualTo(200);
            io.sorthub.protocol.client.HubClient.connect("127.0.0.1", hub.scanPort(), 2, "s2", "s2",
                Duration.ofSeconds(10)).close();
            io.sorthub.protocol.client.HubClient.connect("127.0.0.1", hub.scanPort(), 1, "s1", "new-secret",
                Duration.ofSeconds(10)).close();
            assertThat(Files.readString(devices)).isEqualTo(next);
        }
        assertThat(auditTrail()).containsExactly("sec-admin: replaced the device credentials: 2 sources");
    }

    @Test
    void badTokensFilesAreNamed() {
        assertThatThrownBy(() -> ApiTokens.parse("tokens: [{name: a, role: boss, token: x}]", "t.yaml"))
            .hasMessage("t.yaml line 1: tokens[0] (a): role must be viewer, operator or admin");
        assertThatThrownBy(() -> ApiTokens.parse("tokens: [{role: admin, token: x}]", "t.yaml")).hasMessageContaining("name is missing");
        assertThatThrownBy(() -> ApiTokens.parse("tokens: [{name: a, role: admin}]", "t.yaml")).hasMessageContaining("give token or tokenSha256");
        assertThatThrownBy(() -> ApiTokens.parse("tokens: [{name: a, role: admin, tokenSha256: abcd}]", "t.yaml"))
            .hasMessageContaining("not 64 hex digits");
        assertThatThrownBy(() -> ApiTokens.parse("nope: 1", "t.yaml")).hasMessageContaining("a key that is none of tokens");
    }
}
