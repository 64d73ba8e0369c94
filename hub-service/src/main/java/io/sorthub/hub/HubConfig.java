package io.sorthub.hub;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.kit.cli.FileProblems;
import io.sorthub.kit.config.SettingsException;
import io.sorthub.kit.config.SettingsReader;
import io.sorthub.hub.journal.Durability;
import io.sorthub.hub.journal.Journal;
import io.sorthub.protocol.Frame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hub's settings. Every field has a working default (the embedded demo); a YAML file,
 * then environment variables ({@code SORTHUB_SCAN_PORT} for scanPort), then command-line
 * flags override them. Unknown keys are errors, not silently ignored: a misspelt key at a
 * hub must not quietly leave a default in force.
 */
public final class HubConfig {
    /** Address of the scan port. */
    public String host = "127.0.0.1";
    public int scanPort = 7400;
    /**
     * Address of the HTTP port (API, /metrics, /health), apart from the scan port's: opening the
     * scan port to the sorter network does not open the API to it.
     */
    public String httpHost = "127.0.0.1";
    public int httpPort = 7480;
    /** One log line per HTTP request (logger io.sorthub.http.access). */
    public boolean httpAccessLog = false;
    /** An HTTP connection with no byte either way for this long is closed; also the wait for the next request. */
    public int httpIdleTimeoutMs = io.sorthub.kit.http.HttpLimits.DEFAULTS.idleTimeoutMs();
    /** A new HTTP connection's first request header (and TLS handshake) must be complete within this. */
    public int httpHeaderTimeoutMs = io.sorthub.kit.http.HttpLimits.DEFAULTS.headerTimeoutMs();
    /** A request body must be complete within this of its header. */
    public int httpRequestTimeoutMs = io.sorthub.kit.http.HttpLimits.DEFAULTS.requestTimeoutMs();
    /** HTTP connections open at once, at most; more are closed as they come. */
    public int httpMaxConnections = io.sorthub.kit.http.HttpLimits.DEFAULTS.maxConnections();
    /** HELLOs a second from one remote address (bursts of ten times that); more are refused UNAVAILABLE. 0: no limit. */
    public int helloRateLimit = 20;
    public String dataDir = "data";
    /** PEM certificate chain and private key: with both, the scan and HTTP ports speak TLS only. */
    public String tlsCertFile;
    public String tlsKeyFile;
    /** Devices file (sources and their credentials); null: any source may connect (development only). */
    public String devicesFile;
    /** HTTP API bearer tokens and roles; null: the API is open (development only). */
    public String apiTokensFile;
    /** Sort plan file; null means the built-in demo plan. */
    public String sortPlan;
    public String journalRollCycle = Journal.DEFAULT_ROLL_CYCLE;
    /**
     * What an ACK promises: {@code sync} (forced to disk before the ACK: survives a power cut; the
     * default) or {@code pagecache} (survives a crash of the process only; demos and benchmarks).
     */
    public String durability = "sync";
    /** Bytes of the queue between the event loops and the journal writer (a power of two). */
    public int journalQueueBytes = 8 * 1024 * 1024;
    public int maxFrameLength = Frame.MAX_FRAME_LENGTH;
    public int heartbeatIntervalMs = 5_000;
    /** Journal cycles older than this are deleted. */
    public int retentionHours = 7 * 24;
    /** Oldest cycles are deleted while the journal is bigger than this; 0 = no size budget. */
    public long retentionMaxBytes = 0;
    public int retentionCheckSeconds = 60;
    /** Below this much free disk the hub stops accepting events (and says so). */
    public long minFreeDiskBytes = 256L * 1024 * 1024;
    /** A scan reaching the hub later than this after its device time is late (上网及时率). */
    public long timelinessLimitMs = 600_000;
    /** Most memory the parcel trace index may take, a move between tables included; 0 = half the heap. */
    public long parcelIndexMaxBytes = 0;
    /**
     * Exit the process when the journal writer fails (a supervisor restarts it; replay recovers).
     * Off for a hub embedded in another program (tests); the command line starts from on, and the
     * file, environment or flags may still turn it off.
     */
    public boolean exitOnFatal = false;
    /** A connection that has not said HELLO by then is closed. */
    public int helloTimeoutMs = 10_000;
    /** A session with no frame at all for this long (no scans, no heartbeats) is closed. */
    public int idleTimeoutMs = 30_000;
    /** Scan connections open at once, at most; more are refused with ERROR UNAVAILABLE. */
    public int maxConnections = 1_000;
    /** Events a connection may have accepted but not yet journaled; beyond, it stops being read. */
    public int maxInFlight = 500_000;
    /** A SCAN may skip at most this many sequence numbers past what the hub holds; 0 = no bound. */
    public long maxSequenceGap = 1_000_000;
    /** With a devices file: refuse HELLOs that carry their secret; sources prove it by challenge and response. */
    public boolean requireChallenge = false;
    /** A decided parcel not confirmed by the sorter within this is counted unconfirmed (0: never). */
    public long confirmTimeoutMs = 60_000;
    /** Event loops serving the scan port; the journal writer has a thread of its own. */
    public int ingestThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** This hub's name across the network (1..32 printable ASCII characters): in every exported record. */
    public String hubId = "demo-hub";
    /** Kafka bootstrap servers of the journal exporter (docs/EXPORT.md); unset: no export. */
    public String exportKafkaBootstrap;
    public String exportTopic = "sorthub.scans";
    /** The exporter's name: its position is kept in {@code <dataDir>/export/<name>.position}. */
    public String exportName = "kafka";
    /** Passed to the Kafka producer (security.protocol, ssl.*, sasl.*, ...); not acks or idempotence. */
    public java.util.Map<String, String> exportKafkaProperties = new java.util.LinkedHashMap<>();

    /** Kafka bootstrap servers of a hub pair's cluster (docs/HA.md); unset: a single hub. */
    public String pairBootstrap;
    /** The pair's name, the same on every instance of it; default: hubId. */
    public String pairName;
    /** This instance's name within the pair; default: the host name. */
    public String pairInstance;
    /** host:port where sources reach this instance's scan port; default: host and the scan port. */
    public String pairAdvertisedAddress;
    /** Replicas of the pair's log, at least (3: a broker may fail without losing an acknowledged event). */
    public int pairReplicationFactor = 3;
    /** Replicas that must hold a batch before its events are acknowledged, at least. */
    public int pairMinInsyncReplicas = 2;
    /** The active silent this long is replaced by a standby (the brokers' group.min.session.timeout.ms must allow it). */
    public int pairSessionTimeoutMs = 1_000;
    /** Passed to the pair's Kafka clients (security.protocol, ssl.*, sasl.*). */
    public java.util.Map<String, String> pairKafkaProperties = new java.util.LinkedHashMap<>();

    /** Unknown keys and {@code key: ~} are errors naming the key and line, not a default left in force. */
    private static final SettingsReader<HubConfig> SETTINGS = new SettingsReader<>(YAMLMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL))
        .build(), HubConfig.class, "SORTHUB_");
    /** Variables of the environment the hub reads that are not keys: not reported as typos. */
    private static final java.util.Set<String> OTHER_VARIABLES = java.util.Set.of("SORTHUB_TOKEN", "SORTHUB_LOG_FORMAT");

    public static HubConfig load(Path file) throws ConfigException {
        return load(file, new HubConfig());
    }

    /** The file's keys over {@code base}: what the file leaves out keeps the base's value. */
    public static HubConfig load(Path file, HubConfig base) throws ConfigException {
        final String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + FileProblems.describe(e));
        }
        return parse(text, file.toString(), base);
    }

    public static HubConfig parse(String yaml, String name) throws ConfigException {
        return parse(yaml, name, new HubConfig());
    }

    private static HubConfig parse(String yaml, String name, HubConfig base) throws ConfigException {
        final HubConfig config;
        try {
            config = SETTINGS.file(base, yaml, name);
        } catch (SettingsException e) {
            throw new ConfigException(e.getMessage());
        }
        config.validate(name);
        return config;
    }

    /**
     * Every {@code SORTHUB_<KEY>} variable of {@code environment} over {@code config} (e.g.
     * {@code SORTHUB_SCAN_PORT} for scanPort), then validated: an error names the variable.
     */
    public static HubConfig environment(HubConfig config, java.util.Map<String, String> environment) throws ConfigException {
        try {
            SETTINGS.environment(config, environment);
        } catch (SettingsException e) {
            throw new ConfigException(e.getMessage());
        }
        final java.util.List<String> set = SETTINGS.variables().values().stream()
            .filter(v -> environment.get(v) != null && !environment.get(v).isEmpty()).toList();
        if (!set.isEmpty()) {
            config.validate("environment " + String.join(", ", set));
        }
        return config;
    }

    /** {@code SORTHUB_} variables that set nothing (a typo), each with the nearest key's variable. */
    public static java.util.List<String> unknownVariables(java.util.Map<String, String> environment) {
        return SETTINGS.unknownVariables(environment, v -> OTHER_VARIABLES.contains(v) || v.startsWith("SORTHUB_GATEWAY_"));
    }

    /** Each key's environment variable. */
    public static java.util.Map<String, String> variables() {
        return SETTINGS.variables();
    }

    /** @throws ConfigException naming the first setting that cannot work. */
    public void validate(String name) throws ConfigException {
        checkPort(name, "scanPort", scanPort);
        checkPort(name, "httpPort", httpPort);
        if (host == null || host.isBlank()) {
            throw new ConfigException(name + ": host must not be empty");
        }
        if (httpHost == null || httpHost.isBlank()) {
            throw new ConfigException(name + ": httpHost must not be empty");
        }
        final String httpProblem = httpLimits().problem();
        if (httpProblem != null) {
            throw new ConfigException(name + ": " + httpProblem);
        }
        if (helloRateLimit < 0) {
            throw new ConfigException(name + ": helloRateLimit must be >= 0 (0 = no limit)");
        }
        if (dataDir == null || dataDir.isBlank()) {
            throw new ConfigException(name + ": dataDir must not be empty");
        }
        if (sortPlan != null && !Files.isReadable(Path.of(sortPlan))) {
            throw new ConfigException(name + ": sortPlan " + sortPlan + ": "
                + (Files.exists(Path.of(sortPlan)) ? "cannot be read (permissions)" : "no such file"));
        }
        if (journalQueueBytes < 64 * 1024 || Integer.bitCount(journalQueueBytes) != 1) {
            throw new ConfigException(name + ": journalQueueBytes " + journalQueueBytes
                + " must be a power of two of at least 65536");
        }
        if (maxFrameLength < 256 || maxFrameLength > Frame.MAX_FRAME_LENGTH) {
            throw new ConfigException(name + ": maxFrameLength " + maxFrameLength + " must be 256.."
                + Frame.MAX_FRAME_LENGTH);
        }
        if (heartbeatIntervalMs < 100) {
            throw new ConfigException(name + ": heartbeatIntervalMs " + heartbeatIntervalMs + " must be >= 100");
        }
        if (ingestThreads < 1 || ingestThreads > 64) {
            throw new ConfigException(name + ": ingestThreads " + ingestThreads + " must be 1..64");
        }
        if (helloTimeoutMs < 100 || idleTimeoutMs < 100 || maxConnections < 1 || maxInFlight < 1) {
            throw new ConfigException(name + ": helloTimeoutMs and idleTimeoutMs must be >= 100, "
                + "maxConnections and maxInFlight >= 1");
        }
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new ConfigException(name + ": give both tlsCertFile and tlsKeyFile, or neither");
        }
        for (String file : new String[] {tlsCertFile, tlsKeyFile}) {
            if (file != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
                throw new ConfigException(name + ": TLS file " + file + " cannot be read");
            }
        }
        if (timelinessLimitMs < 1) {
            throw new ConfigException(name + ": timelinessLimitMs must be >= 1");
        }
        if (retentionHours < 1 || retentionMaxBytes < 0 || retentionCheckSeconds < 1 || minFreeDiskBytes < 0) {
            throw new ConfigException(name + ": retentionHours and retentionCheckSeconds must be >= 1, "
                + "retentionMaxBytes and minFreeDiskBytes >= 0");
        }
        if (maxSequenceGap < 0) {
            throw new ConfigException(name + ": maxSequenceGap must be >= 0 (0 = no bound)");
        }
        if (confirmTimeoutMs < 0 || (confirmTimeoutMs > 0 && confirmTimeoutMs < 1000)) {
            throw new ConfigException(name + ": confirmTimeoutMs " + confirmTimeoutMs
                + " must be 0 (not tracked) or at least 1000");
        }
        try {
            Durability.parse(durability);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": durability: " + e.getMessage());
        }
        try {
            Journal.rollCycle(journalRollCycle);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": journalRollCycle: " + e.getMessage());
        }
        if (hubId == null || hubId.isEmpty() || hubId.length() > 32 || !io.sorthub.protocol.Ascii.isCode(hubId)) {
            throw new ConfigException(name + ": hubId '" + hubId + "' must be 1..32 printable ASCII characters");
        }
        validateExport(name);
        validatePair(name);
    }

    private void validatePair(String name) throws ConfigException {
        if (pairBootstrap == null) {
            return;
        }
        if (pairBootstrap.isBlank()) {
            throw new ConfigException(name + ": pairBootstrap must name host:port of at least one broker of the pair's cluster");
        }
        for (String value : new String[] {pairName, pairInstance}) {
            if (value != null && !value.matches("[a-zA-Z0-9._-]{1,64}")) {
                throw new ConfigException(name + ": pairName and pairInstance must be 1..64 of a-z A-Z 0-9 . _ - ('" + value + "')");
            }
        }
        if (pairAdvertisedAddress != null && !pairAdvertisedAddress.matches("[^\\s:]+:\\d{1,5}")) {
            throw new ConfigException(name + ": pairAdvertisedAddress '" + pairAdvertisedAddress + "' must be host:port");
        }
        if (pairReplicationFactor < 1 || pairMinInsyncReplicas < 1 || pairMinInsyncReplicas > pairReplicationFactor) {
            throw new ConfigException(name + ": pairReplicationFactor must be >= 1 and pairMinInsyncReplicas 1.."
                + "pairReplicationFactor");
        }
        if (pairMinInsyncReplicas < 2) {
            throw new ConfigException(name + ": pairMinInsyncReplicas must be at least 2: an ACK promises the event is on "
                + "more than one machine");
        }
        if (pairSessionTimeoutMs < 100 || pairSessionTimeoutMs > 60_000) {
            throw new ConfigException(name + ": pairSessionTimeoutMs must be 100..60000");
        }
    }

    /** The pair's settings, or null for a single hub; {@code scanAddress} is what to advertise if none is set. */
    public io.sorthub.hub.pair.PairSettings pairSettings(String scanAddress) {
        if (pairBootstrap == null) {
            return null;
        }
        String instance = pairInstance;
        if (instance == null) {
            try {
                instance = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^a-zA-Z0-9._-]", "-");
            } catch (java.io.IOException e) {
                instance = "instance-" + ProcessHandle.current().pid();
            }
        }
        return new io.sorthub.hub.pair.PairSettings(pairBootstrap, pairName == null ? hubId : pairName, instance,
            pairAdvertisedAddress == null ? scanAddress : pairAdvertisedAddress, (short) pairReplicationFactor,
            pairMinInsyncReplicas, pairSessionTimeoutMs, retentionHours * 3_600_000L, pairKafkaProperties);
    }

    /** The HTTP port's bounds. */
    public io.sorthub.kit.http.HttpLimits httpLimits() {
        return new io.sorthub.kit.http.HttpLimits(httpIdleTimeoutMs, httpHeaderTimeoutMs, httpRequestTimeoutMs,
            httpMaxConnections);
    }

    /** The durability level set by {@link #durability} (validated). */
    public Durability durability() {
        return Durability.parse(durability);
    }

    /** The exporter's settings from this config (export on or not: see {@link #exportKafkaBootstrap}). */
    public io.sorthub.hub.export.KafkaExport.Settings exportSettings() {
        return new io.sorthub.hub.export.KafkaExport.Settings(exportKafkaBootstrap, exportTopic, exportName, hubId,
            exportKafkaProperties);
    }

    private void validateExport(String name) throws ConfigException {
        if (exportKafkaBootstrap == null) {
            return;
        }
        if (exportKafkaBootstrap.isBlank()) {
            throw new ConfigException(name + ": exportKafkaBootstrap must name host:port of at least one broker");
        }
        if (exportTopic == null || !exportTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new ConfigException(name + ": exportTopic '" + exportTopic + "' is not a Kafka topic name");
        }
        if (exportName == null || !exportName.matches("[a-zA-Z0-9._-]{1,64}")) {
            throw new ConfigException(name + ": exportName '" + exportName + "' must be 1..64 of a-z A-Z 0-9 . _ -");
        }
        for (var e : exportKafkaProperties.entrySet()) {
            final String fixed = io.sorthub.hub.export.KafkaExport.FIXED.get(e.getKey());
            if (fixed != null && !fixed.equals(e.getValue())) {
                throw new ConfigException(name + ": exportKafkaProperties: " + e.getKey() + " must stay " + fixed
                    + " (the exporter's no-loss, in-order guarantee rests on it)");
            }
        }
    }

    private static void checkPort(String name, String key, int port) throws ConfigException {
        if (port < 0 || port > 65535) {
            throw new ConfigException(name + ": " + key + " " + port + " is not a TCP port (0 picks a free one)");
        }
    }

    /** A setting that cannot work; the message names it and where it came from. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
