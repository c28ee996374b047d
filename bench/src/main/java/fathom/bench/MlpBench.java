package fathom.bench;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.Mlp;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Sequential;
import fathom.optim.Sgd;
import fathom.optim.SgdConfig;
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
 * The training issue's MLP: 784-512-256-10, ReLU, cross-entropy, SGD momentum 0.9, lr 0.05. {@code trainStep}
 * is one optimizer step on a batch of 128 (samples/s = 128 / score in seconds); {@code inferBatch1}
 * is one eval-mode forward pass of one sample without gradients. The same recipe as
 * {@code fathom bench mlp} and reference/bench_mlp_torch.py. Run with
 * {@code java -jar bench/target/benchmarks.jar MlpBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-OptoRegScheduling"})
@State(Scope.Thread)
public class MlpBench {
    private Sequential model;
    private Sgd optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Tensor x;
    private Tensor y;
    private Tensor x1;

    @Setup
    public void setup() {
        Rng rng = new Rng(0);
        model = Mlp.create(Mlp.Config.fashionMnist(), rng);
        optimizer = new Sgd(model.parameters(), new SgdConfig(0.05, 0.9));
        x = Tensors.rand(rng, 128, 784);
        y = Tensors.randint(rng, 0, 10, 128);
        x1 = Tensors.rand(rng, 1, 784);
    }

    @Benchmark
    public void trainStep() {
        model.train();
        optimizer.zeroGrad(false);
        loss.apply(model.call(x), y).backward();
        optimizer.step();
    }

    @Benchmark
    public Tensor inferBatch1() {
        model.eval();
        try (var _ = Autograd.noGrad()) {
            return model.call(x1);
        }
    }
}
