package fathom.bench;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.LeNet;
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
 * The CNN issue's LeNet-5: conv5x5 1→6 pad 2, ReLU, maxpool 2, conv5x5 6→16, ReLU, maxpool 2,
 * fc 400-120-84-10; cross-entropy, SGD momentum 0.9, lr 0.05. {@code trainStep} is one optimizer step
 * on a batch of 128 random [1, 28, 28] images (samples/s = 128 / score in seconds); {@code inferBatch1}
 * is one eval-mode forward pass of one image without gradients. The same recipe as
 * {@code fathom bench lenet} and reference/bench_models_torch.py lenet. Run with
 * {@code java -jar bench/target/benchmarks.jar LenetBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:-OptoRegScheduling"})
@State(Scope.Thread)
public class LenetBench {
    private Sequential model;
    private Sgd optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Tensor x;
    private Tensor y;
    private Tensor x1;

    @Setup
    public void setup() {
        Rng rng = new Rng(0);
        model = LeNet.create(LeNet.Config.fashionMnist(), rng);
        optimizer = new Sgd(model.parameters(), new SgdConfig(0.05, 0.9));
        x = Tensors.rand(rng, 128, 1, 28, 28);
        y = Tensors.randint(rng, 0, 10, 128);
        x1 = Tensors.rand(rng, 1, 1, 28, 28);
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
