package io.sorthub.hub.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Who may use the HTTP API, from a YAML tokens file. Requests carry
 * {@code Authorization: Bearer <token>}; tokens are compared as SHA-256 digests in constant
 * time.
 *
 * <pre>
 * tokens:
 *   - {name: ops-desk, role: operator, tokenSha256: "…64 hex…"}
 *   - {name: plan-admin, role: admin, token: "…"}
 *   - {name: grafana, role: viewer, token: "…"}
 * </pre>
 */
public final class ApiTokens {
    /** viewer: traces, outlets, plan, metrics; operator: also outlet state; admin: also sort plans. */
    public enum Role { VIEWER, OPERATOR, ADMIN }

    /** A caller the token identified. */
    public record Caller(String name, Role role) {
        public boolean may(Role needed) {
            return role.ordinal() >= needed.ordinal();
        }
    }

    private record Entry(byte[] digest, Caller caller) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = entries;
    }

    /** @throws DeviceRegistry.DevicesException naming what is wrong and where */
    public static ApiTokens load(Path file) throws DeviceRegistry.DevicesException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new DeviceRegistry.DevicesException("cannot read tokens file " + file + ": " + e.getMessage());
        }
    }

    static ApiTokens parse(String yaml, String name) throws DeviceRegistry.DevicesException {
        final JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new DeviceRegistry.DevicesException(name + ": not valid YAML at line " + e.getLocation().getLineNr()
                + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.path("tokens").isArray()) {
            throw new DeviceRegistry.DevicesException(name + ": expected a 'tokens' list");
        }
        final List<Entry> entries = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.get("tokens")) {
            final String where = name + ": tokens[" + i++ + "]";
            final String who = t.path("name").asText("");
            if (who.isEmpty()) {
                throw new DeviceRegistry.DevicesException(where + ": name is missing");
            }
            final Role role;
            try {
                role = Role.valueOf(t.path("role").asText("").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DeviceRegistry.DevicesException(where + " (" + who + "): role must be viewer, operator or admin");
            }
            final byte[] digest;
            if (t.hasNonNull("token") && !t.get("token").asText().isEmpty()) {
                digest = DeviceRegistry.sha256(t.get("token").asText().getBytes(StandardCharsets.UTF_8));
            } else if (t.hasNonNull("tokenSha256")) {
                try {
                    digest = HexFormat.of().parseHex(t.get("tokenSha256").asText());
                } catch (IllegalArgumentException e) {
                    throw new DeviceRegistry.DevicesException(where + " (" + who + "): tokenSha256 is not hex");
                }
                if (digest.length != 32) {
                    throw new DeviceRegistry.DevicesException(where + " (" + who + "): tokenSha256 is not 64 hex digits");
                }
            } else {
                throw new DeviceRegistry.DevicesException(where + " (" + who + "): give token or tokenSha256");
            }
            entries.add(new Entry(digest, new Caller(who, role)));
        }
        return new ApiTokens(List.copyOf(entries));
    }

    /** @return the caller for an Authorization header value, or null when absent or unknown */
    public Caller caller(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        final byte[] offered = DeviceRegistry.sha256(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), offered)) { // every entry compared: no timing hint
                found = e.caller();
            }
        }
        return found;
    }
}
