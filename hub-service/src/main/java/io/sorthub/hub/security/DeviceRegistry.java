package io.sorthub.hub.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Which sources may open a session, and with what credential: a YAML devices file.
 *
 * <pre>
 * devices:
 *   - {sourceId: 100, name: line-1, secretSha256: ["9f86d0…", "…"]}   # SHA-256 hex of each valid secret
 *   - {sourceId: 101, name: line-2, secret: "s3cret"}                  # or the secret itself
 * </pre>
 *
 * Credentials are compared as SHA-256 digests with {@link MessageDigest#isEqual}, in constant
 * time. Several secrets per source allow rotation: add the new one, move the devices over,
 * remove the old one. The file is re-read when it changes, without a restart: {@link #reloadIfChanged}
 * runs on a Vert.x worker every {@link HubSecrets#RELOAD_CHECK_MS} (it reads the disk and parses
 * YAML, which the event loops must not wait for) and swaps in the parsed devices as one
 * immutable map; a HELLO on an event loop only reads that map. A broken edit is refused with a
 * log line and the previous devices stay in force.
 */
public final class DeviceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

    private final WatchedFile file;
    private volatile Map<Integer, List<byte[]>> digests;

    private DeviceRegistry(WatchedFile file, Map<Integer, List<byte[]>> digests) {
        this.file = file;
        this.digests = digests;
    }

    /** @throws DevicesException naming what is wrong and where */
    public static DeviceRegistry load(Path file) throws DevicesException {
        final WatchedFile watched = WatchedFile.open("devicesFile", file);
        return new DeviceRegistry(watched, parse(watched.text(), file.toString()));
    }

    static Map<Integer, List<byte[]>> parse(String yaml, String name) throws DevicesException {
        final JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new DevicesException(name + ": not valid YAML at " + io.sorthub.kit.config.YamlErrors.describe(e));
        }
        if (root == null || !root.path("devices").isArray()) {
            throw new DevicesException(name + ": expected a 'devices' list");
        }
        unknownKeys(root, name, TOP_KEYS);
        final Map<Integer, List<byte[]>> out = new HashMap<>();
        int i = 0;
        for (JsonNode device : root.get("devices")) {
            final String where = name + ": devices[" + i++ + "]";
            if (!device.isObject()) {
                throw new DevicesException(where + ": expected {sourceId, name, secret or secretSha256}");
            }
            unknownKeys(device, where, DEVICE_KEYS);
            if (!device.path("sourceId").canConvertToInt() || device.path("sourceId").asInt() < 1) {
                throw new DevicesException(where + ": sourceId must be a whole number >= 1");
            }
            final int sourceId = device.get("sourceId").asInt();
            final List<byte[]> list = new ArrayList<>();
            for (JsonNode secret : values(device.get("secret"))) {
                if (secret.asText().isEmpty()) {
                    throw new DevicesException(where + " (source " + sourceId + "): secret must not be empty");
                }
                list.add(sha256(secret.asText().getBytes(StandardCharsets.UTF_8)));
            }
            for (JsonNode hex : values(device.get("secretSha256"))) {
                try {
                    final byte[] digest = HexFormat.of().parseHex(hex.asText());
                    if (digest.length != 32) {
                        throw new IllegalArgumentException("not 32 bytes");
                    }
                    list.add(digest);
                } catch (IllegalArgumentException e) {
                    // Not the value: a secret written under the wrong key must not reach a log.
                    throw new DevicesException(where + " (source " + sourceId + "): secretSha256 is not 64 hex digits");
                }
            }
            if (list.isEmpty()) {
                throw new DevicesException(where + " (source " + sourceId + "): give secret or secretSha256");
            }
            if (out.put(sourceId, List.copyOf(list)) != null) {
                throw new DevicesException(where + ": source " + sourceId + " is listed twice");
            }
        }
        return Map.copyOf(out);
    }

    private static final java.util.Set<String> TOP_KEYS = java.util.Set.of("devices");
    private static final java.util.Set<String> DEVICE_KEYS = java.util.Set.of("sourceId", "name", "secret", "secretSha256");

    /**
     * A misspelt key would silently drop what it meant (a second secret, a device), so it is an
     * error. The key is quoted only when it is a near miss of a known one: a key that is not
     * (a secret written without its {@code secret:}) must not reach a log.
     */
    static void unknownKeys(JsonNode object, String where, java.util.Set<String> known) throws DevicesException {
        for (java.util.Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            final String key = names.next();
            if (known.contains(key)) {
                continue;
            }
            throw new DevicesException(where + ": " + unknownKey(key, known));
        }
    }

    /** What to say of an unknown key: itself only when it is a near miss of a known one. */
    static String unknownKey(String key, java.util.Set<String> known) {
        final String knownList = String.join(", ", new java.util.TreeSet<>(known));
        for (String k : known) {
            if (io.sorthub.kit.config.SettingsReader.distance(key.toLowerCase(java.util.Locale.ROOT),
                k.toLowerCase(java.util.Locale.ROOT)) <= 2) {
                return "unknown key '" + key + "': did you mean '" + k + "'? (known: " + knownList + ")";
            }
        }
        return "a key that is none of " + knownList + " (not shown: it may be a secret written without its key)";
    }

    private static List<JsonNode> values(JsonNode node) {
        final List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private volatile boolean requireChallenge;

    /** Refuse HELLOs that carry their secret: every source must answer a challenge (protocol version 2). */
    public void requireChallenge(boolean require) {
        this.requireChallenge = require;
    }

    public boolean requiresChallenge() {
        return requireChallenge;
    }

    /**
     * Did this source answer {@code nonce} with a response only a holder of one of its secrets
     * can make ({@link io.sorthub.protocol.ChallengeResponse})? Once per HELLO, in constant time.
     */
    public boolean allowsResponse(int sourceId, byte[] nonce, byte[] response) {
        final List<byte[]> valid = digests.get(sourceId);
        if (valid == null) {
            return false;
        }
        boolean ok = false;
        for (byte[] digest : valid) { // the digest is the key: the hub never holds the secret itself
            ok |= io.sorthub.protocol.ChallengeResponse.matches(
                io.sorthub.protocol.ChallengeResponse.response(digest, nonce, sourceId), response);
        }
        return ok;
    }

    /** May this source open a session with this credential? Once per HELLO, on its event loop: no file access. */
    public boolean allows(int sourceId, String credential) {
        final List<byte[]> valid = digests.get(sourceId);
        if (valid == null) {
            return false;
        }
        final byte[] offered = sha256(credential.getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] digest : valid) {
            ok |= MessageDigest.isEqual(digest, offered); // no early exit: time does not tell which matched
        }
        return ok;
    }

    /**
     * Replace the devices file with {@code yaml} (an admin's upload): validated first, written
     * beside and renamed over the file, owner-only ({@code rw-------}) whatever the file was,
     * in force at once. A refused text changes nothing.
     *
     * @return the number of sources now allowed
     * @throws DevicesException naming what is wrong and where
     */
    public synchronized int replace(String yaml) throws DevicesException {
        final Map<Integer, List<byte[]>> parsed = parse(yaml, "uploaded devices");
        try {
            io.sorthub.kit.fs.OwnerOnly.replace(file.path(), yaml.getBytes(StandardCharsets.UTF_8));
            digests = parsed;
            file.wrote(yaml);
        } catch (IOException e) {
            throw new DevicesException("cannot write devices file " + file.path() + ": " + e.getMessage());
        }
        LOG.info("devices file {} replaced: {} sources", file.path(), parsed.size());
        return parsed.size();
    }

    /** The credentials in force as a devices file of SHA-256 digests only: what a hub pair replicates. */
    public String digestsYaml() {
        final StringBuilder yaml = new StringBuilder("devices:\n");
        new java.util.TreeMap<>(digests).forEach((id, list) -> {
            yaml.append("  - sourceId: ").append(id).append("\n    secretSha256:\n");
            for (byte[] digest : list) {
                yaml.append("      - \"").append(HexFormat.of().formatHex(digest)).append("\"\n");
            }
        });
        return yaml.toString();
    }

    /** Source id → how many secrets it has (never the secrets): for the admin API. */
    public Map<Integer, Integer> summary() {
        final Map<Integer, Integer> out = new java.util.TreeMap<>();
        digests.forEach((id, list) -> out.put(id, list.size()));
        return out;
    }

    public Path file() {
        return file.path();
    }

    /** Re-read the file if it changed, and put what it says in force; blocking (a Vert.x worker, or a test). */
    public void reloadIfChanged() {
        try {
            synchronized (this) {
                final String text = file.changedText();
                if (text != null) {
                    digests = parse(text, file.path().toString());
                    LOG.info("devices file {} reloaded: {} sources", file.path(), digests.size());
                }
            }
        } catch (IOException | DevicesException e) {
            LOG.error("devices file {} not reloaded, the previous devices stay in force: {}", file.path(), e.getMessage());
        }
    }

    /** A devices file that cannot be used. */
    public static final class DevicesException extends Exception {
        public DevicesException(String message) {
            super(message);
        }
    }
}
