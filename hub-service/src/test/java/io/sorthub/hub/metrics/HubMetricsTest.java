package io.sorthub.hub.metrics;

import io.sorthub.test.CapturedLog;
import io.sorthub.test.Exposition;
import io.sorthub.test.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.source.SourceRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Labels stay bounded whatever the wire says, and the meters say what they claim. */
class HubMetricsTest {
    private static final String PLAN_A = """
        name: a
        rejectOutlet: 99
        defaultOutlet: 1
        outlets: [{id: 1, name: "Beijing A"}, {id: 2, name: "Shanghai"}, {id: 98, name: "Unsorted", type: overflow},
                  {id: 99, type: reject}]
        rules: [{id: 1, destinationPrefix: "2", outlet: 2}]
        """;
    private static final String PLAN_B = """
        name: b
        rejectOutlet: 99
        defaultOutlet: 1
        outlets: [{id: 1, name: "Beijing North"}, {id: 3, name: "Wuhan"}, {id: 99, type: reject}]
        rules: [{id: 1, destinationPrefix: "3", outlet: 3}]
        """;

    @TempDir
    Path tmp;

    private static SortPlan plan(String yaml, long version) throws Exception {
        return new SortPlanCompiler().compile(yaml, version);
    }

    private static double value(String exposition, String series) {
        return Exposition.value(exposition, series);
    }

    private static int count(String exposition, String prefix) {
        return (int) exposition.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void outletStateAndInfoFollowThePlanInForce() throws Exception {
        final HubMetrics metrics = new HubMetrics();
        metrics.outlets(plan(PLAN_A, 1), outlet -> outlet == 2 ? 1 : 0);
        String text = metrics.scrape();
        assertThat(value(text, "sorthub_outlet_info{name=\"Beijing A\",outlet=\"1\",type=\"regular\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_outlet_info{name=\"Unsorted\",outlet=\"98\",type=\"overflow\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_outlet_status{outlet=\"2\"}")).isEqualTo(1.0);

        // Outlet 1 renamed, 2 and 98 dropped, 3 added: no series of the old plan stays behind.
        metrics.outlets(plan(PLAN_B, 2), outlet -> 0);
        text = metrics.scrape();
        assertThat(value(text, "sorthub_outlet_info{name=\"Beijing North\",outlet=\"1\",type=\"regular\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_outlet_info{name=\"Wuhan\",outlet=\"3\",type=\"regular\"}")).isEqualTo(1.0);
        assertThat(text).doesNotContain("Beijing A").doesNotContain("outlet=\"2\"").doesNotContain("outlet=\"98\"");
        assertThat(count(text, "sorthub_outlet_status{")).isEqualTo(3);
        assertThat(count(text, "sorthub_outlet_info{")).isEqualTo(3);
    }

    @Test
    void plansPutInForceOneAfterAnotherRegisterNoMeterTwice() throws Exception {
        // Micrometer warns once, then says it at debug level.
        final CapturedLog log = CapturedLog.debugOf(io.micrometer.core.instrument.MeterRegistry.class);
        try (log) {
            final HubMetrics metrics = new HubMetrics();
            for (int version = 1; version <= 6; version++) {
                metrics.outlets(plan(version % 2 == 0 ? PLAN_A : PLAN_B, version), outlet -> 0);
                metrics.outlets(plan(version % 2 == 0 ? PLAN_A : PLAN_B, version), outlet -> 1); // the same outlets again
            }
            assertThat(value(metrics.scrape(), "sorthub_outlet_status{outlet=\"2\"}")).isEqualTo(1.0);
        }
        assertThat(log.messages())
            .noneMatch(m -> m.contains("already registered"));
    }

    @Test
    void chuteFullReportsForOutletsThePlanDoesNotHaveShareOneSeries() throws Exception {
        final HubMetrics metrics = new HubMetrics();
        metrics.outlets(plan(PLAN_A, 1), outlet -> 0);
        metrics.chuteFull(2);
        for (int outlet = 100; outlet < 65_536; outlet += 7) { // a faulty sorter reporting every outlet number
            metrics.chuteFull(outlet);
        }
        final String text = metrics.scrape();
        assertThat(value(text, "sorthub_chute_full_events_total{outlet=\"2\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_chute_full_events_total{outlet=\"unplanned\"}")).isEqualTo((65_536 - 100 + 6) / 7);
        assertThat(count(text, "sorthub_chute_full_events_total{")).isEqualTo(2);
    }

    @Test
    void everyHoldCauseAndLimitHasItsSeriesBeforeItHappensAndTheHoldsAddUpToTheBackPressurePauses() {
        final HubMetrics metrics = new HubMetrics();
        String text = metrics.scrape();
        for (String cause : new String[] {"queue", "in_flight", "disk"}) {
            assertThat(value(text, "sorthub_ingest_holds_total{cause=\"" + cause + "\"}")).as(cause).isZero();
        }
        for (String limit : new String[] {"hello_timeout", "idle_timeout", "max_connections", "max_in_flight",
            "max_sequence_gap"}) {
            assertThat(value(text, "sorthub_limit_trips_total{limit=\"" + limit + "\"}")).as(limit).isZero();
        }
        metrics.held("HOLD_QUEUE");
        metrics.held("HOLD_QUEUE");
        metrics.held("HOLD_IN_FLIGHT");
        metrics.held("HOLD_DISK");
        metrics.limitTripped("max_sequence_gap");
        text = metrics.scrape();
        assertThat(value(text, "sorthub_ingest_holds_total{cause=\"queue\"}")).isEqualTo(2.0);
        assertThat(value(text, "sorthub_ingest_holds_total{cause=\"in_flight\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_ingest_holds_total{cause=\"disk\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_ingest_backpressure_total")).isEqualTo(4.0);
        assertThat(value(text, "sorthub_limit_trips_total{limit=\"max_sequence_gap\"}")).isEqualTo(1.0);
        assertThat(HubMetrics.exporter().scrape()).as("none of the hub's meters in the exporter process")
            .doesNotContain("sorthub_ingest_holds").doesNotContain("sorthub_limit_trips");
    }

    @Test
    void sourcesBeyondTheCapAreCountedTogether() {
        final HubMetrics metrics = new HubMetrics();
        final SourceRegistry sources = new SourceRegistry(s -> s.events(metrics.source(s)));
        for (int id = 1; id <= SourceMeters.MAX_SOURCES + 5; id++) {
            sources.get(id).events().increment();
        }
        final String text = metrics.scrape();
        assertThat(count(text, "sorthub_source_connected{")).isEqualTo(SourceMeters.MAX_SOURCES);
        assertThat(count(text, "sorthub_source_events_total{")).isEqualTo(SourceMeters.MAX_SOURCES + 1);
        assertThat(value(text, "sorthub_source_events_total{source=\"other\"}")).isEqualTo(5.0);
        assertThat(value(text, "sorthub_source_series_capped_total")).isEqualTo(5.0);
    }

    @Test
    void listedSourcesFollowTheDevicesFile() {
        final HubMetrics metrics = new HubMetrics();
        final AtomicReference<Set<Integer>> listed = new AtomicReference<>(Set.of(15, 16));
        metrics.listedSources(listed::get);
        String text = metrics.scrape();
        assertThat(value(text, "sorthub_source_listed{source=\"15\"}")).isEqualTo(1.0);
        assertThat(value(text, "sorthub_source_listed{source=\"16\"}")).isEqualTo(1.0);
        listed.set(Set.of(16, 17));
        text = metrics.scrape();
        assertThat(text).doesNotContain("sorthub_source_listed{source=\"15\"}");
        assertThat(value(text, "sorthub_source_listed{source=\"17\"}")).isEqualTo(1.0);
    }

    @Test
    @Timeout(30)
    void aBlockedEventLoopShowsAGrowingDelay() throws Exception {
        final HubMetrics metrics = new HubMetrics();
        final Vertx vertx = metrics.vertx(new VertxOptions().setEventLoopPoolSize(1), SystemNanoClock.INSTANCE);
        final CountDownLatch release = new CountDownLatch(1);
        try {
            vertx.runOnContext(v -> {
                try {
                    release.await(20, TimeUnit.SECONDS); // a handler that blocks its event loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Await.until(Duration.ofSeconds(10),
                () -> value(metrics.scrape(), "sorthub_event_loop_delay_seconds{loop=\"0\"}") > 0.3,
                () -> "delay " + value(metrics.scrape(), "sorthub_event_loop_delay_seconds{loop=\"0\"}"));
        } finally {
            release.countDown();
        }
        Await.until(Duration.ofSeconds(10),
            () -> value(metrics.scrape(), "sorthub_event_loop_delay_seconds{loop=\"0\"}") < 0.1,
            () -> "delay after release " + value(metrics.scrape(), "sorthub_event_loop_delay_seconds{loop=\"0\"}"));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(60)
    void theHubCountsItsRunningTotalsAsCountersAndMetersItsHttpApi() throws Exception {
        try (HubService hub = TestHub.start(tmp)) {
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/parcels/NO-SUCH-PARCEL")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            // Vert.x meters a request when its response has ended on the server, which may be
            // after the client has read it: wait for the series, with a deadline.
            final String route = "vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"/api/>/api/parcels/:barcode\"}";
            Await.until(Duration.ofSeconds(10), () -> hub.metrics().scrape().contains(route),
                () -> "no " + route + " in the exposition");
            final String text = hub.metrics().scrape();
            for (String total : new String[] {"sorthub_parcel_index_evicted_total", "sorthub_parcel_index_forgotten_total",
                "sorthub_journal_files_deleted_total", "sorthub_journal_unread_files_deleted_total",
                "sorthub_journal_write_back_failures_total"}) {
                assertThat(text).contains("# TYPE " + total + " counter");
            }
            // By route template, never by path: a barcode in the path must not become a label.
            assertThat(text).contains("vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"/api/>/api/parcels/:barcode\"}")
                .doesNotContain("NO-SUCH-PARCEL");
            assertThat(text).contains("vertx_http_server_response_time_seconds_bucket{");
            assertThat(text).contains("sorthub_outlet_info{").contains("sorthub_event_loop_delay_seconds{loop=\"0\"}");
        }
    }
}
