package io.sorthub.gateway.cleanroom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sorthub.test.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clean-room tests of the scanner gateway's store and forward (docs/SCANNERS.md "Store and forward",
 * "Answers", "Metrics", "Health"; docs/RUNBOOKS.md SortHubGatewayLostHub; docs/PROTOCOL.md sequences),
 * written from the documentation only: a real hub-service and a real scanner-gateway, each from its
 * main class (as its jar runs it) in a process of its own, a generic-CSV scanner on a real TCP socket of 127.0.0.1.
 */
class StoreAndForwardCleanRoomTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreAndForwardCleanRoomTest.class);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    /** The single-hub reconnect back-off is not documented; the pair's is "up to 0.5 s". Generous. */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    private static final String FALLBACK = Integer.toString(Gateway.FALLBACK);

    @TempDir
    Path dir;

    private final List<Hub> hubs = new ArrayList<>();
    private final List<Gateway> gateways = new ArrayList<>();
    private final List<Sorter> sorters = new ArrayList<>();

    @AfterEach
    void killEverything() throws Exception {
        for (Sorter s : sorters) {
            s.close();
        }
        for (Gateway g : gateways) {
            g.sigkill();
        }
        for (Hub h : hubs) {
            h.sigkill();
        }
    }

    private Hub hub() throws Exception {
        final Hub h = new Hub(dir.resolve("hub-data"), Jars.freePort(), Jars.freePort());
        hubs.add(h);
        return h;
    }

    /** A gateway started against a running hub, once its session is open. */
    private Gateway connectedGateway(Hub hub) throws Exception {
        final Gateway g = gateway(hub).start();
        awaitMetric(g, "sorthub_gateway_hub_connected", 1.0, DRAIN);
        return g;
    }

    /** The hub (started again), and the gateway's backlog drained into it. */
    private static void hubBackAndDrained(Hub hub, Gateway gw) throws Exception {
        hub.start();
        awaitMetric(gw, "sorthub_gateway_hub_connected", 1.0, DRAIN);
        awaitMetric(gw, "sorthub_gateway_spool_backlog", 0.0, DRAIN);
    }

    private Gateway gateway(Hub hub) throws Exception {
        final Gateway g = new Gateway(dir, hub.scanPort);
        gateways.add(g);
        return g;
    }

    private Sorter sorter(Gateway g) throws Exception {
        final Sorter s = Await.value("a connection to the gateway's device port " + g.devicePort, Duration.ofSeconds(15),
            () -> new Sorter(g.devicePort));
        sorters.add(s);
        return s;
    }

    private static String barcode(String run, int i) {
        return "CR" + run + String.format("%05d", i);
    }

    /** Sends reads {@code from..to} (parcel ids P{i}), recording their barcodes in order. */
    private static void send(Sorter s, String run, int from, int to, List<String> sent) throws Exception {
        for (int i = from; i <= to; i++) {
            s.send("P" + i, barcode(run, i));
            sent.add(barcode(run, i));
        }
    }

    /** Takes {@code n} answer lines, each {@code id,outlet}, into {@code answers} (id to outlet); an id answered twice fails. */
    private static void collect(Sorter s, int n, Map<String, String> answers) throws Exception {
        for (String line : s.next(n, ANSWER)) {
            final String[] parts = line.split(",", -1);
            assertThat(parts).as("answer line '%s' is {id},{outlet} (SCANNERS.md default answerFormat)", line).hasSize(2);
            assertThat(answers).as("parcel %s answered a second time with '%s' (\"exactly one answer line\")", parts[0], line)
                .doesNotContainKey(parts[0]);
            answers.put(parts[0], parts[1]);
        }
    }

    private static void awaitMetric(Gateway g, String what, double expected, Duration timeout) {
        final double[] last = {Double.NaN};
        Await.until(timeout, () -> {
            try {
                last[0] = g.metric(what);
                if (last[0] == expected) {
                    return true;
                }
            } catch (Exception e) {
                // not up yet
            }
            Await.pause(); // a scrape of another process per look: not every millisecond
            return false;
        }, () -> what + " to be " + expected + ", last seen " + last[0]);
    }

    private static void assertJournalExactlyOnceInOrder(Hub hub, List<String> sent) throws Exception {
        final List<Hub.Scan> scans = hub.exportScans(Gateway.SOURCE_ID);
        assertThat(scans).as("journal export: every read of source %d exactly once, numbered 1..%d in the order the scanner sent them"
            + " (SCANNERS.md: the backlog drains in order; PROTOCOL.md: the hub journals each sequence once)", Gateway.SOURCE_ID, sent.size())
            .containsExactlyElementsOf(Hub.expected(sent, "sort_request", Gateway.DEVICE));
        assertThat(hub.sourceSequence(Gateway.SOURCE_ID)).as("GET /api/sources: the highest durable sequence of source %d", Gateway.SOURCE_ID)
            .isEqualTo(sent.size());
    }

    private static List<String> errorLines(Gateway g) {
        return g.log().stream().filter(l -> l.matches("^\\S+ ERROR .*")).toList();
    }

    /**
     * Scenario 1. SCANNERS.md: "With the hub down, reads keep being spooled and answered with the fallback outlet
     * after the deadline; when it returns the backlog drains in order." Metrics: spool_backlog "events spooled and
     * not acknowledged by the hub", oldest_unacked_seconds "also while the hub is away", hub_connected "1 while the
     * hub session is open", fallback_answers_total, late_decisions_total "DECISIONs that came after the deadline
     * (the fallback had been answered)". Health: hub-link "always UP, connected true or false".
     */
    @Test
    @Timeout(90)
    void hubDownFromTheStart_readsGetTheFallbackAndAreSpooled_thenDrainExactlyOnceInOrder() throws Exception {
        final Hub hub = hub(); // not started: nothing listens on its scan port yet
        final Gateway gw = gateway(hub).start();
        final Sorter scanner = sorter(gw);
        final int n = 20;
        final List<String> sent = new ArrayList<>();
        final Map<String, String> answers = new LinkedHashMap<>();

        send(scanner, "A", 1, n, sent);
        collect(scanner, n, answers);
        for (int i = 1; i <= n; i++) {
            assertThat(answers.get("P" + i)).as("answer to P%d with no hub: the fallback outlet", i).isEqualTo(FALLBACK);
        }
        assertThat(gw.hubConnected()).as("sorthub_gateway_hub_connected with no hub").isEqualTo(0.0);
        assertThat(gw.backlog()).as("sorthub_gateway_spool_backlog: every read spooled, none acknowledged").isEqualTo(n);
        assertThat(gw.metric("sorthub_gateway_fallback_answers_total", "device", Gateway.DEVICE)).as("fallback answers").isEqualTo(n);
        assertThat(gw.metric("sorthub_gateway_reads_total", "device", Gateway.DEVICE, "type", "read")).as("reads counted").isEqualTo(n);
        // "age of the oldest, also while the hub is away (0 when none)". Polled: it was seen to lag the backlog by a
        // fraction of a second (0.0 with a backlog of 20).
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                if (gw.metric("sorthub_gateway_oldest_unacked_seconds") > 0.0) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            Await.pause();
            return false;
        }, () -> "sorthub_gateway_oldest_unacked_seconds above 0 with a backlog of " + n + ", the hub away");
        final Gateway.Health away = gw.health();
        assertThat(away.status()).as("/health without a hub (spooling is its job): %s", away.body()).isEqualTo(200);
        assertThat(away.check("hub-link").path("status").asText()).as("hub-link check: %s", away.body()).isEqualTo("UP");
        assertThat(away.check("hub-link").toString()).as("hub-link check says connected false").contains("\"connected\":false");

        hubBackAndDrained(hub, gw);
        assertJournalExactlyOnceInOrder(hub, sent);
        for (int i = 1; i <= n; i++) {
            final JsonNode events = hub.parcelEvents(barcode("A", i));
            assertThat(events).as("GET /api/parcels/%s: one event, the read journaled once", barcode("A", i)).hasSize(1);
            assertThat(events.get(0).path("sequence").asLong()).as("its sequence").isEqualTo(i);
        }
        awaitMetric(gw, "sorthub_gateway_late_decisions_total", n, Duration.ofSeconds(10));
        final Gateway.Health back = gw.health();
        assertThat(back.check("hub-link").toString()).as("hub-link check once the hub is back").contains("\"connected\":true");

        // One more read with the hub up: the next line the sorter gets is its answer, nothing left over from
        // the drained reads (each parcel "gets exactly one answer line"), and it is the hub's decision.
        scanner.send("P" + (n + 1), barcode("A", n + 1));
        sent.add(barcode("A", n + 1));
        final String line = scanner.next(ANSWER, "P" + (n + 1) + ",<outlet>");
        assertThat(line).as("the next answer line after the drain").startsWith("P" + (n + 1) + ",");
        final JsonNode events = hub.parcelEvents(barcode("A", n + 1));
        final String decided = events.get(0).path("outlet").asText();
        assertThat(line).as("the answer is the hub's outlet (trace says %s), or the fallback if the hub was slower than %d ms",
            decided, Gateway.DEADLINE_MS).isIn("P" + (n + 1) + "," + decided, "P" + (n + 1) + "," + FALLBACK);
        assertThat(scanner.pending()).as("answer lines beyond one per read").isEmpty();
        assertJournalExactlyOnceInOrder(hub, sent);
        assertThat(errorLines(gw)).as("gateway ERROR lines").isEmpty();
    }

    /**
     * Scenario 2. SIGKILL of the hub while reads are in flight, restart on the same data folder: "After a reconnect
     * what the hub lacks is sent again; the hub journals each sequence once" (SCANNERS.md); "The gateway reconnects by
     * itself and drains its spool in order" (RUNBOOKS.md SortHubGatewayLostHub).
     */
    @Test
    @Timeout(120)
    void hubKilledMidStream_andRestartedOnItsFolder_noReadLostNoneJournaledTwice() throws Exception {
        final Hub hub = hub().start();
        final Gateway gw = connectedGateway(hub);
        final Sorter scanner = sorter(gw);
        final List<String> sent = new ArrayList<>();
        final Map<String, String> answers = new LinkedHashMap<>();

        for (int from = 1; from <= 100; from += 20) {
            send(scanner, "B", from, from + 19, sent);
            collect(scanner, 20, answers);
        }
        // a burst, and the hub killed while it is being forwarded, decided, journaled
        send(scanner, "B", 101, 200, sent);
        hub.sigkill();
        collect(scanner, 100, answers);
        awaitMetric(gw, "sorthub_gateway_hub_connected", 0.0, Duration.ofSeconds(10));
        send(scanner, "B", 201, 250, sent);
        collect(scanner, 50, answers);
        for (int i = 201; i <= 250; i++) {
            assertThat(answers.get("P" + i)).as("answer to P%d while the hub is dead", i).isEqualTo(FALLBACK);
        }
        assertThat(gw.backlog()).as("backlog while the hub is dead: at least the 50 reads since").isGreaterThanOrEqualTo(50.0);

        hub.start();
        awaitMetric(gw, "sorthub_gateway_hub_connected", 1.0, DRAIN);
        for (int from = 251; from <= 300; from += 25) {
            send(scanner, "B", from, from + 24, sent);
            collect(scanner, 25, answers);
        }
        awaitMetric(gw, "sorthub_gateway_spool_backlog", 0.0, DRAIN);
        LOG.info("hub killed mid-stream: gateway resends_total {}, fallback answers {}", gw.metric("sorthub_gateway_resends_total"),
            answers.values().stream().filter(FALLBACK::equals).count());
        assertThat(answers).as("every read answered once").hasSize(300);
        assertJournalExactlyOnceInOrder(hub, sent);
        assertThat(scanner.pending()).as("answer lines beyond one per read").isEmpty();
        assertThat(errorLines(gw)).as("gateway ERROR lines").isEmpty();
    }

    /**
     * Scenario 3. SCANNERS.md: "The last acknowledged sequence is kept beside the spool (file acked), so the backlog
     * is right after a restart, before the hub answers"; "A gateway restarted with a backlog carries on from its
     * spool"; sorthub_gateway_spool_backlog "never negative, right after a restart too"; PROTOCOL.md: a source
     * "never reuses a number".
     */
    @Test
    @Timeout(120)
    void gatewayKilledWithABacklog_restartedOnItsSpool_theBacklogReachesTheHubExactlyOnce() throws Exception {
        final Hub hub = hub().start();
        final Gateway gw = connectedGateway(hub);
        Sorter scanner = sorter(gw);
        final List<String> sent = new ArrayList<>();
        final Map<String, String> answers = new LinkedHashMap<>();

        send(scanner, "C", 1, 10, sent);
        collect(scanner, 10, answers);
        awaitMetric(gw, "sorthub_gateway_spool_backlog", 0.0, DRAIN);
        final String decided = hub.parcelEvents(barcode("C", 10)).get(0).path("outlet").asText();
        assertThat(answers.get("P10")).as("P10 answered with the hub's outlet (or the fallback if slower than the deadline)")
            .isIn(decided, FALLBACK);

        hub.sigkill();
        awaitMetric(gw, "sorthub_gateway_hub_connected", 0.0, Duration.ofSeconds(10));
        send(scanner, "C", 11, 20, sent);
        collect(scanner, 10, answers);
        assertThat(gw.backlog()).as("backlog with the hub dead").isEqualTo(10.0);

        gw.sigkill();
        scanner.close();
        gw.start();
        // SCANNERS.md: the acked mark is written once a second, so the 10 acknowledged just before
        // the kill may count again until the hub drops them as duplicates.
        final double afterRestart = gw.backlog();
        assertThat(afterRestart).as("sorthub_gateway_spool_backlog right after the restart, before any hub answers")
            .isBetween(10.0, 20.0);
        assertThat(gw.hubConnected()).as("no hub yet").isEqualTo(0.0);
        scanner = sorter(gw);
        send(scanner, "C", 21, 25, sent);
        collect(scanner, 5, answers);
        for (int i = 21; i <= 25; i++) {
            assertThat(answers.get("P" + i)).as("answer to P%d after the restart, hub dead", i).isEqualTo(FALLBACK);
        }
        assertThat(gw.backlog()).as("backlog: the one after the restart and the 5 since").isEqualTo(afterRestart + 5);

        hubBackAndDrained(hub, gw);
        assertJournalExactlyOnceInOrder(hub, sent);
        assertThat(errorLines(gw)).as("gateway ERROR lines").isEmpty();
    }

    /**
     * Scenario 4 (what an operator sees). RUNBOOKS.md SortHubGatewayLostHub: "At the start of each outage the gateway's
     * log says why the session was lost, in one WARN line naming the hub (`lost the connection to hub HOST:PORT: Connection reset; retrying …`);
     * an ERROR line `hub HOST:PORT: connection closed on an unexpected error: …` is a defect of the gateway's own."
     * SCANNERS.md: hub_connected "1 while the hub session is open"; /health hub-link "always UP, connected true or false".
     */
    @Test
    @Timeout(90)
    void hubLost_oneWarnLineNamesTheHub_metricsAndHealthSaySo_untilItIsBack() throws Exception {
        final Hub hub = hub().start();
        final Gateway gw = connectedGateway(hub);
        final String lost = "lost the connection to hub 127.0.0.1:" + hub.scanPort;

        hub.sigkill();
        gw.process.awaitLine(Pattern.compile(Pattern.quote(lost)), Duration.ofSeconds(10));
        awaitMetric(gw, "sorthub_gateway_hub_connected", 0.0, Duration.ofSeconds(10));
        final Gateway.Health away = gw.health();
        assertThat(away.status()).as("/health with the hub lost: %s", away.body()).isEqualTo(200);
        assertThat(away.check("hub-link").toString()).as("hub-link check with the hub lost").contains("\"connected\":false")
            .contains("\"status\":\"UP\"");
        final Sorter scanner = sorter(gw);
        scanner.send("P1", barcode("D", 1));
        assertThat(scanner.next(ANSWER, "P1," + FALLBACK)).as("a read with the hub lost").isEqualTo("P1," + FALLBACK);
        awaitMetric(gw, "sorthub_gateway_spool_backlog", 1.0, Duration.ofSeconds(5));

        hubBackAndDrained(hub, gw);
        final List<String> lostLines = gw.log().stream().filter(l -> l.contains(lost)).toList();
        assertThat(lostLines).as("one line for the one session that ended (not one per retry)").hasSize(1);
        assertThat(lostLines.get(0)).as("the line is a WARN").matches("^\\S+ WARN .*");
        assertThat(errorLines(gw)).as("gateway ERROR lines (an unexpected error is a defect of the gateway's own)").isEmpty();
        assertJournalExactlyOnceInOrder(hub, List.of(barcode("D", 1)));
    }

    /**
     * RUNBOOKS.md SortHubGatewayLostHub: "At the start of each outage the gateway's log says why the session was lost,
     * in one WARN line naming the hub (`lost the connection to hub HOST:PORT: Connection reset; retrying …`)": after
     * the hub's name, a reason.
     */
    @Test
    @Timeout(60)
    void hubLost_theWarnLineSaysWhyTheSessionEnded() throws Exception {
        final Hub hub = hub().start();
        final Gateway gw = connectedGateway(hub);
        final String lost = "lost the connection to hub 127.0.0.1:" + hub.scanPort;
        hub.sigkill();
        final String line = gw.process.awaitLine(Pattern.compile(Pattern.quote(lost)), Duration.ofSeconds(10)).group();
        final String whole = gw.log().stream().filter(l -> l.contains(lost)).findFirst().orElseThrow();
        assertThat(whole).as("the WARN line after '%s' gives a reason, as `HOST:PORT: Connection reset; retrying …`", line)
            .matches(".*" + Pattern.quote(lost) + ": \\S.*; retrying.*");
    }

    /**
     * SCANNERS.md "Answers": "the device's fallbackOutlet when the hub has not decided within deadlineMs (hub away,
     * slow, ...); a decision after that is counted in sorthub_gateway_late_decisions_total"; Metrics:
     * late_decisions_total "DECISIONs that came after the deadline (the fallback had been answered)" and
     * decision_round_trip_seconds "a late one only within 10 s of its fallback". Here the hub is away for 15 s (an
     * outage well inside a minute, before SortHubGatewayLostHub even fires).
     */
    @Test
    @Timeout(90)
    void hubAwayFifteenSeconds_itsDecisionsOfTheBacklogAreStillCountedLate() throws Exception {
        final Hub hub = hub();
        final Gateway gw = gateway(hub).start();
        final Sorter scanner = sorter(gw);
        final int n = 5;
        final List<String> sent = new ArrayList<>();
        final Map<String, String> answers = new LinkedHashMap<>();
        send(scanner, "E", 1, n, sent);
        collect(scanner, n, answers);
        assertThat(answers.values()).as("answers with no hub").containsOnly(FALLBACK);
        Await.until(Duration.ofSeconds(40), () -> {
            try {
                if (gw.metric("sorthub_gateway_oldest_unacked_seconds") >= 15.0) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            Await.pause();
            return false;
        }, () -> "sorthub_gateway_oldest_unacked_seconds to reach 15");

        hub.start();
        awaitMetric(gw, "sorthub_gateway_spool_backlog", 0.0, DRAIN);
        assertJournalExactlyOnceInOrder(hub, sent);
        awaitMetric(gw, "sorthub_gateway_late_decisions_total", n, Duration.ofSeconds(10));
        assertThat(gw.metric("sorthub_gateway_decision_round_trip_seconds_count", "device", Gateway.DEVICE))
            .as("decision_round_trip_seconds: a late one only within 10 s of its fallback; these came over 14 s after theirs")
            .isZero();
    }
}
