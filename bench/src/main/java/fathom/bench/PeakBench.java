package fathom.bench;

import fathom.cpu.Fp32Peak;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The float32 FMA-throughput loop of {@link Fp32Peak}, the denominator of every fraction of peak.
 *
 * <p>One operation is one step of the loop, {@link Fp32Peak#flopsPerStep()} flops (192 with 256-bit
 * vectors: 12 chains x 8 lanes x 2), so GFLOP/s = score (ops/us) x 192 / 1000. {@code allThreads} runs
 * the loop on every available processor at once and JMH sums the threads' scores. Run:
 * {@code java -jar bench/target/benchmarks.jar PeakBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-OptoRegScheduling"})
public class PeakBench {
    private static final int STEPS = 1 << 16;

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(STEPS)
    public float oneThread() {
        return Fp32Peak.loop(STEPS, 1);
    }

    @Benchmark
    @Threads(Threads.MAX)
    @OperationsPerInvocation(STEPS)
    public float allThreads() {
        return Fp32Peak.loop(STEPS, 1);
    }
}
