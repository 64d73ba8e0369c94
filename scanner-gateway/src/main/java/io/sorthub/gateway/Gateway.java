package io.sorthub.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.sorthub.gateway.forward.ScanEncoder;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerFrameDecoder;
import io.sorthub.gateway.scanner.ScannerLineDecoder;
import io.sorthub.gateway.scanner.ScannerProfile;
import io.sorthub.gateway.scanner.ScannerRead;
import io.sorthub.gateway.spool.Spool;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.ScanFlyweight;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway, on one event loop: device connections in (native scanner lines), the spool,
 * the hub link out, decisions back to the sorter side. A read is spooled before anything
 * else; the hub gets the spool in order from its resume point; disk is reclaimed only for
 * what the hub acknowledged. If the hub has not decided within a device's deadline, the
 * gateway answers that device's fallback outlet itself.
 */
public final class Gateway extends VerticleBase implements HubLink.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Events sent and not yet acknowledged, at most: the hub link's window. */
    static final int WINDOW = 1 << 18;
    private static final long LATE_GRACE_MS = 10_000;

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final Map<String, DeviceState> devices = new LinkedHashMap<>();
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final ArrayDeque<Pending> deadlines = new ArrayDeque<>();
    private final ArrayDeque<Pending> expiring = new ArrayDeque<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final UnsafeBuffer outFrame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final ScanEncoder encoder = new ScanEncoder();
    private final long[] spooledAt = new long[1];
    private final long[] windowSeq = new long[WINDOW];
    private final long[] windowTime = new long[WINDOW];
    private final List<NetServer> servers = new ArrayList<>();
    private final List<NetClient> clients = new ArrayList<>();
    private Spool spool;
    private HubLink hub;
    private HttpServer http;
    private int windowHead;
    private int windowTail;
    private long acked;
    private long sentUpTo;
    private long highestEverSent;
    private volatile boolean spoolFull;
    private volatile long spoolFreeBytes = Long.MAX_VALUE;
    private int httpPort;
    private final Map<String, Integer> devicePorts = new ConcurrentHashMap<>();

    public Gateway(GatewayConfig config) {
        this.config = config;
        this.metrics = new GatewayMetrics(config.name);
    }

    /** A read waiting for its DECISION, to answer the sorter side. */
    private static final class Pending {
        final long sequence;
        final DeviceState device;
        final Channel channel;
        final String parcelId;
        final long deadlineMs;
        final long readAtNs;
        boolean answered;

        Pending(long sequence, DeviceState device, Channel channel, String parcelId, long deadlineMs, long readAtNs) {
            this.readAtNs = readAtNs;
            this.sequence = sequence;
            this.device = device;
            this.channel = channel;
            this.parcelId = parcelId;
            this.deadlineMs = deadlineMs;
        }
    }

    /** One configured device: its profile, connections, liveness and meters. */
    final class DeviceState {
        final GatewayConfig.Device config;
        final ScannerProfile profile;
        final EventKind kind;
        final Set<Channel> channels = ConcurrentHashMap.newKeySet();
        final GatewayMetrics.DeviceMeters meters;
        volatile long lastSeenMs = System.currentTimeMillis();
        volatile boolean online;

        DeviceState(GatewayConfig.Device config) {
            this.config = config;
            this.profile = GatewayConfig.profile(config);
            this.kind = GatewayConfig.kind(config);
            this.meters = metrics.device(config.name, () -> online ? 1 : 0);
        }

        void connected(Channel channel) {
            if (channels.add(channel)) {
                lastSeenMs = System.currentTimeMillis();
                checkOnline(System.currentTimeMillis());
            }
        }

        void disconnected(Channel channel) {
            channels.remove(channel);
            checkOnline(System.currentTimeMillis());
        }

        void checkOnline(long nowMs) {
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
    }

    @Override
    public Future<?> start() throws Exception {
        spool = new Spool(Path.of(config.spoolDir), config.spoolRollCycle);
        sentUpTo = spool.lastSequence();
        highestEverSent = 0;
        for (GatewayConfig.Device device : config.devices) {
            devices.put(device.name, new DeviceState(device));
        }
        metrics.gauge("sorthub_gateway_spool_backlog", "Events spooled and not yet acknowledged by the hub",
            () -> spool.lastSequence() - acked);
        metrics.gauge("sorthub_gateway_oldest_unacked_seconds", "Age of the oldest event the hub has not acknowledged",
            this::oldestUnackedSeconds);
        metrics.gauge("sorthub_gateway_hub_connected", "1 while the hub session is open", () -> hub.connected() ? 1 : 0);
        metrics.gauge("sorthub_gateway_spool_accepting", "0 while the spool disk is nearly full (reads refused)",
            () -> spoolFull ? 0 : 1);
        metrics.gauge("sorthub_gateway_spool_free_bytes", "Free space on the spool's disk", () -> spoolFreeBytes);
        checkDisk();

        hub = new HubLink(vertx, config, this);
        hub.connect();
        final List<Future<?>> started = new ArrayList<>();
        for (DeviceState device : devices.values()) {
            started.add(startDevice(device));
        }
        vertx.setPeriodic(10, id -> expireDeadlines(System.currentTimeMillis()));
        vertx.setPeriodic(1_000, id -> {
            final long now = System.currentTimeMillis();
            devices.values().forEach(d -> d.checkOnline(now));
            checkDisk();
        });
        vertx.setPeriodic(5_000, id -> spool.reclaim(acked));
        vertx.setPeriodic(5_000, id -> hub.heartbeat()); // keeps an idle line's session open

        final Router router = Router.router(vertx);
        router.get("/metrics").handler(rc -> rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
            .end(metrics.scrape()));
        router.get("/health").handler(rc -> {
            final boolean ok = hub.connected() && !spoolFull;
            rc.response().setStatusCode(spoolFull ? 503 : 200).putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", spoolFull ? "DEGRADED" : ok ? "UP" : "HUB_DOWN")
                    .put("hubConnected", hub.connected()).put("spoolBacklog", spool.lastSequence() - acked)
                    .put("spoolAccepting", !spoolFull).encodePrettily());
        });
        http = vertx.createHttpServer().requestHandler(router);
        started.add(http.listen(config.httpPort, config.httpHost).onSuccess(s -> httpPort = s.actualPort()));
        return Future.all(started);
    }

    private Future<?> startDevice(DeviceState device) {
        final GatewayConfig.Device c = device.config;
        if (c.mode.equals("listen")) {
            final NetServer server = vertx.createNetServer(new NetServerOptions().setHost(c.host).setPort(c.port).setTcpNoDelay(true));
            servers.add(server);
            server.connectHandler(socket -> attach(device, socket));
            return server.listen().onSuccess(s -> devicePorts.put(c.name, s.actualPort()));
        }
        final NetClient client = vertx.createNetClient();
        clients.add(client);
        connectDevice(device, client, 200);
        return Future.succeededFuture();
    }

    /** Connect to a device that listens; on failure or close, again with back-off up to 10 s. */
    private void connectDevice(DeviceState device, NetClient client, long backoffMs) {
        client.connect(device.config.port, device.config.host).onSuccess(socket -> {
            attach(device, socket);
            socket.closeHandler(v -> vertx.setTimer(200, id -> connectDevice(device, client, 200)));
        }).onFailure(e -> vertx.setTimer(backoffMs, id -> connectDevice(device, client, Math.min(backoffMs * 2, 10_000))));
    }

    private void attach(DeviceState device, NetSocket socket) {
        final ChannelHandlerContext vertxHandler = ((NetSocketInternal) socket).channelHandlerContext();
        vertxHandler.channel().config().setAllocator(PooledByteBufAllocator.DEFAULT);
        final var pipeline = vertxHandler.pipeline();
        pipeline.addBefore(vertxHandler.name(), "scanner-frames",
            new ScannerFrameDecoder(device.profile.framing(), device.profile.maxLineLength()));
        pipeline.addBefore(vertxHandler.name(), "scanner-lines", new ScannerLineDecoder(device.profile));
        pipeline.addBefore(vertxHandler.name(), "scanner-device", new DeviceHandler(this, device));
    }

    // --- reads in ---------------------------------------------------------------------

    void onRead(DeviceState device, ScannerRead read, Channel channel) {
        final long now = System.currentTimeMillis();
        device.lastSeenMs = now;
        device.meters.reads[read.type().ordinal()].increment();
        if (read.type() == ScannerRead.Type.HEARTBEAT) {
            return;
        }
        final boolean answers = !device.config.answer.equals("none") && device.kind == EventKind.SORT_REQUEST;
        if (spoolFull) {
            metrics.spoolRejected();
            if (answers) {
                answer(device, channel, read.parcelId(), device.config.fallbackOutlet); // the parcel must go somewhere
                device.meters.fallbacks.increment();
            }
            return;
        }
        final EventKind kind = read.type() == ScannerRead.Type.NO_READ && device.kind == EventKind.SORT_REQUEST
            ? EventKind.NO_READ : device.kind;
        final int length = encoder.encode(frame, read, kind, device.config.name, now);
        final long sequence = spool.append(frame, length, now); // durable locally before anything else
        if (answers) {
            final DeviceState target = device.config.answer.equals("same") ? device : devices.get(device.config.answer);
            final Pending p = new Pending(sequence, target, target == device ? channel : null, read.parcelId(),
                now + device.config.deadlineMs, System.nanoTime());
            pending.put(sequence, p);
            deadlines.addLast(p);
        }
        pump(false);
    }

    void onRejected(DeviceState device, LineRejected rejected) {
        device.meters.errors[rejected.error().ordinal()].increment();
        LogOnce.warn(device.config.name + "/" + rejected.error(), "device {}: {} ({}); further ones are counted only",
            device.config.name, rejected.error(), rejected.detail());
    }

    /** Called at the end of a device read batch: one flush to the hub per batch. */
    void flushHub() {
        if (hub.connected()) {
            hub.flush();
        }
    }

    // --- spool to hub ------------------------------------------------------------------

    /** Send spooled events while the link is writable and the window has room. */
    private void pump(boolean flush) {
        int sent = 0;
        while (hub.writable() && windowSize() < WINDOW - 1) {
            final int length = spool.next(outFrame, spooledAt);
            if (length == 0) {
                break;
            }
            final long sequence = outFrame.getLong(ScanFlyweight.SEQUENCE_OFFSET, Frame.BYTE_ORDER);
            windowSeq[windowTail] = sequence;
            windowTime[windowTail] = spooledAt[0];
            windowTail = (windowTail + 1) & (WINDOW - 1);
            hub.write(outFrame, length);
            sentUpTo = sequence;
            if (sequence <= highestEverSent) {
                metrics.resends(1);
            } else {
                highestEverSent = sequence;
            }
            sent++;
        }
        if (flush && sent > 0) {
            hub.flush();
        }
    }

    private int windowSize() {
        return (windowTail - windowHead) & (WINDOW - 1);
    }

    private double oldestUnackedSeconds() {
        if (windowSize() > 0) {
            return (System.currentTimeMillis() - windowTime[windowHead]) / 1000.0;
        }
        return spool.lastSequence() > acked && !hub.connected() ? Double.NaN : 0;
    }

    @Override
    public void onWelcome(long resumeSequence) {
        acked = resumeSequence;
        windowHead = windowTail = 0;
        spool.seekAfter(resumeSequence);
        sentUpTo = resumeSequence;
        pump(true);
    }

    @Override
    public void onWritable() {
        pump(true);
    }

    @Override
    public void onDecision(long sequence, int outlet) {
        final Pending p = pending.get(sequence);
        if (p == null) {
            return; // a backlog event, or one whose late decision was already dropped
        }
        p.device.meters.roundTrip(System.nanoTime() - p.readAtNs);
        if (p.answered) {
            metrics.lateDecision();
        } else {
            p.answered = true;
            answer(p.device, p.channel, p.parcelId, outlet);
        }
        pending.remove(sequence);
    }

    @Override
    public void onAck(long sequence) {
        acked = Math.max(acked, sequence);
        while (windowSize() > 0 && windowSeq[windowHead] <= sequence) {
            windowHead = (windowHead + 1) & (WINDOW - 1);
        }
        pump(true);
    }

    @Override
    public void onDisconnected() {
        windowHead = windowTail = 0;
    }

    private void expireDeadlines(long nowMs) {
        while (!deadlines.isEmpty() && deadlines.peekFirst().deadlineMs <= nowMs) {
            final Pending p = deadlines.pollFirst();
            if (!p.answered) {
                p.answered = true;
                answer(p.device, p.channel, p.parcelId, p.device.config.fallbackOutlet);
                p.device.meters.fallbacks.increment();
                expiring.addLast(p);
            }
        }
        // Keep answered-by-fallback entries a while, to count decisions that come too late.
        while (!expiring.isEmpty() && expiring.peekFirst().deadlineMs + LATE_GRACE_MS <= nowMs) {
            pending.remove(expiring.pollFirst().sequence);
        }
    }

    /** The decision line for the sorter side, in the device's own framing. */
    private void answer(DeviceState device, Channel channel, String parcelId, int outlet) {
        Channel target = channel;
        if (target == null || !target.isActive()) {
            target = device.channels.stream().filter(Channel::isActive).findFirst().orElse(null);
        }
        if (target == null) {
            return;
        }
        final String body = parcelId + device.profile.separator() + outlet;
        final byte[] bytes = switch (device.profile.framing()) {
            case STX_ETX -> ("\u0002" + body + "\u0003").getBytes(StandardCharsets.ISO_8859_1);
            case CRLF -> (body + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            case LF -> (body + "\n").getBytes(StandardCharsets.ISO_8859_1);
        };
        final ByteBuf buf = target.alloc().buffer(bytes.length).writeBytes(bytes);
        target.writeAndFlush(buf, target.voidPromise());
    }

    private void checkDisk() {
        try {
            spoolFreeBytes = Files.getFileStore(spool.directory()).getUsableSpace();
        } catch (java.io.IOException e) {
            return;
        }
        final boolean full = spoolFreeBytes < config.minFreeDiskBytes;
        if (full != spoolFull) {
            spoolFull = full;
            if (full) {
                LOG.error("SPOOL DISK NEARLY FULL: {} bytes free on {} (minimum {}): new reads are REFUSED "
                    + "(answered with the fallback outlet) until space is freed", spoolFreeBytes, spool.directory(),
                    config.minFreeDiskBytes);
            } else {
                LOG.info("spool disk has {} bytes free again: accepting reads", spoolFreeBytes);
            }
        }
    }

    /** For tests and operations: change the free-space minimum and re-check now. */
    public void minFreeDiskBytes(long bytes) {
        context.runOnContext(v -> {
            config.minFreeDiskBytes = bytes;
            checkDisk();
        });
    }

    public int httpPort() {
        return httpPort;
    }

    /** The port a listening device bound (useful when configured as 0). */
    public int devicePort(String device) {
        return devicePorts.getOrDefault(device, -1);
    }

    public long ackedSequence() {
        return acked;
    }

    public long spooledSequence() {
        return spool.lastSequence();
    }

    public String scrape() {
        return metrics.scrape();
    }

    @Override
    public Future<?> stop() {
        hub.stop();
        servers.forEach(NetServer::close);
        clients.forEach(NetClient::close);
        if (http != null) {
            http.close();
        }
        spool.close();
        return Future.succeededFuture();
    }
}
