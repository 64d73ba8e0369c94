package io.sorthub.hub.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.kit.config.YamlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Who may use the HTTP API, from a YAML tokens file (docs/SECURITY.md). Requests carry
 * {@code Authorization: Bearer <token>}; tokens are compared as SHA-256 digests in constant
 * time.
 *
 * <pre>
 * tokens:
 *   - {name: ops-desk, role: operator, tokenSha256: "…64 hex…"}
 *   - {name: plan-admin, role: admin, token: "…"}
 *   - {name: grafana, role: viewer, token: "…"}
 * </pre>
 *
 * A token listed twice is refused, naming both lines: with two roles, which one it has would
 * depend on the order. The file is re-read when it changes ({@link #reloadIfChanged}, on a
 * Vert.x worker every {@link HubSecrets#RELOAD_CHECK_MS}: it reads the disk and parses YAML,
 * which the event loops that answer requests, shared with scan sessions, must not wait for),
 * so a token is rotated without a restart; a broken edit is refused with a log line naming the
 * line and key, never a token, and the tokens in force stay.
 */
public final class ApiTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);

    /** viewer: traces, outlets, plan, metrics; operator: also outlet state; admin: also sort plans. */
    public enum Role { VIEWER, OPERATOR, ADMIN }

    /** A caller the token identified. */
    public record Caller(String name, Role role) {
        public boolean may(Role needed) {
            return role.ordinal() >= needed.ordinal();
        }
    }

    private record Entry(byte[] digest, Caller caller, int line) {
    }

    private final WatchedFile file;
    private volatile List<Entry> entries;

    private ApiTokens(WatchedFile file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** @throws DeviceRegistry.DevicesException naming what is wrong and where */
    public static ApiTokens load(Path file) throws DeviceRegistry.DevicesException {
        final WatchedFile watched = WatchedFile.open("apiTokensFile", file);
        return new ApiTokens(watched, parse(watched.text(), file.toString()).entries);
    }

    static ApiTokens parse(String yaml, String name) throws DeviceRegistry.DevicesException {
        final List<Entry> entries = new ArrayList<>();
        boolean listed = false;
        try (JsonParser parser = new YAMLMapper().createParser(yaml)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DeviceRegistry.DevicesException(name + ": expected a 'tokens' list");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if (!"tokens".equals(parser.currentName())) {
                    throw new DeviceRegistry.DevicesException(name + " line " + parser.currentTokenLocation().getLineNr()
                        + ": " + DeviceRegistry.unknownKey(parser.currentName(), java.util.Set.of("tokens")));
                }
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new DeviceRegistry.DevicesException(name + " line " + parser.currentTokenLocation().getLineNr()
                        + ": tokens must be a list");
                }
                listed = true;
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    final int line = parser.currentTokenLocation().getLineNr();
                    final JsonNode t = parser.readValueAsTree();
                    entries.add(entry(t, name + " line " + line + ": tokens[" + i++ + "]", line));
                }
            }
        } catch (JsonProcessingException e) {
            throw new DeviceRegistry.DevicesException(name + ": not valid YAML at " + YamlErrors.describe(e));
        } catch (IOException e) {
            throw new DeviceRegistry.DevicesException(name + ": " + e.getMessage()); // not expected from a String
        }
        if (!listed) {
            throw new DeviceRegistry.DevicesException(name + ": expected a 'tokens' list");
        }
        for (int i = 0; i < entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                final Entry a = entries.get(j);
                final Entry b = entries.get(i);
                if (MessageDigest.isEqual(a.digest(), b.digest())) {
                    throw new DeviceRegistry.DevicesException(name + ": line " + a.line() + " (" + describe(a.caller())
                        + ") and line " + b.line() + " (" + describe(b.caller()) + ") have the same token; give each its own");
                }
            }
        }
        return new ApiTokens(null, List.copyOf(entries));
    }

    private static String describe(Caller caller) {
        return caller.name() + ", " + caller.role().name().toLowerCase(Locale.ROOT);
    }

    private static final java.util.Set<String> ENTRY_KEYS = java.util.Set.of("name", "role", "token", "tokenSha256");

    private static Entry entry(JsonNode t, String where, int line) throws DeviceRegistry.DevicesException {
        if (t == null || !t.isObject()) {
            throw new DeviceRegistry.DevicesException(where + ": expected {name, role, token or tokenSha256}");
        }
        DeviceRegistry.unknownKeys(t, where, ENTRY_KEYS);
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
        return new Entry(digest, new Caller(who, role), line);
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

    /**
     * Re-read the file if it changed since it was last read. A worker thread: it reads the disk.
     * One at a time: two reloads racing could leave the older file's tokens in force.
     */
    public synchronized void reloadIfChanged() {
        if (file == null) {
            return;
        }
        try {
            final String text = file.changedText();
            if (text != null) {
                entries = parse(text, file.path().toString()).entries;
                LOG.info("tokens file {} reloaded: {} tokens", file.path(), entries.size());
            }
        } catch (IOException | DeviceRegistry.DevicesException e) {
            LOG.error("tokens file {} not reloaded, the tokens in force stay: {}", file.path(), e.getMessage());
        }
    }
}
