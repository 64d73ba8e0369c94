package io.sorthub.kit.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorLineTest {
    @Test
    void namesTheErrorAndTheFirstFrameOfOurOwnCode() {
        final IllegalStateException error = new IllegalStateException("spool closed");
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.agrona.collections.Long2LongHashMap", "get", "Long2LongHashMap.java", 10),
            new StackTraceElement("io.sorthub.gateway.Spool", "ack", "Spool.java", 42),
            new StackTraceElement("io.netty.channel.AbstractChannelHandlerContext", "invokeChannelRead", null, 1)});
        assertThat(ErrorLine.of(error))
            .isEqualTo("java.lang.IllegalStateException: spool closed at io.sorthub.gateway.Spool.ack(Spool.java:42)");
    }

    @Test
    void withoutOurFrameTheTopOneAndWithoutATraceTheErrorAloneOnOneLine() {
        final RuntimeException library = new RuntimeException("bad\nstate");
        library.setStackTrace(new StackTraceElement[] {new StackTraceElement("io.netty.Foo", "bar", "Foo.java", 7)});
        assertThat(ErrorLine.of(library)).isEqualTo("java.lang.RuntimeException: bad state at io.netty.Foo.bar(Foo.java:7)");
        final RuntimeException bare = new RuntimeException("no trace");
        bare.setStackTrace(new StackTraceElement[0]);
        assertThat(ErrorLine.of(bare)).isEqualTo("java.lang.RuntimeException: no trace");
    }
}
