package io.sorthub.hub.ingest;

import io.sorthub.kit.net.NettySocket;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The scan port: a Vert.x TCP server whose connections get the hub protocol codec in their
 * Netty pipeline, in front of Vert.x's own handler (the way Vert.x's database clients plug
 * in their codecs). Deploy one instance per ingest event loop; Vert.x spreads connections
 * across them.
 */
public final class ScanServerVerticle extends VerticleBase {
    private final IngestContext shared;
    private final String host;
    private final int port;
    private final io.vertx.core.net.PemKeyCertOptions tls;
    private NetServer server;

    /** @param tls the PEM certificate and key, or null for plain TCP */
    public ScanServerVerticle(IngestContext shared, String host, int port, io.vertx.core.net.PemKeyCertOptions tls) {
        this.shared = shared;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    @Override
    public Future<?> start() {
        final NetServerOptions options = new NetServerOptions()
            .setHost(host)
            .setPort(port)
            .setTcpNoDelay(true)
            .setReceiveBufferSize(256 * 1024)
            .setSendBufferSize(256 * 1024)
            .setAcceptBacklog(1024);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(tls);
        }
        server = vertx.createNetServer(options).connectHandler(this::onConnect);
        return server.listen();
    }

    private void onConnect(NetSocket socket) {
        final NettySocket netty = NettySocket.of(socket);
        ScanPipeline.install(netty.pipeline(), netty.vertxHandlerName(), shared);
    }

    /** Serve {@code tls} to new connections from now on (a renewed certificate); open sessions keep theirs. */
    public Future<Boolean> updateTls(io.vertx.core.net.PemKeyCertOptions tls) {
        return server.updateSSLOptions(new io.vertx.core.net.ServerSSLOptions().setKeyCertOptions(tls), true);
    }

    /** The port actually bound (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
