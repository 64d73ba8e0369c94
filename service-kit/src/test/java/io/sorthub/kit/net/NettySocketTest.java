package io.sorthub.kit.net;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A codec put in front of Vert.x's handler on a real socket: it sees the bytes first, in the order added. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NettySocketTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDecoderAddedInFrontSeesTheBytesBeforeVertxAndTheChannelUsesThePooledAllocator() throws Exception {
        final CompletableFuture<Object> allocator = new CompletableFuture<>();
        final CompletableFuture<List<String>> names = new CompletableFuture<>();
        final CompletableFuture<String> vertxName = new CompletableFuture<>();
        final NetServer server = vertx.createNetServer().connectHandler(socket -> {
            final NettySocket netty = NettySocket.of(socket).addInFront("lines", new LineBasedFrameDecoder(64));
            allocator.complete(netty.channel().alloc());
            names.complete(netty.pipeline().names());
            vertxName.complete(netty.vertxHandlerName());
            // Vert.x's handler gets whole lines without their ends: only the decoder in front makes those.
            socket.handler(line -> socket.write("<" + line + ">\n"));
        });
        final int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS).actualPort();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("ab\ncd\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("<ab>");
            assertThat(in.readLine()).isEqualTo("<cd>");
        }
        assertThat(allocator.get(10, TimeUnit.SECONDS)).isSameAs(PooledByteBufAllocator.DEFAULT);
        assertThat(names.get(10, TimeUnit.SECONDS)).as("in front of Vert.x's handler").containsSubsequence("lines",
            vertxName.get(10, TimeUnit.SECONDS));
    }
}
