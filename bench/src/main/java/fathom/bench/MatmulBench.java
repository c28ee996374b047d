package fathom.bench;

import fathom.cpu.MatmulF32;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * Throughput of {@link MatmulF32#gemm} on square sizes and an MLP's training shapes, in calls per second.
 *
 * <p>A shape is {@code "m_k_n_transA_transB"} (underscores, since JMH splits {@code -p} values at
 * commas): {@code [m, k] · [k, n]}, where {@code transA = 1} reads A from a {@code [k, m]} array and
 * {@code transB = 1} reads B from an {@code [n, k]} array (the layouts of autograd's {@code X^T·dY} and
 * {@code dY·W^T}). To convert a score to GFLOP/s multiply it by {@code 2*m*k*n / 1e9}: for
 * {@code 1024_1024_1024_0_0} a score of 50 ops/s is {@code 50 * 2.147 = 107 GFLOP/s}.
 * {@code fathom.cpu.MatmulTiming} (cpu test sources) prints these and the GPT and LSTM shapes already converted, with the percent of peak.
 * Run: {@code java -jar bench/target/benchmarks.jar MatmulBench}; threads follow {@code FATHOM_THREADS}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-OptoRegScheduling"})
public class MatmulBench {
    @Param({"512_512_512_0_0", "1024_1024_1024_0_0", "2048_2048_2048_0_0",
        "128_784_512_0_0", "128_784_512_0_1", "128_512_256_0_0",
        "784_128_512_1_0", "128_512_784_0_1", "2048_128_384_0_1", "2048_512_128_0_1", "32_256_1024_0_1",
        "1_512_512_0_0"})
    public String shape;

    private int m;
    private int k;
    private int n;
    private int ars;
    private int acs;
    private int brs;
    private int bcs;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        String[] s = shape.split("_");
        m = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        boolean ta = s[3].equals("1");
        boolean tb = s[4].equals("1");
        ars = ta ? 1 : k;
        acs = ta ? m : 1;
        brs = tb ? 1 : n;
        bcs = tb ? k : 1;
        Random rng = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextFloat() - 0.5f;
        }
    }

    @Benchmark
    public float[] gemm() {
        MatmulF32.gemm(m, n, k, a, 0, ars, acs, b, 0, brs, bcs, c, 0, n, false);
        return c;
    }
}
