package io.sorthub.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process started as an operator's machine would start it, what it prints (standard output and
 * error, in order) kept line by line by a thread of its own, so that every wait for a line has a
 * real deadline even when the process prints nothing (a blocked pipe read ignores interrupts).
 */
public final class ChildProcess implements AutoCloseable {
    /** What Chronicle Queue needs on Java 17+ (the jars' manifests carry the same). */
    private static final List<String> CHRONICLE_FLAGS = List.of(
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");

    public final Process process;
    /** Every line printed so far; grows while the process runs. */
    public final List<String> output = new CopyOnWriteArrayList<>();
    private final String name;
    private final Thread drain;
    private boolean ended; // guarded by output

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        final BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        drain = new Thread(() -> {
            try (in) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException closed) {
                // the process ended
            } finally {
                synchronized (output) {
                    ended = true;
                    output.notifyAll();
                }
            }
        }, name + "-output");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * @param name what failure messages call the process
     * @param environment its whole environment, or null for this JVM's
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> environment) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        return new ChildProcess(name, builder.start());
    }

    /** {@code java [Chronicle's flags] -Xmx512m -cp <this JVM's class path> mainClass args...}. */
    public static List<String> java(String mainClass, List<String> args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHRONICLE_FLAGS);
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }

    /** The first printed line {@code pattern} finds something in; fails the test when the process exits or the time is up first. */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        final Matcher[] found = new Matcher[1];
        awaitLine(line -> {
            final Matcher m = pattern.matcher(line);
            if (m.find()) {
                found[0] = m;
                return true;
            }
            return false;
        }, "/" + pattern + "/", timeout);
        return found[0];
    }

    /** The first printed line that {@code line} accepts; fails the test when the process exits or the time is up first. */
    public String awaitLine(Predicate<String> line, Duration timeout) throws InterruptedException {
        return awaitLine(line, "the line looked for", timeout);
    }

    private String awaitLine(Predicate<String> line, String what, Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        synchronized (output) {
            while (true) {
                for (; from < output.size(); from++) {
                    if (line.test(output.get(from))) {
                        return output.get(from);
                    }
                }
                if (ended) {
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(name + " ended (" + (process.isAlive() ? "still running" : "status " + process.exitValue())
                        + ") without printing " + what + "; it printed:\n" + String.join("\n", output));
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    process.destroyForcibly();
                    throw new AssertionError(name + " did not print " + what + " within " + timeout + "; it printed:\n"
                        + String.join("\n", output));
                }
                TimeUnit.NANOSECONDS.timedWait(output, left);
            }
        }
    }

    /** Once the process is gone its pipe ends: waits (bounded) for the last lines to be read. */
    public void joinDrain() throws InterruptedException {
        drain.join(10_000);
    }

    /**
     * SIGTERM, and nothing else. {@code Process.destroy()} would also close our ends of the
     * child's pipes, and the lines it prints while it stops would be lost.
     */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** SIGTERM to {@code pid} (this process, or the service it runs under a wrapper), then its exit status once it stopped. */
    public int stop(long pid, Duration timeout) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError(name + " did not stop within " + timeout + " of SIGTERM; it printed:\n"
                + String.join("\n", output));
        }
        joinDrain();
        return process.exitValue();
    }

    /** SIGTERM, the orderly stop; its exit status once it stopped. */
    public int stop(Duration timeout) throws InterruptedException {
        return stop(process.pid(), timeout);
    }

    /** SIGKILL: no shutdown hook, no flush, nothing tidy. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, and SIGKILL (to it and anything it started) if it has not stopped within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            sigterm();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                kill();
            }
        }
        joinDrain();
    }
}
