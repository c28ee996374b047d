package fathom.bench;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.Gpt;
import fathom.models.KvCache;
import fathom.nn.CrossEntropyLoss;
import fathom.optim.AdamW;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sequence-model issue's GPT ({@link Gpt.Config#small}: vocabulary 65, context 64, 4 layers, width
 * 128, 4 heads, MLP 512): {@code trainStep} is one AdamW step (lr 3e-4) on a batch of 32 × 64 tokens
 * (tokens/s = 2048 / score in seconds), the recipe of reference/bench_gpt_torch.py; {@code decodeToken}
 * is one cached generation step of a batch of one after a 32-token prompt (the cache is rolled back after
 * each step, so every call attends to the same 32 cached positions).
 * Run with {@code java -jar bench/target/benchmarks.jar GptBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-OptoRegScheduling"})
@State(Scope.Thread)
public class GptBench {
    private Gpt gpt;
    private AdamW optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Tensor x;
    private Tensor y;
    private Gpt decoder;
    private KvCache cache;
    private Tensor token;

    @Setup
    public void setup() {
        Rng rng = new Rng(0);
        gpt = new Gpt(Gpt.Config.small(65), rng);
        optimizer = new AdamW(gpt.parameters(), 3e-4);
        Tensor data = Tensors.randint(rng, 0, 65, 32, 65);
        x = data.narrow(1, 0, 64).contiguous();
        y = data.narrow(1, 1, 64).contiguous();
        decoder = new Gpt(Gpt.Config.small(65), rng);
        decoder.eval();
        cache = decoder.newCache(1);
        decoder.forward(Tensors.randint(rng, 0, 65, 1, 32), cache);
        token = Tensors.randint(rng, 0, 65, 1, 1);
    }

    @Benchmark
    public void trainStep() {
        optimizer.zeroGrad(false);
        loss.apply(gpt.call(x).reshape(-1, 65), y.reshape(-1)).backward();
        optimizer.step();
    }

    @Benchmark
    public Tensor decodeToken() {
        Tensor logits = decoder.forward(token, cache);
        cache.truncate(32);
        return logits;
    }
}
