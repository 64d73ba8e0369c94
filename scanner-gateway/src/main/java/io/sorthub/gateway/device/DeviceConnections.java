package io.sorthub.gateway.device;

import io.sorthub.gateway.scanner.ScannerLineDecoder;
import io.sorthub.kit.net.ListenFailure;
import io.sorthub.kit.net.NettySocket;
import io.sorthub.kit.retry.Backoff;
import io.sorthub.gateway.scanner.TelegramDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens the devices' connections on the gateway's event loop: a port for each device that
 * connects to the gateway, a client (reconnecting with back-off, 0.2 s doubling to 10 s, with jitter) for
 * each device the gateway connects to; every connection gets the device's codec pipeline.
 */
public final class DeviceConnections {
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Vertx vertx;
    private final ReadSink sink;
    private final List<NetServer> servers = new ArrayList<>();
    private final List<NetClient> clients = new ArrayList<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public DeviceConnections(Vertx vertx, ReadSink sink) {
        this.vertx = vertx;
        this.sink = sink;
    }

    public Future<?> open(Device device) {
        final var c = device.config();
        if (c.mode == DeviceMode.LISTEN) {
            final NetServer server = vertx.createNetServer(new NetServerOptions().setHost(c.host).setPort(c.port)
                .setTcpNoDelay(true));
            servers.add(server);
            server.connectHandler(socket -> attach(device, socket));
            return server.listen().onSuccess(s -> ports.put(c.name, s.actualPort()))
                .recover(e -> Future.failedFuture(ListenFailure.explain("device '" + c.name + "' port", c.host, c.port,
                    e instanceof Exception x ? x : new RuntimeException(e))));
        }
        final NetClient client = vertx.createNetClient();
        clients.add(client);
        connect(device, client, Backoff.withRandomJitter(FIRST_BACKOFF_MS, MAX_BACKOFF_MS));
        return Future.succeededFuture();
    }

    private void connect(Device device, NetClient client, Backoff backoff) {
        if (closed) {
            return;
        }
        client.connect(device.config().port, device.config().host).onSuccess(socket -> {
            backoff.reset();
            attach(device, socket);
            socket.closeHandler(v -> vertx.setTimer(backoff.nextDelayMs(), id -> connect(device, client, backoff)));
        }).onFailure(e -> vertx.setTimer(backoff.nextDelayMs(), id -> connect(device, client, backoff)));
    }

    private void attach(Device device, NetSocket socket) {
        NettySocket.of(socket)
            .addInFront("scanner-telegrams", new TelegramDecoder(device.profile().framing(), device.profile().maxLineLength()))
            .addInFront("scanner-lines", new ScannerLineDecoder(device.profile()))
            .addInFront("scanner-device", new DeviceHandler(sink, device));
    }

    /** The port a listening device bound (useful when configured as 0); -1 for others. */
    public int port(String device) {
        return ports.getOrDefault(device, -1);
    }

    public void close() {
        closed = true;
        servers.forEach(NetServer::close);
        clients.forEach(NetClient::close);
    }
}
