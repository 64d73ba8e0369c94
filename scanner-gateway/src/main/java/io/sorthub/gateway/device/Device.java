package io.sorthub.gateway.device;

import io.netty.channel.Channel;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.GatewayMetrics;
import io.sorthub.gateway.decision.PendingDecisions;
import io.sorthub.gateway.scanner.AnswerFormat;
import io.sorthub.gateway.scanner.ScannerProfile;
import io.sorthub.protocol.EventKind;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One configured device at run time: its profile, its answer line, where its answers go, its
 * connections, liveness and meters. Connections and reads are handled on the gateway's event
 * loop; {@link #online()} is read by the metrics scrape.
 */
public final class Device {
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);

    private final GatewayConfig.Device config;
    private final ScannerProfile profile;
    private final EventKind kind;
    private final AnswerTo answerTo;
    private final AnswerFormat answerFormat;
    private final GatewayMetrics.DeviceMeters meters;
    private final EpochClock clock;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private Device answerTarget = this;
    private PendingDecisions.Lane<Reply> lane;
    private volatile long lastSeenMs;
    private volatile boolean online;

    public Device(GatewayConfig.Device config, GatewayMetrics metrics, EpochClock clock) {
        this.config = config;
        this.profile = GatewayConfig.profile(config);
        this.kind = GatewayConfig.kind(config);
        this.answerTo = AnswerTo.of(config.answer);
        this.answerFormat = AnswerFormat.of(profile, config.answerFormat);
        this.clock = clock;
        this.lastSeenMs = clock.time();
        this.meters = metrics.device(config.name, () -> online ? 1 : 0);
    }

    /** Where a read's answer goes, and on which connection if it is this device's own. */
    public record Reply(Device source, Device target, Channel channel) {
    }

    /** After every device exists: the device answers go to, and this device's lane of waiting reads. */
    public void wire(Device target, PendingDecisions<Reply> decisions) {
        this.answerTarget = target;
        this.lane = decisions.lane(config.deadlineMs, config.fallbackOutlet, !profile.answersById());
    }

    /** True when a read here is a sort request whose outlet someone is waiting for. */
    public boolean answers() {
        return answerTo != AnswerTo.NONE && kind == EventKind.SORT_REQUEST;
    }

    public Reply replyFor(Channel channel) {
        return new Reply(this, answerTarget, answerTarget == this ? channel : null);
    }

    public Device answerTarget() {
        return answerTarget;
    }

    public PendingDecisions.Lane<Reply> lane() {
        return lane;
    }

    public String name() {
        return config.name;
    }

    public GatewayConfig.Device config() {
        return config;
    }

    public ScannerProfile profile() {
        return profile;
    }

    public EventKind kind() {
        return kind;
    }

    public AnswerFormat answerFormat() {
        return answerFormat;
    }

    public GatewayMetrics.DeviceMeters meters() {
        return meters;
    }

    /** An open connection to this device, or null. */
    public Channel activeChannel() {
        for (Channel channel : channels) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    public void seen(long nowMs) {
        lastSeenMs = nowMs;
    }

    void connected(Channel channel) {
        if (channels.add(channel)) {
            lastSeenMs = clock.time();
            checkOnline(lastSeenMs);
        }
    }

    void disconnected(Channel channel) {
        channels.remove(channel);
        checkOnline(clock.time());
    }

    public void checkOnline(long nowMs) {
        final boolean now = !channels.isEmpty()
            && (config.offlineAfterMs == 0 || nowMs - lastSeenMs <= config.offlineAfterMs);
        if (now != online) {
            online = now;
            if (now) {
                LOG.info("device {} online", config.name);
            } else {
                LOG.warn("device {} OFFLINE: {}", config.name, channels.isEmpty() ? "not connected"
                    : "silent for over " + config.offlineAfterMs + " ms");
            }
        }
    }

    public boolean online() {
        return online;
    }
}
