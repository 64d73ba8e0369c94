package io.sorthub.gateway;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.gateway.scanner.Field;
import io.sorthub.gateway.scanner.Framing;
import io.sorthub.gateway.scanner.ScannerProfile;
import io.sorthub.protocol.EventKind;

import java.io.IOException;
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
 * 127.0.0.1:7600. Unknown keys are errors with their line.
 */
public final class GatewayConfig {
    public int sourceId = 100;
    public String name = "line-1";
    public String hubHost = "127.0.0.1";
    public int hubPort = 7400;
    /** PEM certificate(s) the hub's certificate must chain to: with it, the hub link uses TLS and verifies the hub. */
    public String hubTrustFile;
    /** This gateway's secret in the hub's devices file; empty when the hub requires none. */
    public String credential = "";
    public String httpHost = "127.0.0.1";
    public int httpPort = 7680;
    public String spoolDir = "gateway-data/spool";
    public String spoolRollCycle = "FAST_HOURLY";
    public long minFreeDiskBytes = 256L * 1024 * 1024;
    public List<Device> devices = new ArrayList<>(List.of(new Device()));

    /** One scanner, dimensioner or sorter controller. */
    public static final class Device {
        public String name = "tunnel-1";
        /** A built-in profile name, or use {@link #custom}. */
        public String profile = "generic-csv";
        public CustomProfile custom;
        /** listen: the device connects to us; connect: we connect to the device (with backoff). */
        public String mode = "listen";
        public String host = "127.0.0.1";
        public int port = 7600;
        /** What a read at this device is in the hub's flow (sort_request, arrival, loading...). */
        public String kind = "sort_request";
        /** Where decisions go: same (this connection), none, or another device's name. */
        public String answer = "same";
        public int fallbackOutlet = 98;
        public int deadlineMs = 300;
        /** Silent longer than this: offline (metric, log once). 0 = not watched. */
        public int offlineAfterMs = 0;
    }

    /** A profile described in the config instead of a built-in one. */
    public static final class CustomProfile {
        public String name = "custom";
        public String framing = "lf";
        public String separator = ",";
        public List<String> fields = List.of("barcode");
        public String noRead = "NOREAD";
        public String codeSeparator = ";";
        public String heartbeat;
        public List<String> okStatuses = List.of();
        public int maxLineLength = ScannerProfile.DEFAULT_MAX_LINE;
    }

    public static GatewayConfig load(Path file) throws ConfigException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public static GatewayConfig parse(String yaml, String name) throws ConfigException {
        final YAMLMapper mapper = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // `key: ~` is an error naming the key and line, not a null that fails later.
            .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL)).build();
        final GatewayConfig config;
        try {
            config = readOrDefaults(mapper, yaml);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(name + where(e.getLocation()) + ": unknown key '" + e.getPropertyName()
                + "'; known keys are " + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw new ConfigException(name + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ConfigException(name + ": " + e.getMessage()); // not expected from a String
        }
        config.validate(name);
        return config;
    }

    /** An empty document (blank, comments only, or a bare null) is the defaults. */
    private static GatewayConfig readOrDefaults(YAMLMapper mapper, String yaml) throws java.io.IOException {
        try (JsonParser parser = mapper.createParser(yaml)) {
            if (parser.nextToken() == null || parser.currentToken() == JsonToken.VALUE_NULL) {
                return new GatewayConfig();
            }
            return mapper.readValue(parser, GatewayConfig.class);
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    public void validate(String where) throws ConfigException {
        if (sourceId < 1) {
            throw new ConfigException(where + ": sourceId must be >= 1");
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
            if (!device.mode.equals("listen") && !device.mode.equals("connect")) {
                throw new ConfigException(d + ": mode must be listen or connect, not '" + device.mode + "'");
            }
            if (kind(device) == null) {
                throw new ConfigException(d + ": kind '" + device.kind + "' is not an event kind");
            }
            if (device.fallbackOutlet < 1 || device.fallbackOutlet > 65535 || device.deadlineMs < 1) {
                throw new ConfigException(d + ": fallbackOutlet must be 1..65535 and deadlineMs >= 1");
            }
            try {
                profile(device);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(d + ": " + e.getMessage());
            }
        }
        for (Device device : devices) {
            if (!device.answer.equals("same") && !device.answer.equals("none") && !names.contains(device.answer)) {
                throw new ConfigException(where + ": device '" + device.name + "': answer '" + device.answer
                    + "' is not same, none or a device name");
            }
        }
    }

    static EventKind kind(Device device) {
        try {
            return EventKind.valueOf(device.kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static ScannerProfile profile(Device device) {
        if (device.custom != null) {
            final CustomProfile c = device.custom;
            final Framing framing;
            try {
                framing = Framing.valueOf(c.framing.toUpperCase(Locale.ROOT).replace('-', '_').replace('/', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("framing '" + c.framing + "' is not stx_etx, crlf or lf");
            }
            final List<Field> fields = new ArrayList<>();
            for (String f : c.fields) {
                fields.add(ScannerProfile.field(f, c.name));
            }
            return new ScannerProfile(c.name, framing, c.separator, fields, c.noRead, c.codeSeparator, c.heartbeat,
                Set.copyOf(c.okStatuses), c.maxLineLength);
        }
        final ScannerProfile builtIn = ScannerProfile.BUILT_IN.get(device.profile);
        if (builtIn == null) {
            throw new IllegalArgumentException("unknown profile '" + device.profile + "'; built in are "
                + ScannerProfile.BUILT_IN.keySet() + ", or describe one under custom:");
        }
        return builtIn;
    }

    /** A setting that cannot work; the message names it. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
