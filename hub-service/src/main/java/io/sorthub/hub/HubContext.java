package io.sorthub.hub;

import io.sorthub.hub.ingest.ErrorLog;
import io.sorthub.hub.ingest.IngestContext;
import io.sorthub.hub.journal.JournalWriter;
import io.sorthub.hub.security.HelloRate;
import io.sorthub.kit.time.Clocks;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the hub's components are configured by and share, in one place (as Aeron's
 * {@code MediaDriver.Context}): the settings with their limits ({@link HubConfig}, whose
 * fields carry the defaults), the clocks, the exporter's idle strategy, the scan port's error
 * log and HELLO rate, and the seam around the journal writer. Set what a test or an
 * embedding program needs, then {@link #conclude()}: it fills the rest (the machine's clocks,
 * the limits from the settings), checks them and freezes the context. {@link HubService}
 * builds and concludes one; each component takes the pieces it needs by constructor, never
 * the context itself. Built and concluded on the starting thread, read-only after.
 */
public final class HubContext {
    private final HubConfig config;
    private boolean concluded;
    private EpochClock epochClock;
    private EpochNanoClock epochNanoClock;
    private NanoClock nanoClock;
    private IdleStrategy exportIdleStrategy;
    private UnaryOperator<JournalWriter> aroundJournalWriter;
    private IngestContext.Limits ingestLimits;
    private ErrorLog scanErrors;
    private HelloRate hellos;

    public HubContext(HubConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** All three clocks at once (a test's {@code Clocks.of(setClock)}). */
    public HubContext clocks(Clocks clocks) {
        return epochClock(clocks.epoch()).epochNanoClock(clocks.epochNanos()).nanoClock(clocks.nanos());
    }

    /** Wall-clock milliseconds: plan versions, overrides, confirmation deadlines, retention, HTTP deadlines. */
    public HubContext epochClock(EpochClock clock) {
        checkOpen();
        this.epochClock = clock;
        return this;
    }

    /** Wall-clock nanoseconds: every journal record's time. */
    public HubContext epochNanoClock(EpochNanoClock clock) {
        checkOpen();
        this.epochNanoClock = clock;
        return this;
    }

    /** Monotonic nanoseconds: deadlines, rates, leases, elapsed time. */
    public HubContext nanoClock(NanoClock clock) {
        checkOpen();
        this.nanoClock = clock;
        return this;
    }

    /** How the journal exporter waits for new records (default: sleep 1 ms, never competing with the sort path for a core). */
    public HubContext exportIdleStrategy(IdleStrategy idle) {
        checkOpen();
        this.exportIdleStrategy = idle;
        return this;
    }

    /** Wraps the journal writer: the seam for fault-injection tests, never set in production. */
    public HubContext aroundJournalWriter(UnaryOperator<JournalWriter> around) {
        checkOpen();
        this.aroundJournalWriter = around;
        return this;
    }

    /** Fill what was not set, check, and freeze. */
    public HubContext conclude() {
        checkOpen();
        final Clocks system = epochClock == null || epochNanoClock == null || nanoClock == null ? Clocks.system() : null;
        epochClock = epochClock != null ? epochClock : system.epoch();
        epochNanoClock = epochNanoClock != null ? epochNanoClock : system.epochNanos();
        nanoClock = nanoClock != null ? nanoClock : system.nanos();
        exportIdleStrategy = exportIdleStrategy != null ? exportIdleStrategy : new SleepingMillisIdleStrategy(1);
        aroundJournalWriter = aroundJournalWriter != null ? aroundJournalWriter : UnaryOperator.identity();
        ingestLimits = new IngestContext.Limits(config.helloTimeoutMs, config.idleTimeoutMs, config.maxConnections,
            config.maxInFlight, config.maxSequenceGap);
        if (ingestLimits.helloTimeoutMs() < 1 || ingestLimits.idleTimeoutMs() < 1 || ingestLimits.maxConnections() < 1
            || ingestLimits.maxInFlight() < 1 || ingestLimits.maxSequenceGap() < 0 || config.helloRateLimit < 0) {
            throw new IllegalStateException("hub limits out of range: " + ingestLimits + ", helloRateLimit "
                + config.helloRateLimit);
        }
        scanErrors = new ErrorLog(epochClock);
        hellos = new HelloRate(config.helloRateLimit, nanoClock);
        concluded = true;
        return this;
    }

    public HubConfig config() {
        return config;
    }

    public EpochClock epochClock() {
        return epochClock;
    }

    public EpochNanoClock epochNanoClock() {
        return epochNanoClock;
    }

    public NanoClock nanoClock() {
        return nanoClock;
    }

    /** The three clocks, for a component that reads more than one kind of time. */
    public Clocks clocks() {
        return new Clocks(epochClock, epochNanoClock, nanoClock);
    }

    public IdleStrategy exportIdleStrategy() {
        return exportIdleStrategy;
    }

    public UnaryOperator<JournalWriter> aroundJournalWriter() {
        return aroundJournalWriter;
    }

    /** Bounds every scan connection is held to (from the settings). */
    public IngestContext.Limits ingestLimits() {
        return ingestLimits;
    }

    /** The scan port's protocol errors, each distinct one named once a minute. */
    public ErrorLog scanErrors() {
        return scanErrors;
    }

    /** The HELLO rate per remote address (from helloRateLimit). */
    public HelloRate hellos() {
        return hellos;
    }

    private void checkOpen() {
        if (concluded) {
            throw new IllegalStateException("the hub context is already concluded");
        }
    }
}
