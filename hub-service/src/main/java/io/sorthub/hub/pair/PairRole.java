package io.sorthub.hub.pair;

import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.PairActiveRecord;
import io.sorthub.hub.journal.JournalState;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.kit.time.Clocks;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This instance's role in the hub pair, and every change of it (docs/HA.md):
 * <pre>
 *   STANDBY --elected--> PROMOTING --fenced, log read to its end, plan ready--> ACTIVE
 *   ACTIVE  --fenced / role lost / switchover--> STEPPED_DOWN (the hub restarts as a standby)
 * </pre>
 * A standby follows the pair's log into its own journal and answers HELLO with UNAVAILABLE
 * naming the active. Promotion fences the old active first (Kafka's transactional epoch),
 * then reads the log to its end, so the new active holds every batch the pair acknowledged
 * before it takes a single event. Role changes run on a thread of their own ("pair-role").
 */
public final class PairRole implements PairElection.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PairRole.class);

    public enum State { STANDBY, PROMOTING, ACTIVE, STEPPED_DOWN }

    /** What the hub does when this instance's role changes; called on the role thread. */
    public interface Hub {
        /** Promotion is about to finish: anything to journal first as the new active (e.g. a plan). */
        void promoted(JournalProxy journal) throws Exception;

        /** No longer (or never quite) the active: stop taking events now, then restart as a standby. */
        void steppedDown(String why);
    }

    private volatile PairSettings settings;
    private final JournalAgent writer;
    private final JournalProxy journal;
    private final JournalState state;
    private final Hub hub;
    private final Clocks clocks;
    private final PairLease lease;
    private final PairElection election;
    private final PairFollower follower;
    private final ScheduledExecutorService roleThread = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "pair-role");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong switches = new AtomicLong();
    private volatile State role = State.STANDBY;
    private volatile KafkaReplicator replicator;
    /** The producer made ahead of a promotion (null: none, or used); set and used on the role thread, closed by close(). */
    private volatile KafkaReplicator prepared;
    private volatile long promotedAtMs;
    private volatile boolean leaving;

    /**
     * Make or check the pair's topics, put the writer in the follower's mode and start reading
     * the pair's log into the journal. Call before the writer's thread takes any work: from here
     * on nothing is journaled that the pair did not replicate.
     *
     * @param onPlan    told (on the writer thread) of every plan the log brings
     * @param onDevices told (on the writer thread) of every change of the device credentials the log brings
     */
    public PairRole(PairSettings settings, JournalAgent writer, JournalProxy journal, JournalState state, HubMetrics metrics,
                    Hub hub, Consumer<JournalState.Plan> onPlan, Consumer<String> onDevices, Clocks clocks)
        throws Exception {
        PairTopics.ensure(settings);
        this.settings = settings;
        this.writer = writer;
        this.journal = journal;
        this.state = state;
        this.hub = hub;
        this.clocks = clocks;
        this.lease = new PairLease(clocks.nanos(), settings.sessionTimeoutMs());
        this.follower = new PairFollower(settings, writer, state.position(), clocks.nanos());
        this.election = new PairElection(settings, lease, this);
        metrics.gauge("sorthub_pair_active", "1 while this instance is the hub pair's active", () -> role == State.ACTIVE ? 1 : 0);
        metrics.gauge("sorthub_pair_standby", "1 while this instance is a standby of the hub pair", () -> role == State.STANDBY ? 1 : 0);
        metrics.gauge("sorthub_pair_replication_lag", "Offsets of the pair's log a standby has not applied yet (0 caught up)",
            () -> role == State.STANDBY ? Math.max(0, follower.lag()) : 0);
        metrics.counter("sorthub_pair_promotions", "Times this instance became the pair's active", switches::get);
        state.follow(onPlan, active -> LOG.info("pair {}: the active is {} at {} (term {})", settings.pair(),
            active.instance(), active.address(), active.term()), onDevices);
        writer.follow(state, state.position(), state.unmarked());
        follower.start();
        LOG.info("pair {}: instance {} starts as a standby, following the pair's log after position {}", settings.pair(),
            settings.instance(), state.position());
    }

    /** Stand for election, taking scans at {@code advertised} (host:port) once elected. */
    public void standForElection(String advertised) {
        settings = settings.advertising(advertised);
        roleThread.execute(this::prepareReplicator); // runs before any promotion: same thread
        // Kafka forgets a topic's metadata after 5 idle minutes: keep the prepared producer's fresh.
        roleThread.scheduleWithFixedDelay(this::keepPreparedWarm, 1, 1, TimeUnit.MINUTES);
        election.start();
    }

    /**
     * Make the producer a promotion will fence with, and fetch its metadata, while still a
     * standby: a takeover then spends its time only on the fence and the log's last batches.
     * A producer that is never initialised holds no epoch and fences nobody.
     */
    private void prepareReplicator() {
        KafkaReplicator ready = null;
        try {
            ready = new KafkaReplicator(settings, lease);
            ready.warm();
            if (leaving) {
                ready.close(); // the hub stopped while this was being made
            } else {
                prepared = ready;
            }
        } catch (RuntimeException e) {
            if (ready != null) {
                ready.close();
            }
            LOG.warn("pair {}: could not prepare the producer ahead of a takeover ({}); a promotion makes one then",
                settings.pair(), e.toString());
        }
    }

    private void keepPreparedWarm() {
        final KafkaReplicator ready = prepared;
        if (ready != null && role == State.STANDBY && !leaving) {
            try {
                ready.warm();
            } catch (RuntimeException e) {
                LOG.debug("pair {}: refreshing the prepared producer's metadata failed: {}", settings.pair(), e.toString());
            }
        }
    }

    /** Where sources reach this instance. */
    public String advertised() {
        return settings.advertised();
    }

    // --- election callbacks (election thread): hand over to the role thread -----------------

    @Override
    public void elected() {
        roleThread.execute(this::promote);
    }

    @Override
    public void deposed(String why) {
        roleThread.execute(() -> stepDown(why));
    }

    /**
     * Become the active. The old active keeps deciding and committing until the very moment it
     * is fenced, so everything slow happens before the fence: reading the log to its end while
     * the old active still runs. After the fence only its last few batches remain to apply.
     */
    private void promote() {
        if (role != State.STANDBY) {
            return;
        }
        role = State.PROMOTING;
        final long start = clocks.nanos().nanoTime();
        try {
            final KafkaReplicator next = prepared != null ? prepared : new KafkaReplicator(settings, lease);
            prepared = null;
            replicator = next;
            follower.catchUp().get(60, TimeUnit.SECONDS); // warm, while the old active may still commit
            final long caughtUp = clocks.nanos().nanoTime();
            next.fence(); // from here on no earlier active can commit, so none can acknowledge
            final long fenced = clocks.nanos().nanoTime();
            final long applied = follower.catchUp().get(60, TimeUnit.SECONDS); // what it committed before the fence
            final long applyDone = clocks.nanos().nanoTime();
            follower.close();
            writer.lead(next);
            hub.promoted(journal);
            promotedAtMs = clocks.epoch().time();
            role = State.ACTIVE;
            switches.incrementAndGet();
            final JournalState.Active before = state.active();
            final long term = before == null ? 1 : before.term() + 1;
            LOG.warn("pair {}: instance {} is now the ACTIVE (term {}), having applied the log up to position {}, "
                + "{} ms after it was elected (read the log {} ms, fenced the old active {} ms, its last batches {} ms, "
                + "opened {} ms)", settings.pair(), settings.instance(), term, applied,
                TimeUnit.NANOSECONDS.toMillis(clocks.nanos().nanoTime() - start),
                TimeUnit.NANOSECONDS.toMillis(caughtUp - start),
                TimeUnit.NANOSECONDS.toMillis(fenced - caughtUp), TimeUnit.NANOSECONDS.toMillis(applyDone - fenced),
                TimeUnit.NANOSECONDS.toMillis(clocks.nanos().nanoTime() - applyDone));
            // Tells standbys (and through them the gateways) where the active is; replicated like any batch.
            journal.append(PairActiveRecord.encode(settings.instance(), settings.advertised(), term,
                clocks.epochNanos().nanoTime())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            stepDown("promotion failed: " + (e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e));
        }
    }

    private void stepDown(String why) {
        if (role == State.STEPPED_DOWN || role == State.STANDBY || leaving) {
            return; // a standby that was never elected has nothing to give up; a stopping hub says so itself
        }
        role = State.STEPPED_DOWN;
        lease.lose();
        LOG.error("pair {}: instance {} is NO LONGER THE ACTIVE ({}): it takes no more events and acknowledges nothing "
            + "more; it restarts as a standby", settings.pair(), settings.instance(), why);
        hub.steppedDown(why);
    }

    /** Switchover (maintenance): hand the role to a standby; this instance keeps deciding until it is fenced. */
    public boolean switchover() {
        if (role != State.ACTIVE) {
            return false;
        }
        LOG.warn("pair {}: switchover: instance {} hands the active role to a standby", settings.pair(), settings.instance());
        election.resign();
        return true;
    }

    /** The writer stopped because Kafka fenced this instance (or the lease was lost): step down. */
    public void writerDeposed(String why) {
        roleThread.execute(() -> stepDown(why));
    }

    public State role() {
        return role;
    }

    public boolean active() {
        return role == State.ACTIVE;
    }

    /** Why a source cannot have a session here now, naming the active when known; null while active. */
    public String unavailable() {
        final JournalState.Active known = state.active();
        final String where = known == null || known.instance().equals(settings.instance()) ? ""
            : "; the active is " + known.instance() + " (active=" + known.address() + ")";
        return switch (role) {
            case ACTIVE -> null;
            case STANDBY -> "hub-service " + settings.instance() + " is a standby of hub pair " + settings.pair() + where;
            case PROMOTING -> "hub-service " + settings.instance() + " is becoming the active of hub pair " + settings.pair()
                + "; reconnect in a moment";
            case STEPPED_DOWN -> "hub-service " + settings.instance() + " is no longer the active of hub pair "
                + settings.pair() + "; reconnect to another instance of the pair";
        };
    }

    /** For /api/pair and /health. */
    public JsonObject status() {
        final JournalState.Active known = state.active();
        final JsonObject status = new JsonObject()
            .put("pair", settings.pair())
            .put("instance", settings.instance())
            .put("role", role.name().toLowerCase(java.util.Locale.ROOT))
            .put("advertised", settings.advertised())
            .put("logPosition", writer.appliedPosition());
        if (role == State.STANDBY) {
            status.put("replicationLag", follower.lag());
        }
        if (known != null) {
            status.put("active", new JsonObject().put("instance", known.instance()).put("address", known.address())
                .put("term", known.term()));
        }
        if (promotedAtMs > 0) {
            status.put("activeSince", java.time.Instant.ofEpochMilli(promotedAtMs).toString());
        }
        return status;
    }

    /** Leave the election (an active hands its role over at once) and stop following the log. */
    public void leave() {
        leaving = true;
        election.close();
        follower.close();
        roleThread.shutdownNow();
        try {
            roleThread.awaitTermination(5, TimeUnit.SECONDS); // a prepare under way ends before close() looks
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the writer stopped: give up the producer. */
    @Override
    public void close() {
        leave();
        final KafkaReplicator r = replicator;
        if (r != null) {
            r.close();
        }
        final KafkaReplicator unused = prepared;
        if (unused != null && unused != r) {
            unused.close();
        }
    }
}
