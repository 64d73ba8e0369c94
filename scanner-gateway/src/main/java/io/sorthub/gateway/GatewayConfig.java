package io.sorthub.gateway;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.gateway.device.AnswerTo;
import io.sorthub.gateway.device.DeviceMode;
import io.sorthub.gateway.scanner.AnswerFormat;
import io.sorthub.gateway.scanner.ControlNames;
import io.sorthub.gateway.scanner.Field;
import io.sorthub.gateway.scanner.Framing;
import io.sorthub.gateway.scanner.ScannerProfile;
import io.sorthub.kit.cli.FileProblems;
import io.sorthub.kit.cli.HostPort;
import io.sorthub.kit.config.SettingsException;
import io.sorthub.kit.config.SettingsReader;
import io.sorthub.protocol.EventKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's settings (YAML): which hub, which spool, and the devices of its sorter line.
 * Defaults are the demo: source 100, one generic-CSV induction scanner listening on
 * 127.0.0.1:7600. A file, then {@code SORTHUB_GATEWAY_<KEY>} variables, then flags override
 * them. Unknown keys are errors with their line.
 */
public final class GatewayConfig {
    public int sourceId = 100;
    public String name = "line-1";
    public String hubHost = "127.0.0.1";
    public int hubPort = 7400;
    /**
     * The instances of a hub pair, HOST:PORT each (docs/HA.md); when set, hubHost and hubPort
     * are not used. The link follows the active.
     */
    public List<String> hubs = new ArrayList<>();
    /** HEARTBEATs to the hub this often; a live hub echoes them. */
    public int hubHeartbeatMs = 1_000;
    /** A hub that sent nothing for this long is taken for lost (frozen, cut off); 0 = never. */
    public int hubSilenceMs = 3_000;
    /** PEM certificate(s) the hub's certificate must chain to: with it, the hub link uses TLS and verifies the hub. */
    public String hubTrustFile;
    /** This gateway's secret in the hub's devices file; empty when the hub requires none. */
    public String credential = "";
    /** Address of /metrics and /health: they have no authentication, so loopback unless a scraper elsewhere needs them. */
    public String httpHost = "127.0.0.1";
    public int httpPort = 7680;
    /** An HTTP connection with no byte either way for this long is closed; also the wait for the next request. */
    public int httpIdleTimeoutMs = io.sorthub.kit.http.HttpLimits.DEFAULTS.idleTimeoutMs();
    /** A new HTTP connection's first request header must be complete within this. */
    public int httpHeaderTimeoutMs = io.sorthub.kit.http.HttpLimits.DEFAULTS.headerTimeoutMs();
    /** A request body must be complete within this of its header. */
    public int httpRequestTimeoutMs = io.sorthub.kit.http.HttpLimits.DEFAULTS.requestTimeoutMs();
    /** HTTP connections open at once, at most; more are closed as they come. */
    public int httpMaxConnections = 32;
    public String spoolDir = "gateway-data/spool";
    public String spoolRollCycle = "FAST_HOURLY";
    public long minFreeDiskBytes = 256L * 1024 * 1024;
    public List<Device> devices = new ArrayList<>(List.of(new Device()));

    /** One scanner, dimensioner or sorter controller. */
    public static final class Device {
        public String name = "tunnel-1";
        /** A built-in profile name; {@link #custom} changes any of its elements. */
        public String profile = "generic-csv";
        public CustomProfile custom;
        public DeviceMode mode = DeviceMode.LISTEN;
        public String host = "127.0.0.1";
        public int port = 7600;
        /** What a read at this device is in the hub's flow (sort_request, arrival, loading...). */
        public String kind = "sort_request";
        /** Where decisions go: same (this connection), none, or another device's name. */
        public String answer = "same";
        /** The answer line sent to this device: {id}, {barcode}, {sequence}, {outlet}; default {id}<separator>{outlet}. */
        public String answerFormat;
        /** Answered by the gateway when the hub has not decided in time. */
        public int fallbackOutlet = 98;
        /** Answered at once for a telegram that cannot be used (malformed, oversize...): the hub's reject outlet. */
        public int rejectOutlet = 99;
        public int deadlineMs = 300;
        /** Silent longer than this: offline (metric, log once). 0 = not watched. */
        public int offlineAfterMs = 0;
    }

    /**
     * A device's changes to its {@code profile}: every key left out keeps the built-in value.
     * Bytes may be written as vendor manuals do: {@code <STX>}, {@code <CR><LF>}, {@code <0x1D>}.
     */
    public static final class CustomProfile {
        public String name;
        /** A preset for header and terminator: stx_etx, stx_crlf, crlf, lf, cr. */
        public String framing;
        public String header;
        public String terminator;
        public String separator;
        public List<String> fields;
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        public List<String> noRead;
        public Boolean noReadCaseSensitive;
        public String codeSeparator;
        public String heartbeat;
        public List<String> okStatuses;
        /** For timestamps written without an offset; default UTC. */
        public String timeZone;
        public Integer maxLineLength;
    }

    /** Unknown keys and {@code key: ~} are errors naming the key and line; enum values in any case. */
    private static final SettingsReader<GatewayConfig> SETTINGS = new SettingsReader<>(YAMLMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL)).build(), GatewayConfig.class,
        "SORTHUB_GATEWAY_");

    public static GatewayConfig load(Path file) throws ConfigException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + FileProblems.describe(e));
        }
    }

    public static GatewayConfig parse(String yaml, String name) throws ConfigException {
        final GatewayConfig config;
        try {
            config = SETTINGS.file(new GatewayConfig(), yaml, name);
        } catch (SettingsException e) {
            throw new ConfigException(e.getMessage());
        }
        config.validate(name);
        return config;
    }

    /**
     * Every {@code SORTHUB_GATEWAY_<KEY>} variable over {@code config} (e.g.
     * {@code SORTHUB_GATEWAY_HUBS=hub-a:7400,hub-b:7400}), then validated: an error names the variables.
     */
    public static GatewayConfig environment(GatewayConfig config, java.util.Map<String, String> environment)
        throws ConfigException {
        try {
            SETTINGS.environment(config, environment);
        } catch (SettingsException e) {
            throw new ConfigException(e.getMessage());
        }
        final List<String> set = SETTINGS.variables().values().stream()
            .filter(v -> environment.get(v) != null && !environment.get(v).isEmpty()).toList();
        if (!set.isEmpty()) {
            config.validate("environment " + String.join(", ", set));
        }
        return config;
    }

    /** {@code SORTHUB_GATEWAY_} variables that set nothing (a typo), each with the nearest key's variable. */
    public static List<String> unknownVariables(java.util.Map<String, String> environment) {
        return SETTINGS.unknownVariables(environment, v -> false);
    }

    /** Each key's environment variable. */
    public static java.util.Map<String, String> variables() {
        return SETTINGS.variables();
    }

    public void validate(String where) throws ConfigException {
        if (sourceId < 1) {
            throw new ConfigException(where + ": sourceId must be >= 1");
        }
        if (hubs == null || hubs.isEmpty()) {
            checkPort(where, "hubPort", hubPort, 1);
            if (hubHost == null || hubHost.isBlank()) {
                throw new ConfigException(where + ": hubHost must not be empty");
            }
        }
        for (String hub : hubs == null ? List.<String>of() : hubs) {
            try {
                HostPort.parse(hub);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": hubs: " + e.getMessage());
            }
        }
        checkPort(where, "httpPort", httpPort, 0);
        if (httpHost == null || httpHost.isBlank()) {
            throw new ConfigException(where + ": httpHost must not be empty");
        }
        final String httpProblem = httpLimits().problem();
        if (httpProblem != null) {
            throw new ConfigException(where + ": " + httpProblem);
        }
        if (hubHeartbeatMs < 100 || hubSilenceMs < 0 || (hubSilenceMs > 0 && hubSilenceMs < 2 * hubHeartbeatMs)) {
            throw new ConfigException(where + ": hubHeartbeatMs must be >= 100, and hubSilenceMs 0 or at least twice "
                + "hubHeartbeatMs (" + hubSilenceMs + " and " + hubHeartbeatMs + ")");
        }
        if (devices == null || devices.isEmpty()) {
            throw new ConfigException(where + ": at least one device is needed");
        }
        final Set<String> names = new HashSet<>();
        for (Device device : devices) {
            final String d = where + ": device '" + device.name + "'";
            if (!names.add(device.name)) {
                throw new ConfigException(d + " is defined twice");
            }
            if (device.mode == null) {
                throw new ConfigException(d + ": mode must be listen or connect");
            }
            if (kind(device) == null) {
                throw new ConfigException(d + ": kind '" + device.kind + "' is not an event kind");
            }
            // A listening device may take any free port (0); a device the gateway dials has a real one.
            checkPort(d, "port", device.port, device.mode == DeviceMode.LISTEN ? 0 : 1);
            if (device.fallbackOutlet < 1 || device.fallbackOutlet > 65535 || device.rejectOutlet < 1
                || device.rejectOutlet > 65535 || device.deadlineMs < 1) {
                throw new ConfigException(d + ": fallbackOutlet and rejectOutlet must be 1..65535, deadlineMs >= 1");
            }
            try {
                AnswerFormat.of(profile(device), device.answerFormat);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(d + ": " + e.getMessage());
            }
        }
        for (Device device : devices) {
            if (AnswerTo.of(device.answer) == AnswerTo.DEVICE && !names.contains(device.answer)) {
                throw new ConfigException(where + ": device '" + device.name + "': answer '" + device.answer
                    + "' is not same, none or a device name");
            }
        }
    }

    private static void checkPort(String where, String key, int port, int lowest) throws ConfigException {
        if (port < lowest || port > 65535) {
            throw new ConfigException(where + ": " + key + " " + port + " is not a TCP port (" + lowest + "..65535"
                + (lowest == 0 ? "; 0 picks a free one" : "") + ")");
        }
    }

    /** The HTTP port's bounds. */
    public io.sorthub.kit.http.HttpLimits httpLimits() {
        return new io.sorthub.kit.http.HttpLimits(httpIdleTimeoutMs, httpHeaderTimeoutMs, httpRequestTimeoutMs,
            httpMaxConnections);
    }

    /** The hubs to send to, HOST:PORT each: the {@link #hubs} list, or hubHost and hubPort. */
    public List<String> hubAddresses() {
        return hubs == null || hubs.isEmpty() ? List.of(hubHost + ":" + hubPort) : hubs;
    }

    public static EventKind kind(Device device) {
        try {
            return EventKind.valueOf(device.kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The device's profile: the built-in one it names, with its custom changes. */
    public static ScannerProfile profile(Device device) {
        final ScannerProfile base = ScannerProfile.BUILT_IN.get(device.profile);
        if (base == null) {
            throw new IllegalArgumentException("unknown profile '" + device.profile + "'; built in are "
                + new java.util.TreeSet<>(ScannerProfile.BUILT_IN.keySet()) + ", changed by custom:");
        }
        final CustomProfile c = device.custom;
        if (c == null) {
            return base;
        }
        Framing framing = c.framing == null ? base.framing() : Framing.preset(c.framing);
        if (c.header != null || c.terminator != null) {
            framing = new Framing(c.header == null ? framing.header() : ControlNames.parse(c.header),
                c.terminator == null ? framing.terminator() : ControlNames.parse(c.terminator));
        }
        List<Field> fields = base.fields();
        if (c.fields != null) {
            fields = new ArrayList<>();
            for (String f : c.fields) {
                fields.add(ScannerProfile.field(f, c.name == null ? base.name() : c.name));
            }
        }
        return new ScannerProfile(c.name == null ? base.name() + "+custom" : c.name, framing,
            c.separator == null ? base.separator() : bytes(c.separator), fields,
            c.noRead == null ? base.noRead() : c.noRead.stream().map(GatewayConfig::bytes).toList(),
            c.noReadCaseSensitive == null ? base.noReadCaseSensitive() : c.noReadCaseSensitive,
            c.codeSeparator == null ? base.codeSeparator() : bytes(c.codeSeparator),
            c.heartbeat == null ? base.heartbeat() : bytes(c.heartbeat),
            c.okStatuses == null ? base.okStatuses() : Set.copyOf(c.okStatuses),
            c.timeZone == null ? base.timeZone() : zone(c.timeZone),
            c.maxLineLength == null ? base.maxLineLength() : c.maxLineLength);
    }

    /** A setting's text with {@code <NAME>} control characters, as the ISO-8859-1 string of its bytes. */
    private static String bytes(String text) {
        return new String(ControlNames.parse(text), StandardCharsets.ISO_8859_1);
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timeZone '" + id + "' is not a time zone (UTC, Asia/Shanghai, +08:00)");
        }
    }

    /** A setting that cannot work; the message names it. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
