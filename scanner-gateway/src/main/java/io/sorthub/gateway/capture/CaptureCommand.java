package io.sorthub.gateway.capture;

import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.scanner.ControlNames;
import io.sorthub.gateway.scanner.ScannerProfile;
import io.sorthub.gateway.scanner.ScannerRead;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code scanner-gateway capture --port N}: records what a device sends for a while, prints it
 * with control bytes named ({@code <STX>}, {@code <CR><LF>}), and runs every built-in profile
 * (and those of a gateway config) over it through the gateway's own codec, saying which one
 * parses it and how. For commissioning a scanner without reading hex dumps.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = "Record a device's raw bytes, show them escaped, and say which scanner profile parses them.")
public final class CaptureCommand implements Callable<Integer> {
    /** The machine's clock: a capture runs for real seconds. */
    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;

    private static final int SHOWN_BYTES = 4_096;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "listen here for the device to connect (0 = any free port)")
    Integer port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for a device on the network)")
    String host;

    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "connect to a device that listens instead")
    String connect;

    @Option(names = "--seconds", defaultValue = "60", description = "how long to record (default ${DEFAULT-VALUE}); the device closing ends it sooner")
    int seconds;

    @Option(names = "--max-bytes", defaultValue = "1048576", description = "stop after this many bytes (default ${DEFAULT-VALUE})")
    int maxBytes;

    @Option(names = "--save", description = "also write the raw bytes to this file")
    Path save;

    @Option(names = "--file", description = "analyse bytes saved before (--save) instead of recording")
    Path file;

    @Option(names = "--config", description = "also try the profiles of this gateway config's devices")
    Path config;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        final Map<String, ScannerProfile> candidates = new LinkedHashMap<>();
        ScannerProfile.BUILT_IN.keySet().stream().sorted().forEach(n -> candidates.put(n, ScannerProfile.BUILT_IN.get(n)));
        if (config != null) {
            try {
                for (GatewayConfig.Device d : GatewayConfig.load(config).devices) {
                    candidates.put("device " + d.name, GatewayConfig.profile(d));
                }
            } catch (GatewayConfig.ConfigException e) {
                spec.commandLine().getErr().println("capture: " + e.getMessage());
                return 2;
            }
        }
        if ((file == null) == (port == null && connect == null) || (port != null && connect != null) || seconds < 1) {
            spec.commandLine().getErr().println("capture: give one of --port N, --connect HOST:PORT or --file FILE;"
                + " --seconds >= 1");
            return 2;
        }
        if (connect != null && !connect.matches(".+:\\d{1,5}")) {
            spec.commandLine().getErr().println("capture: --connect '" + connect + "' must be HOST:PORT");
            return 2;
        }
        final byte[] bytes = file != null ? Files.readAllBytes(file) : record();
        if (save != null) {
            Files.write(save, bytes);
            out.printf("capture: saved %d bytes to %s%n", bytes.length, save);
        }
        if (bytes.length == 0) {
            out.println("capture: no bytes: nothing to analyse");
            out.flush();
            return 1;
        }
        showRaw(bytes);
        return analyse(bytes, candidates);
    }

    private byte[] record() throws IOException {
        final long deadline = CLOCK.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (connect != null) {
            final int colon = connect.lastIndexOf(':');
            try (Socket device = new Socket()) {
                device.connect(new InetSocketAddress(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1))),
                    10_000);
                out.printf("capture: connected to %s; recording for %d s%n", connect, seconds);
                out.flush();
                return recordFrom(device, deadline);
            }
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            out.printf("capture: listening on %s:%d; recording for %d s after the device connects%n", host,
                server.getLocalPort(), seconds);
            out.flush();
            server.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - CLOCK.nanoTime())));
            try (Socket device = server.accept()) {
                out.printf("capture: device %s connected%n", device.getRemoteSocketAddress());
                out.flush();
                return recordFrom(device, CLOCK.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
            } catch (SocketTimeoutException e) {
                out.printf("capture: no device connected within %d s%n", seconds);
                return new byte[0];
            }
        }
    }

    private byte[] recordFrom(Socket device, long deadline) throws IOException {
        final long start = CLOCK.nanoTime();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final InputStream in = device.getInputStream();
        final byte[] chunk = new byte[8192];
        String end = "time is up";
        while (bytes.size() < maxBytes) {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - CLOCK.nanoTime());
            if (left <= 0) {
                break;
            }
            device.setSoTimeout((int) Math.min(left, 1_000));
            final int n;
            try {
                n = in.read(chunk, 0, Math.min(chunk.length, maxBytes - bytes.size()));
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                end = "the device closed the connection";
                break;
            }
            bytes.write(chunk, 0, n);
        }
        if (bytes.size() >= maxBytes) {
            end = "--max-bytes reached";
        }
        out.printf("capture: %d bytes in %.1f s (%s)%n", bytes.size(), (CLOCK.nanoTime() - start) / 1e9, end);
        return bytes.toByteArray();
    }

    /** The bytes with control characters named, a new line after each LF or ETX. */
    private void showRaw(byte[] bytes) {
        out.println();
        out.println("raw bytes (control bytes by name; a line break added after each <LF> and <ETX>):");
        final int shown = Math.min(bytes.length, SHOWN_BYTES);
        final StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < shown; i++) {
            line.append(ControlNames.escape(bytes, i, 1));
            final boolean etxNext = i + 1 < shown && bytes[i + 1] == 0x03;
            if ((bytes[i] == '\n' && !etxNext) || bytes[i] == 0x03) {
                out.println(line);
                line.setLength(0);
                line.append("  ");
            }
        }
        if (line.length() > 2) {
            out.println(line);
        }
        if (bytes.length > shown) {
            out.printf("  … %d more bytes (--save FILE keeps them all)%n", bytes.length - shown);
        }
        final int[] counts = new int[256];
        for (byte b : bytes) {
            counts[b & 0xFF]++;
        }
        final List<String> controls = new ArrayList<>();
        for (int b = 0; b < 0x20; b++) {
            if (counts[b] > 0) {
                controls.add(counts[b] + "×" + ControlNames.escape(new byte[] {(byte) b}));
            }
        }
        out.println("  control bytes seen: " + (controls.isEmpty() ? "none" : String.join(", ", controls)));
    }

    private int analyse(byte[] bytes, Map<String, ScannerProfile> candidates) {
        out.println();
        out.println("profiles:");
        String best = null;
        ProfileTrial bestTrial = null;
        final Map<String, ProfileTrial> trials = new LinkedHashMap<>();
        for (Map.Entry<String, ScannerProfile> c : candidates.entrySet()) {
            final ProfileTrial trial = ProfileTrial.run(c.getValue(), bytes);
            trials.put(c.getKey(), trial);
            out.printf("  %-16s %-28s %s%n", c.getKey(), c.getValue().framing().describe(), summary(trial));
            if (trial.usable() > 0 && (bestTrial == null || trial.betterThan(bestTrial))) {
                best = c.getKey();
                bestTrial = trial;
            }
        }
        out.println();
        if (bestTrial == null) {
            out.println("no profile parses a single telegram from these bytes. Describe the device under custom: in the"
                + " gateway config (header, terminator, separator, fields, noRead; docs/SCANNERS.md), using the control"
                + " bytes seen above, and try it with --file FILE --config gateway.yaml.");
            out.flush();
            return 1;
        }
        out.printf("best match: %s (%d of %d telegrams usable)%n", best, bestTrial.usable(),
            bestTrial.usable() + bestTrial.refusedCount());
        out.println("  first telegrams as " + best + ":");
        for (ScannerRead read : bestTrial.firstReads) {
            out.println("    " + describe(read));
        }
        if (!bestTrial.firstRefusals.isEmpty()) {
            out.println("  refused as " + best + ":");
            bestTrial.firstRefusals.forEach(r -> out.println("    " + r.error().name().toLowerCase(Locale.ROOT) + ": "
                + r.detail()));
        }
        out.flush();
        return 0;
    }

    private static String summary(ProfileTrial trial) {
        final StringBuilder s = new StringBuilder();
        s.append(trial.reads.getOrDefault(ScannerRead.Type.READ, 0)).append(" reads, ")
            .append(trial.reads.getOrDefault(ScannerRead.Type.NO_READ, 0)).append(" no-reads, ")
            .append(trial.reads.getOrDefault(ScannerRead.Type.MULTI_READ, 0)).append(" multi-reads");
        final int heartbeats = trial.reads.getOrDefault(ScannerRead.Type.HEARTBEAT, 0);
        if (heartbeats > 0) {
            s.append(", ").append(heartbeats).append(" heartbeats");
        }
        s.append("; ").append(trial.refusedCount()).append(" refused");
        if (trial.refusedCount() > 0) {
            final List<String> why = new ArrayList<>();
            trial.refused.forEach((e, n) -> why.add(e.name().toLowerCase(Locale.ROOT) + " " + n));
            s.append(" (").append(String.join(", ", why)).append(')');
        }
        return s.toString();
    }

    private static String describe(ScannerRead read) {
        final StringBuilder s = new StringBuilder(read.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (!read.barcode().isEmpty()) {
            s.append(" barcode '").append(ControlNames.escape(read.barcode())).append('\'');
        }
        if (!read.parcelId().isEmpty()) {
            s.append(" parcel '").append(ControlNames.escape(read.parcelId())).append('\'');
        }
        if (!read.destination().isEmpty()) {
            s.append(" destination '").append(ControlNames.escape(read.destination())).append('\'');
        }
        if (read.weightGrams() > 0) {
            s.append(" weight ").append(read.weightGrams()).append(" g");
        }
        if (read.deviceTimeMs() > 0) {
            s.append(" at ").append(java.time.Instant.ofEpochMilli(read.deviceTimeMs()));
        }
        return s.toString();
    }
}
