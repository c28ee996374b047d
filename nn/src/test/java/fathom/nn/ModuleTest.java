package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration, naming, modes, state dicts, files, hooks and the summary table of {@link Module}. */
class ModuleTest {
    /** A module written the way users write one: fields assigned from parameter/buffer/child in the constructor. */
    static final class Net extends Module {
        final Tensor scale;
        final Tensor steps;
        final Linear fc1;
        final BatchNorm1d norm;
        final Linear fc2;

        Net(Rng rng) {
            scale = parameter("scale", Tensors.ones(1));
            steps = buffer("steps", Tensors.zeros(Shape.scalar(), DType.INT64));
            buffer("scratch", Tensors.zeros(3), false);
            fc1 = child("fc1", new Linear(4, 3, true, rng));
            norm = child("norm", new BatchNorm1d(3));
            fc2 = child("fc2", new Linear(3, 2, false, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.call(norm.call(fc1.call(x).relu())).mul(scale);
        }
    }

    @Test
    void namesAreDottedAndInPyTorchOrder() {
        Net net = new Net(new Rng(1));
        assertEquals(List.of("scale", "fc1.weight", "fc1.bias", "norm.weight", "norm.bias", "fc2.weight"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("scale", "steps", "fc1.weight", "fc1.bias", "norm.weight", "norm.bias", "norm.running_mean",
                "norm.running_var", "norm.num_batches_tracked", "fc2.weight"), List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("steps", "scratch", "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"),
                List.copyOf(net.namedBuffers().keySet()));
        assertEquals(List.of("fc1", "norm", "fc2"), List.copyOf(net.namedChildren().keySet()));
        assertEquals(List.of("", "fc1", "norm", "fc2"), List.copyOf(net.namedModules().keySet()));
        assertSame(net.fc1.weight, net.namedParameters().get("fc1.weight"));
        assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
        assertFalse(net.buffers().stream().anyMatch(Tensor::requiresGrad));
        assertEquals(1 + 12 + 3 + 3 + 3 + 6, net.parameterCount());
    }

    @Test
    void stateDictSharesStorageButNotGradHistory() {
        Net net = new Net(new Rng(2));
        Tensor w = net.stateDict().get("fc1.weight");
        assertFalse(w.requiresGrad());
        assertSame(net.fc1.weight.storage(), w.storage());
    }

    @Test
    void sharedModulesAreCountedOnceButSavedUnderEachName() {
        Linear shared = new Linear(2, 2, true, new Rng(3));
        Sequential s = new Sequential(shared, new Relu(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(6, s.parameterCount());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.stateDict().keySet()));
    }

    @Test
    void registrationRejectsDuplicateAndDottedNames() {
        class Bad extends Module {
            Bad(String second) {
                parameter("w", Tensors.zeros(2));
                buffer(second, Tensors.zeros(2));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Bad("w")).getMessage().contains("\"w\""));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b"));
        assertThrows(IllegalArgumentException.class, () -> new Bad(""));
    }

    @Test
    void trainAndEvalAreRecursiveAndApplyVisitsChildrenFirst() {
        Net net = new Net(new Rng(4));
        assertTrue(net.isTraining() && net.norm.isTraining());
        assertSame(net, net.eval());
        assertFalse(net.isTraining() || net.fc1.isTraining() || net.norm.isTraining());
        net.train();
        assertTrue(net.fc2.isTraining());
        List<String> order = new ArrayList<>();
        net.apply(m -> order.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "BatchNorm1d", "Linear", "Net"), order);
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Net net = new Net(new Rng(5));
        net.call(Tensors.randn(new Rng(6), 5, 4)).sum().backward();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void loadStateDictCopiesInPlace() {
        Net a = new Net(new Rng(7));
        Net b = new Net(new Rng(8));
        Tensor before = b.fc1.weight;
        assertFalse(java.util.Arrays.equals(a.fc1.weight.toFloatArray(), b.fc1.weight.toFloatArray()));
        Module.LoadResult r = b.loadStateDict(a.stateDict(), true);
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        assertSame(before, b.fc1.weight);
        assertArrayEquals(a.fc1.weight.toFloatArray(), b.fc1.weight.toFloatArray());
        assertTrue(b.fc1.weight.requiresGrad());
    }

    @Test
    void loadStateDictErrorsNameEveryProblemAndChangeNothing() {
        Net net = new Net(new Rng(9));
        float[] original = net.fc1.weight.toFloatArray();
        Map<String, Tensor> state = new HashMap<>(net.stateDict());
        state.remove("fc2.weight");
        state.put("fc3.weight", Tensors.zeros(2, 3));
        state.put("fc1.weight", Tensors.zeros(4, 3));
        state.put("norm.num_batches_tracked", Tensors.zeros(Shape.scalar(), DType.FLOAT32));
        state.put("fc1.bias", Tensors.ones(3));
        String msg = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, true)).getMessage();
        assertTrue(msg.contains("missing keys: [fc2.weight]"), msg);
        assertTrue(msg.contains("unexpected keys: [fc3.weight]"), msg);
        assertTrue(msg.contains("fc1.weight") && msg.contains("[4, 3]") && msg.contains("[3, 4]"), msg);
        assertTrue(msg.contains("norm.num_batches_tracked") && msg.contains("FLOAT32") && msg.contains("INT64"), msg);
        assertArrayEquals(original, net.fc1.weight.toFloatArray());
        assertArrayEquals(net.fc1.bias.toFloatArray(), new Net(new Rng(9)).fc1.bias.toFloatArray(), "nothing is copied on failure");

        // non-strict: missing and unexpected keys are reported, the rest loads; shape errors still throw
        Map<String, Tensor> partial = new HashMap<>();
        partial.put("fc1.bias", Tensors.ones(3));
        partial.put("extra", Tensors.ones(1));
        Module.LoadResult r = net.loadStateDict(partial, false);
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertTrue(r.missingKeys().contains("fc2.weight") && !r.missingKeys().contains("fc1.bias"));
        assertArrayEquals(new float[] {1, 1, 1}, net.fc1.bias.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(Map.of("fc1.bias", Tensors.ones(4)), false));
    }

    @Test
    void saveAndLoadRoundTripThroughSafetensors(@TempDir Path dir) throws IOException {
        Net a = new Net(new Rng(10));
        a.call(Tensors.randn(new Rng(11), 6, 4)); // moves the running statistics and num_batches_tracked
        Path file = dir.resolve("net.safetensors");
        a.save(file);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        Net b = new Net(new Rng(12));
        b.load(file);
        for (var e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), b.stateDict().get(e.getKey()).toDoubleArray(), e.getKey());
        }
        assertEquals(1, b.norm.numBatchesTracked.item());
        assertEquals(DType.INT64, fathom.io.Safetensors.read(file).tensors().get("norm.num_batches_tracked").dtype());
        assertThrows(IllegalArgumentException.class, () -> new Linear(4, 3, false, new Rng(1)).load(file));
    }

    @Test
    void forwardHooksRunOnCallUntilRemoved() {
        Linear fc = new Linear(3, 2, true, new Rng(13));
        List<Shape> seen = new ArrayList<>();
        Module.HookHandle h = fc.registerForwardHook((m, in, out) -> seen.add(out.shape()));
        fc.call(Tensors.zeros(5, 3));
        fc.forward(Tensors.zeros(6, 3)); // forward itself skips hooks, as in PyTorch
        h.close();
        fc.call(Tensors.zeros(7, 3));
        assertEquals(List.of(Shape.of(5, 2)), seen);
    }

    @Test
    void summaryListsShapesAndCountsWithoutSideEffects() {
        Rng rng = new Rng(14);
        Sequential model = new Sequential(new Linear(784, 32, true, rng), new BatchNorm1d(32), new Relu(),
                new Sequential(new Linear(32, 10, true, rng), new LogSoftmax(1)));
        String s = model.summary(Shape.of(1, 784));
        assertTrue(s.contains("Linear") && s.contains("BatchNorm1d") && s.contains("LogSoftmax"), s);
        assertTrue(s.contains("[1, 32]") && s.contains("[1, 10]"), s);
        assertTrue(s.contains("25,120") && s.contains("  3.0"), s);
        long total = 784 * 32 + 32 + 64 + 32 * 10 + 10;
        assertTrue(s.contains(String.format("Total params: %,d", total)), s);
        assertTrue(s.contains("Input shape: [1, 784]") && s.contains("Output shape: [1, 10]"), s);
        // eval mode during the pass (batch 1 is fine), no running-statistics update, flags restored
        BatchNorm1d bn = (BatchNorm1d) model.get(1);
        assertEquals(0, bn.numBatchesTracked.item());
        assertTrue(model.isTraining() && bn.isTraining());
        model.get(3).eval();
        model.summary(Shape.of(2, 784));
        assertFalse(model.get(3).isTraining());
        assertTrue(model.get(0).isTraining());
    }

    @Test
    void containersNameChildrenLikePyTorch() {
        Rng rng = new Rng(15);
        Sequential seq = new Sequential(new Linear(2, 3, true, rng), new Tanh()).append(new Linear(3, 1, false, rng));
        assertEquals(3, seq.size());
        assertSame(seq.get(2), seq.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> seq.get(3));
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(seq.stateDict().keySet()));

        ModuleList blocks = new ModuleList(new Linear(2, 2, true, rng), new Linear(2, 2, false, rng));
        ModuleDict heads = new ModuleDict().put("policy", new Linear(2, 4, true, rng)).put("value", new Linear(2, 1, true, rng));
        class Model extends Module {
            Model() {
                child("blocks", blocks);
                child("heads", heads);
            }

            @Override
            public Tensor forward(Tensor x) {
                for (Module b : blocks) {
                    x = b.call(x);
                }
                return heads.get("value").call(x);
            }
        }
        Model m = new Model();
        assertEquals(List.of("blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "heads.policy.weight", "heads.policy.bias",
                "heads.value.weight", "heads.value.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(Shape.of(5, 1), m.call(Tensors.zeros(5, 2)).shape());
        assertThrows(UnsupportedOperationException.class, () -> blocks.forward(Tensors.zeros(1, 2)));
        String msg = assertThrows(IllegalArgumentException.class, () -> heads.get("critic")).getMessage();
        assertTrue(msg.contains("policy") && msg.contains("value"), msg);
        assertNull(m.namedChildren().get("missing"));
    }
}
