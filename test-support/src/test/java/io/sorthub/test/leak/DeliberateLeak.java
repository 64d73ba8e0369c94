package io.sorthub.test.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * Test classes that {@link BufferLeakCheckTest} runs in a JVM of their own: Surefire does not
 * pick them up (no Test in their names), as one of them fails the run it is part of on purpose.
 */
final class DeliberateLeak {
    private DeliberateLeak() {
    }

    static final class Leaks {
        @Test
        void writesAFrameAndNeverReleasesIt() {
            final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            frame.writeLong(42);
        }
    }

    static final class Releases {
        @Test
        void writesAFrameAndReleasesIt() {
            final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            frame.writeLong(42);
            frame.release();
        }
    }
}
