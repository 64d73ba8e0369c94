package io.sorthub.gateway.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's decisions by reason, read from its Prometheus text ({@code sorthub_decisions_total}):
 * taken before and after a native run, the difference is what the hub decided for the reads the
 * simulated scanners sent through the gateway (which answers outlets only, not reasons).
 */
final class HubDecisionCounts {
    private static final Pattern DECISIONS = Pattern.compile("^sorthub_decisions_total\\{reason=\"([a-z_]+)\"} ([0-9.eE+]+)$",
        Pattern.MULTILINE);

    private HubDecisionCounts() {
    }

    /** @throws IOException when the hub cannot be read, said in a few words */
    static Map<String, Long> read(URI metrics) throws IOException, InterruptedException {
        final HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            .send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metrics + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static Map<String, Long> parse(String exposition) {
        final Map<String, Long> byReason = new TreeMap<>();
        final Matcher m = DECISIONS.matcher(exposition);
        while (m.find()) {
            byReason.put(m.group(1), (long) Double.parseDouble(m.group(2)));
        }
        return byReason;
    }

    /** What {@code after} counts more than {@code before}, the reasons that moved only. */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        final Map<String, Long> moved = new TreeMap<>();
        after.forEach((reason, n) -> {
            final long d = n - before.getOrDefault(reason, 0L);
            if (d > 0) {
                moved.put(reason, d);
            }
        });
        return moved;
    }
}
