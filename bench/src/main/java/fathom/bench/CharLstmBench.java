package fathom.bench;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.CharLstm;
import fathom.nn.CrossEntropyLoss;
import fathom.optim.Adam;
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
 * The sequence-models issue's char-LSTM: Embedding(V, 64), one LSTM layer of 256, Linear(256, V),
 * cross-entropy over every position, Adam lr 2e-3; batch 32, sequence 64. {@code trainStep} is one
 * optimizer step on random tokens (tokens/s = 2048 / score in seconds), the recipe of
 * reference/bench_char_lstm_torch.py. Run with {@code java -jar bench/target/benchmarks.jar CharLstmBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-OptoRegScheduling"})
@State(Scope.Thread)
public class CharLstmBench {
    private static final int BATCH = 32;
    private static final int STEPS = 64;

    @Param("96")
    public int vocab;

    private CharLstm model;
    private Adam optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Tensor x;
    private Tensor y;

    @Setup
    public void setup() {
        Rng rng = new Rng(0);
        model = new CharLstm(CharLstm.Config.standard(vocab), rng);
        optimizer = new Adam(model.parameters(), 2e-3);
        x = Tensors.randint(rng, 0, vocab, BATCH, STEPS);
        y = Tensors.randint(rng, 0, vocab, BATCH, STEPS).reshape(-1);
    }

    @Benchmark
    public void trainStep() {
        optimizer.zeroGrad(false);
        loss.apply(model.call(x).reshape(-1, vocab), y).backward();
        optimizer.step();
    }
}
