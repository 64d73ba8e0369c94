package io.sorthub.gateway;

import io.sorthub.gateway.decision.PendingDecisions;
import io.sorthub.gateway.device.AnswerTo;
import io.sorthub.gateway.device.AnswerWriter;
import io.sorthub.gateway.device.Device;
import io.sorthub.gateway.device.DeviceConnections;
import io.sorthub.gateway.forward.HubLink;
import io.sorthub.gateway.forward.SpoolForwarder;
import io.sorthub.gateway.spool.Spool;
import io.sorthub.gateway.spool.SpoolMarks;
import io.sorthub.kit.fs.DiskGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's event loop: builds its parts and drives their timers. Everything here runs on
 * one thread: device connections ({@link DeviceConnections}) hand reads to the
 * {@link ReadIntake}, which spools them and registers them with {@link PendingDecisions};
 * the {@link SpoolForwarder} streams the spool over the {@link HubLink}; answers go out
 * through the {@link AnswerWriter}. Other threads see only {@link GatewayStatus} and the meters.
 */
public final class Gateway extends VerticleBase {
    private final GatewayConfig config;
    private final EpochClock clock;
    private final NanoClock nanoClock;
    private final GatewayMetrics metrics;
    private final GatewayStatus status;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private Spool spool;
    private DiskGuard disk;
    private SpoolForwarder forwarder;
    private PendingDecisions<Device.Reply> decisions;
    private AnswerWriter answers;
    private HubLink hub;
    private DeviceConnections connections;

    public Gateway(GatewayConfig config, EpochClock clock, NanoClock nanoClock, GatewayMetrics metrics,
                   GatewayStatus status) {
        this.config = config;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.metrics = metrics;
        this.status = status;
    }

    @Override
    public Future<?> start() throws Exception {
        final Path spoolDir = Path.of(config.spoolDir);
        spool = new Spool(spoolDir, config.spoolRollCycle);
        // A failed look keeps the last verdict: refusing would send every parcel to the fallback
        // outlet, unspooled, over a stat that says nothing about whether the spool can append.
        disk = new DiskGuard(spoolDir, config.minFreeDiskBytes, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT,
            LoggerFactory.getLogger("io.sorthub.gateway.spool.SpoolDiskGuard"), new DiskGuard.Words("spool",
            "new reads are REFUSED (answered with the fallback outlet)", "accepting reads"));
        forwarder = new SpoolForwarder(spool, new SpoolMarks(spoolDir), metrics, status, config.sourceId);
        answers = new AnswerWriter(metrics);
        decisions = new PendingDecisions<>(clock, nanoClock, answers);
        for (GatewayConfig.Device device : config.devices) {
            devices.put(device.name, new Device(device, metrics, clock));
        }
        for (Device device : devices.values()) {
            final String answer = device.config().answer;
            device.wire(AnswerTo.of(answer) == AnswerTo.DEVICE ? devices.get(answer) : device, decisions);
        }
        registerGauges();
        checkDisk();

        final ReadIntake intake = new ReadIntake(clock, metrics, spool, disk, forwarder, decisions, answers);
        hub = new HubLink(vertx, config, clock, forwarder, new HubLink.Decisions() {
            @Override
            public void onDecision(long sequence, int outlet) {
                decisions.decided(sequence, outlet);
            }

            @Override
            public void onBatchEnd() {
                answers.flush();
            }
        });
        forwarder.hub(hub);
        intake.hub(hub);
        hub.connect();
        connections = new DeviceConnections(vertx, intake);
        final List<Future<?>> started = new ArrayList<>();
        for (Device device : devices.values()) {
            started.add(connections.open(device));
        }
        vertx.setPeriodic(10, id -> {
            if (decisions.doWork() > 0) {
                answers.flush();
            }
        });
        vertx.setPeriodic(1_000, id -> {
            final long now = clock.time();
            devices.values().forEach(d -> d.checkOnline(now));
            checkDisk();
            forwarder.tick();
        });
        vertx.setPeriodic(5_000, id -> forwarder.reclaim());
        vertx.setPeriodic(config.hubHeartbeatMs, id -> hub.heartbeat()); // liveness both ways
        return Future.all(started);
    }

    private void registerGauges() {
        metrics.gauge("sorthub_gateway_spool_backlog", "Events spooled and not yet acknowledged by the hub", status::backlog);
        metrics.gauge("sorthub_gateway_oldest_unacked_seconds",
            "Age of the oldest event the hub has not acknowledged (0 when there is none)", () -> {
                final long at = status.oldestUnackedAtMs();
                return at == 0 ? 0 : Math.max(0, clock.time() - at) / 1000.0;
            });
        metrics.gauge("sorthub_gateway_hub_connected", "1 while the hub session is open and streaming",
            () -> status.hubConnected() ? 1 : 0);
        metrics.gauge("sorthub_gateway_spool_accepting", "0 while the spool disk is nearly full (reads refused)",
            () -> status.spoolAccepting() ? 1 : 0);
        metrics.gauge("sorthub_gateway_spool_free_bytes", "Free space on the spool's disk", status::spoolFreeBytes);
        metrics.gauge("sorthub_gateway_resume_ahead",
            "1 while forwarding is stopped because the hub's resume point is above the spool (see the log)",
            () -> status.resumeAhead() ? 1 : 0);
    }

    /** For tests and operations: change the free-space minimum and re-check now. */
    public void minFreeDiskBytes(long bytes) {
        context.runOnContext(v -> {
            disk.minFreeBytes(bytes);
            checkDisk();
        });
    }

    private void checkDisk() {
        disk.check();
        status.spoolAccepting(!disk.blocked(), disk.freeBytes());
    }

    /** The port a listening device bound (useful when configured as 0). */
    public int devicePort(String device) {
        return connections.port(device);
    }

    public long ackedSequence() {
        return status.ackedSequence();
    }

    public long spooledSequence() {
        return status.spooledSequence();
    }

    public GatewayStatus status() {
        return status;
    }

    public String scrape() {
        return metrics.scrape();
    }

    @Override
    public Future<?> stop() {
        hub.stop();
        connections.close();
        forwarder.tick(); // the acknowledged mark as it stands
        spool.close();
        return Future.succeededFuture();
    }
}
