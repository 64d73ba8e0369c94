package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sorthub.hub.source.SourceState;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Per-source meters, bounded. A source id comes from the wire (HELLO): with no devices file
 * any id may connect, and each would keep a series for ever. The first {@link #MAX_SOURCES}
 * sources get their own; later ones are counted together as {@code source="other"} (and
 * {@code sorthub_source_series_capped_total} says how many were). With a devices file only
 * listed sources get a session, so the cap is not reached in practice.
 *
 * <p>{@code sorthub_source_listed} says which sources the devices file expects: a listed
 * source that never connected since a restart has no session gauge, and must still be
 * missed. It follows the file at each scrape.
 */
final class SourceMeters {
    /** More than a hub has sorter lines and scanners, far fewer than a random-id flood. */
    static final int MAX_SOURCES = 1000;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final AtomicInteger registered = new AtomicInteger();
    private volatile Counter other;
    private final Counter capped;
    private final Map<Integer, Meter> listed = new HashMap<>();
    private volatile Supplier<Collection<Integer>> listedIds;

    SourceMeters(MeterRegistry registry) {
        this.registry = registry;
        this.capped = Counter.builder("sorthub_source_series_capped")
            .description("Sources counted as source=\"other\" because " + MAX_SOURCES + " sources already have series")
            .register(registry);
    }

    /** A source's event counter, and its connected gauge while under the cap. Once per source. */
    Counter source(SourceState source) {
        if (registered.incrementAndGet() > MAX_SOURCES) {
            capped.increment();
            if (other == null) {
                other = eventsCounter(OTHER); // Micrometer returns the same meter if two threads race here
            }
            return other;
        }
        final String id = Integer.toString(source.sourceId());
        Gauge.builder("sorthub_source_connected", source, s -> s.hasSession() ? 1 : 0)
            .description("1 while the source has a session open").tag("source", id).strongReference(true)
            .register(registry);
        return eventsCounter(id);
    }

    private Counter eventsCounter(String source) {
        return Counter.builder("sorthub_source_events").description("SCAN events accepted, by source")
            .tag("source", source).register(registry);
    }

    /** The source ids the devices file lists now (called at each scrape, off the event loops). */
    void listedBy(Supplier<Collection<Integer>> ids) {
        this.listedIds = ids;
    }

    /** Bring the listed gauges in line with the devices file: before each scrape. */
    synchronized void refreshListed() {
        final Supplier<Collection<Integer>> ids = listedIds;
        if (ids == null) {
            return;
        }
        final Collection<Integer> now = ids.get();
        final var entries = listed.entrySet().iterator();
        while (entries.hasNext()) {
            final Map.Entry<Integer, Meter> entry = entries.next();
            if (!now.contains(entry.getKey())) {
                registry.remove(entry.getValue());
                entries.remove();
            }
        }
        for (Integer id : now) {
            listed.computeIfAbsent(id, k -> Gauge.builder("sorthub_source_listed", () -> 1)
                .description("Sources the devices file lists (expected to connect); always 1")
                .tag("source", Integer.toString(k)).strongReference(true).register(registry));
        }
    }
}
