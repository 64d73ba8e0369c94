package io.sorthub.hub.control;

import io.sorthub.hub.HubService;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import io.sorthub.kit.time.Clocks;
import io.sorthub.kit.time.SetClock;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A source reset waits at most 10 s for the source's last events to reach the journal. Here
 * they never do (no writer runs), and the monotonic clock moves a second per read, so the
 * wait ends after ten reads instead of ten seconds.
 */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class SourceResetDeadlineTest {
    private final AtomicLong nanos = new AtomicLong();
    private final NanoClock aSecondPerRead = () -> nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    private final SetClock wall = new SetClock();

    @Test
    void aSourceWhoseEventsNeverReachTheJournalIsNotResetAndMayConnectAgain() throws Exception {
        final SourceRegistry sources = new SourceRegistry();
        final SourceState source = sources.get(7);
        source.offered(5, 1); // one event on its way to the journal
        final JournalProxy journal = new JournalProxy(64 * 1024);
        final SortPlanHolder plans = new SortPlanHolder(new SortPlanCompiler().compile(HubService.demoPlanText(), 1));
        final HubControl control = new HubControl(plans, new OutletStates(), journal, sources, new HubMetrics(), plan -> { },
            new Clocks(wall, wall, aSecondPerRead));

        assertThatThrownBy(() -> control.resetSource(7, "ops"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("source 7 still has a session or events on their way to the journal after 10 s; nothing was reset");
        assertThat(nanos.get()).as("it gave up by the clock")
            .isBetween(TimeUnit.SECONDS.toNanos(11), TimeUnit.SECONDS.toNanos(12));
        assertThat(source.resetting()).as("new sessions are taken again").isFalse();
        assertThat(journal.queuedBytes()).as("nothing journaled").isZero();
    }
}
