package io.sorthub.bench;

import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Parse, validate (unreachable-rule search included) and compile a whole plan, as a hot reload does. */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Benchmark)
public class SortPlanCompileBenchmark {
    @Param({"100000"})
    public int rules;
    private String text;

    @Setup
    public void setUp() {
        text = SortDecisionBenchmark.plan(rules);
    }

    @Benchmark
    public SortPlan compile() throws Exception {
        return new SortPlanCompiler().compile(text, 1);
    }
}
