package io.sorthub.test.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class BufferLeakCheckTest {
    @Test
    void aRunWhoseTestLeaksABufferFailsNamingTheLeakAndWhereTheBufferWasTouched() throws Exception {
        final Run run = runInOwnJvm(DeliberateLeak.Leaks.class);
        assertThat(run.exitCode).as(run.output).isNotZero().isNotEqualTo(2);
        assertThat(run.output)
            .contains("1 leaked Netty buffer(s) were garbage-collected during this test run without release()")
            .contains("DeliberateLeak$Leaks.writesAFrameAndNeverReleasesIt");
    }

    @Test
    void aRunWhoseTestReleasesItsBuffersPasses() throws Exception {
        final Run run = runInOwnJvm(DeliberateLeak.Releases.class);
        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("session closed cleanly").doesNotContain("leaked Netty buffer");
    }

    @Test
    void aLeakIsReportedOnceAndAReleasedBufferNever() {
        BufferLeakCheck.collectLeaks(); // whatever earlier tests of this JVM left
        leakOne();
        final ByteBuf released = Unpooled.buffer(8).writeLong(1);
        released.release();
        final List<String> leaks = BufferLeakCheck.collectLeaks();
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).startsWith("ByteBuf.release() was not called").contains("leakOne");
        assertThat(BufferLeakCheck.collectLeaks()).isEmpty();
    }

    /** In a frame of its own, so that nothing on the test's stack keeps the buffer reachable. */
    private static void leakOne() {
        Unpooled.directBuffer(16).writeInt(7);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run runInOwnJvm(Class<?> testClass) throws Exception {
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dio.netty.leakDetection.level=paranoid", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            LauncherRun.class.getName(), testClass.getName()).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes(); // ends when the process does
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the test JVM did not exit within 60 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
