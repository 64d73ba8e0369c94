package io.sorthub.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples of a Prometheus text exposition, as the services print it on {@code GET /metrics} (or
 * a registry's {@code scrape()}): one {@code series value} line per sample, the series being the
 * metric's name and its labels exactly as printed, e.g. {@code sorthub_limit_trips_total{limit="hello_rate"}}.
 */
public final class Exposition {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private Exposition() {
    }

    /** The value of {@code series}, or NaN when the exposition has no such sample. */
    public static double value(String exposition, String series) {
        return value(exposition, series, Double.NaN);
    }

    /** The value of {@code series}, or {@code absent} (e.g. 0 for a counter not exported before its first event). */
    public static double value(String exposition, String series, double absent) {
        final Matcher m = sample(series).matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : absent;
    }

    /** The value of {@code series}; fails naming the series and {@code where} when there is no such sample. */
    public static double required(String exposition, String series, String where) {
        final double value = value(exposition, series);
        if (Double.isNaN(value)) {
            throw new AssertionError(where + " has no sample " + series);
        }
        return value;
    }

    /** The sum of every sample of metric {@code name}, whatever its labels; NaN when there is none. */
    public static double sum(String exposition, String name) {
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(exposition);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
            found = true;
        }
        return found ? sum : Double.NaN;
    }

    /** {@code GET http://127.0.0.1:port/metrics}, its body (whatever the status), bounded in time. */
    public static String scrape(int port) throws IOException, InterruptedException {
        return scrape(port, null);
    }

    /** The same with {@code Authorization: Bearer token} (none when null), for a hub that asks for one. */
    public static String scrape(int port, String token) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Pattern sample(String series) {
        return Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$");
    }
}
