package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sorthub.hub.routing.Outlet;
import io.sorthub.hub.routing.SortPlan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The outlet meters, kept to the plan in force: a state gauge and an info series (name,
 * type) per outlet of the plan, and chute-full reports counted only under outlets the plan
 * has. The outlet of a CHUTE_FULL comes off the wire: a faulty sorter reporting random
 * outlets would otherwise create up to 65,535 series; those reports count as
 * {@code outlet="unplanned"}.
 *
 * <p>{@link #plan} runs where plans are put in force (start, API upload), one at a time;
 * {@link #chuteFull} runs on the event loops and reads the plan's outlet set through one
 * volatile load.
 */
final class OutletMeters {
    static final String UNPLANNED = "unplanned";

    private final MeterRegistry registry;
    /** One state series per outlet of the plan in force, replaced as a whole when another plan comes. */
    private final MultiGauge status;
    /** The rows in force, held strongly (a gauge keeps what it reads weakly). */
    private List<MultiGauge.Row<?>> statusRows = List.of();
    private final Map<Integer, String[]> infoLabels = new HashMap<>();
    /** An info metric (Micrometer has none, and drops an "_info" suffix from a gauge's name). */
    private final Info info;
    private final PerOutlet chuteFull;
    private final PerOutlet unconfirmed;
    private final PerOutlet lost;
    private volatile boolean[] planned = new boolean[0x1_0000];

    OutletMeters(MeterRegistry registry, PrometheusRegistry infos) {
        this.registry = registry;
        this.info = Info.builder().name("sorthub_outlet_info")
            .help("The plan's outlets: name and type (regular, reject, overflow, manual)")
            .labelNames("outlet", "name", "type").register(infos);
        this.chuteFull = new PerOutlet("sorthub_chute_full_events",
            "Chute-full reports from the sorter, by outlet (\"unplanned\": an outlet the plan does not have)");
        this.unconfirmed = new PerOutlet("sorthub_parcels_unconfirmed",
            "Parcels decided for an outlet that the sorter neither confirmed diverted nor recirculated in time");
        this.lost = new PerOutlet("sorthub_parcels_lost", "Parcels the sorter reported lost, by the outlet decided");
        this.status = MultiGauge.builder("sorthub_outlet_status").description("Outlet state: 0 available, 1 full, 2 disabled")
            .register(registry);
    }

    /** Make the gauges match {@code plan}: new outlets get theirs, outlets it dropped lose theirs. */
    synchronized void plan(SortPlan plan, IntUnaryOperator statusOf) {
        final boolean[] next = new boolean[0x1_0000];
        for (Outlet outlet : plan.outlets().values()) {
            next[outlet.id()] = true;
        }
        planned = next;
        final var labels = infoLabels.entrySet().iterator();
        while (labels.hasNext()) {
            final Map.Entry<Integer, String[]> entry = labels.next();
            if (!next[entry.getKey()]) {
                info.remove(entry.getValue());
                labels.remove();
            }
        }
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Outlet outlet : plan.outlets().values()) {
            final int id = outlet.id();
            final String label = Integer.toString(id);
            rows.add(MultiGauge.Row.of(Tags.of("outlet", label), () -> statusOf.applyAsInt(id)));
            final String[] values = {label, outlet.name() == null ? "" : outlet.name(),
                outlet.type().name().toLowerCase(Locale.ROOT)};
            final String[] previous = infoLabels.put(id, values);
            if (previous != null && !java.util.Arrays.equals(previous, values)) {
                info.remove(previous); // renamed or retyped by the new plan
            }
            info.addLabelValues(values);
        }
        statusRows = rows;
        status.register(rows, true); // outlets the plan dropped lose their series, new ones get theirs
    }

    /** A chute reported full by the sorter: counted under its outlet if the plan has it. */
    void chuteFull(int outlet) {
        chuteFull.increment(outlet);
    }

    /** Journal writer: a parcel decided for {@code outlet} was not confirmed in time. */
    void unconfirmed(int outlet) {
        unconfirmed.increment(outlet);
    }

    /** Journal writer: the sorter reported a parcel decided for {@code outlet} lost. */
    void lost(int outlet) {
        lost.increment(outlet);
    }

    /** A counter per planned outlet, made at its first use; outlets the plan lacks count as "unplanned". */
    private final class PerOutlet {
        private final String name;
        private final String description;
        private final Counter[] counters = new Counter[0x1_0000];
        private final Counter unplanned;

        PerOutlet(String name, String description) {
            this.name = name;
            this.description = description;
            this.unplanned = counter(UNPLANNED);
        }

        void increment(int outlet) {
            if (outlet < 0 || outlet > 0xFFFF || !planned[outlet]) {
                unplanned.increment();
                return;
            }
            Counter counter = counters[outlet];
            if (counter == null) {
                counter = counter(Integer.toString(outlet)); // once per outlet: Micrometer returns the same meter on a race
                counters[outlet] = counter;
            }
            counter.increment();
        }

        private Counter counter(String outlet) {
            return Counter.builder(name).description(description).tag("outlet", outlet).register(registry);
        }
    }
}
