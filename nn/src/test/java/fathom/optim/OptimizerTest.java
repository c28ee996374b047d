package fathom.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Optimizer mechanics: resuming from a state dict, parameter groups, skipped parameters, argument checks. */
class OptimizerTest {
    private static List<Tensor> params() {
        return OptimizerReferenceTest.freshParams();
    }

    private static void train(Optimizer<?> opt, List<Tensor> p, int steps) {
        for (int s = 0; s < steps; s++) {
            OptimizerReferenceTest.trainStep(opt, p);
        }
    }

    @TestFactory
    Stream<DynamicTest> aResumedRunContinuesBitForBit(@TempDir Path dir) {
        return OptimizerReferenceTest.CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            var make = e.getValue().make();
            List<Tensor> p = params();
            Optimizer<?> opt = make.apply(p);
            train(opt, p, 7);
            // checkpoint through a safetensors file, as a training run would
            Path file = dir.resolve(e.getKey() + ".safetensors");
            Map<String, Tensor> ckpt = new LinkedHashMap<>(opt.stateDict());
            ckpt.put("model.W", p.get(0).detach().clone());
            ckpt.put("model.b", p.get(1).detach().clone());
            Safetensors.write(file, ckpt, Map.of());
            train(opt, p, 8);

            Map<String, Tensor> loaded = new LinkedHashMap<>(Safetensors.read(file).tensors());
            List<Tensor> q = List.of(loaded.remove("model.W").requiresGrad(true), loaded.remove("model.b").requiresGrad(true));
            Optimizer<?> resumed = make.apply(q);
            resumed.loadStateDict(loaded);
            train(resumed, q, 8);
            assertArrayEquals(p.get(0).toFloatArray(), q.get(0).toFloatArray());
            assertArrayEquals(p.get(1).toFloatArray(), q.get(1).toFloatArray());
        }));
    }

    @Test
    void stateDictNamesFollowPyTorch() {
        List<Tensor> p = params();
        Adam adam = new Adam(p, new AdamConfig(0.01, 0.9, 0.999, 1e-8, 0, true));
        train(adam, p, 3);
        Map<String, Tensor> s = adam.stateDict();
        assertEquals(List.of("param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2",
                "param_groups.0.eps", "param_groups.0.weight_decay", "param_groups.0.amsgrad",
                "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"), List.copyOf(s.keySet()));
        assertArrayEquals(new long[] {0, 1}, s.get("param_groups.0.params").toLongArray());
        assertEquals(3, s.get("state.1.step").toLongArray()[0]);
        assertEquals(DType.INT64, s.get("state.1.step").dtype());
        assertEquals(0.01, s.get("param_groups.0.lr").item());
        assertEquals(p.get(0).shape(), s.get("state.0.exp_avg").shape());
    }

    @Test
    void stateDictIsASnapshot() {
        List<Tensor> p = params();
        Sgd sgd = new Sgd(p, new SgdConfig(0.1, 0.9));
        train(sgd, p, 2);
        Map<String, Tensor> s = sgd.stateDict();
        float[] before = s.get("state.0.momentum_buffer").toFloatArray();
        train(sgd, p, 2);
        assertArrayEquals(before, s.get("state.0.momentum_buffer").toFloatArray());
    }

    @Test
    void loadingRestoresHyperParameters() {
        List<Tensor> p = params();
        Sgd a = new Sgd(p, new SgdConfig(0.1, 0.9));
        a.setLr(0.025);
        Sgd b = new Sgd(params(), new SgdConfig(0.5));
        b.loadStateDict(a.stateDict());
        assertEquals(new SgdConfig(0.025, 0.9), b.config(0));
    }

    @Test
    void mismatchedStateDictsAreRefusedWithoutChangingAnything() {
        List<Tensor> p = params();
        Adam adam = new Adam(p, 0.01);
        train(adam, p, 2);
        Map<String, Tensor> good = adam.stateDict();

        Adam other = new Adam(List.of(Tensors.zeros(4, 3).requiresGrad(true)), 0.01);
        assertEquals("parameter group 0 has 2 parameters in the state dict, 1 in this optimizer",
                assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(good)).getMessage());

        Adam grouped = new Adam(List.of(new ParamGroup<>(List.of(p.get(0)), AdamConfig.adam(0.1)),
                new ParamGroup<>(List.of(p.get(1)), AdamConfig.adam(0.1))));
        assertEquals("the state dict has 1 parameter groups, this optimizer 2",
                assertThrows(IllegalArgumentException.class, () -> grouped.loadStateDict(good)).getMessage());

        Adam transposed = new Adam(List.of(Tensors.zeros(3, 4).requiresGrad(true), Tensors.zeros(4).requiresGrad(true)), 0.5);
        assertEquals("state.0.exp_avg is FLOAT32 of shape [4, 3] but parameter 0 is FLOAT32 of shape [3, 4]",
                assertThrows(IllegalArgumentException.class, () -> transposed.loadStateDict(good)).getMessage());
        assertEquals(0.5, transposed.lr(0), "nothing changes when loading fails");

        Map<String, Tensor> extra = new LinkedHashMap<>(good);
        extra.put("state.0.momentum_buffer", Tensors.zeros(4, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(params(), 0.1).loadStateDict(extra))
                .getMessage().contains("state.0.momentum_buffer"));

        Map<String, Tensor> missing = new LinkedHashMap<>(good);
        missing.remove("state.1.exp_avg_sq");
        assertEquals("the state of parameter 1 lacks [exp_avg_sq]",
                assertThrows(IllegalArgumentException.class, () -> new Adam(params(), 0.1).loadStateDict(missing)).getMessage());

        Map<String, Tensor> badBeta = new LinkedHashMap<>(good);
        badBeta.put("param_groups.0.beta2", Tensors.scalar(1.0, DType.FLOAT64));
        assertEquals("parameter group 0 in the state dict: invalid beta2: 1.0 (must be in [0, 1))",
                assertThrows(IllegalArgumentException.class, () -> new Adam(params(), 0.1).loadStateDict(badBeta)).getMessage());

        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(), 0.1).loadStateDict(good));
    }

    @Test
    void groupsHaveTheirOwnLearningRates() {
        Tensor a = Tensors.of(new float[] {1, 2}).requiresGrad(true);
        Tensor b = Tensors.of(new float[] {1, 2}).requiresGrad(true);
        Sgd sgd = new Sgd(List.of(new ParamGroup<>(List.of(a), new SgdConfig(0.1)), new ParamGroup<>(List.of(b), new SgdConfig(0.01))));
        a.setGrad(Tensors.of(new float[] {1, 1}));
        b.setGrad(Tensors.of(new float[] {1, 1}));
        sgd.step();
        assertArrayEquals(new float[] {0.9f, 1.9f}, a.toFloatArray());
        assertArrayEquals(new float[] {0.99f, 1.99f}, b.toFloatArray());
        sgd.setLr(1, 1.0);
        sgd.step();
        assertEquals(0.1, sgd.lr(0));
        assertArrayEquals(new float[] {0.8f, 1.8f}, a.toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {-0.01f, 0.99f}, b.toFloatArray(), 1e-7f);
    }

    @Test
    void aParameterWithoutGradientIsSkipped() {
        List<Tensor> p = params();
        Tensor b0 = p.get(1).detach().clone();
        Adam adam = new Adam(p, 0.1);
        for (int s = 0; s < 3; s++) {
            adam.zeroGrad();
            OptimizerReferenceTest.loss(p.get(0), p.get(1).detach()).backward();
            assertNull(p.get(1).grad());
            adam.step();
        }
        assertArrayEquals(b0.toFloatArray(), p.get(1).toFloatArray());
        assertFalse(adam.stateDict().containsKey("state.1.step"));
        assertEquals(3, adam.stateDict().get("state.0.step").toLongArray()[0]);
    }

    @Test
    void zeroGradSetsGradientsToNull() {
        List<Tensor> p = params();
        Sgd sgd = new Sgd(p, 0.1);
        OptimizerReferenceTest.loss(p.get(0), p.get(1)).backward();
        sgd.zeroGrad();
        assertNull(p.get(0).grad());
        assertNull(p.get(1).grad());
    }

    @Test
    void zeroGradInPlaceKeepsZeroedGradientsThatStillCountForTheStep() {
        List<Tensor> p = params();
        Sgd sgd = new Sgd(p, new SgdConfig(0.1, 0.9));
        OptimizerReferenceTest.loss(p.get(0), p.get(1)).backward();
        sgd.step();
        Tensor kept = p.get(0).grad();
        sgd.zeroGrad(false);
        assertSame(kept, p.get(0).grad());
        assertEquals(0, kept.abs().sum().item());
        float[] before = p.get(0).toFloatArray();
        sgd.step();
        assertFalse(java.util.Arrays.equals(before, p.get(0).toFloatArray()), "a zero gradient is still a gradient: momentum moves the parameter");
    }

    @Test
    void stepDoesNotRecordAutogradHistory() {
        List<Tensor> p = params();
        Sgd sgd = new Sgd(p, new SgdConfig(0.1, 0.9, 0, 0, true));
        OptimizerReferenceTest.trainStep(sgd, p);
        assertTrue(p.get(0).isLeaf());
        assertTrue(p.get(0).requiresGrad());
    }

    @Test
    void invalidParametersAreRefused() {
        Tensor w = Tensors.zeros(2).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(w, w), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(w.mul(2)), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(Tensors.zeros(Tensors.zeros(2).shape(), DType.INT64)), 0.1));
    }

    @Test
    void invalidHyperParametersAreRefused() {
        assertEquals("invalid lr: -0.1 (must be finite and ≥ 0)",
                assertThrows(IllegalArgumentException.class, () -> new SgdConfig(-0.1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1, -0.9));
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1, 0.9, 0.1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.adam(0.1).withBetas(1.0, 0.999));
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.adam(0.1).withBetas(0.9, -0.1));
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.adam(0.1).withEps(-1e-8));
        assertThrows(IllegalArgumentException.class, () -> AdamConfig.adamW(0.1).withWeightDecay(-0.01));
        assertThrows(IllegalArgumentException.class, () -> new RmsPropConfig(0.01, 1.5, 1e-8, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RmsPropConfig(0.01).withMomentum(-1));
        assertThrows(IllegalArgumentException.class, () -> new AdagradConfig(0.01, -0.1, 0, 0, 1e-10));
        assertThrows(IllegalArgumentException.class, () -> new AdagradConfig(0.01, 0, 0, -1, 1e-10));
        Sgd sgd = new Sgd(params(), 0.1);
        assertThrows(IllegalArgumentException.class, () -> sgd.setLr(0, -1));
        assertEquals(0.1, sgd.lr(0));
    }

    @Test
    void defaultsAreTorchDefaults() {
        assertEquals(new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0, false), AdamConfig.adam(1e-3));
        assertEquals(new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0.01, false), AdamConfig.adamW(1e-3));
        assertEquals(new RmsPropConfig(1e-2, 0.99, 1e-8, 0, 0, false), new RmsPropConfig(1e-2));
        assertEquals(new AdagradConfig(1e-2, 0, 0, 0, 1e-10), new AdagradConfig(1e-2));
        assertEquals(new SgdConfig(0.1, 0, 0, 0, false), new SgdConfig(0.1));
    }

    @Test
    void hyperParametersRoundTrip() {
        for (OptimizerConfig<?> c : List.of(new SgdConfig(0.1, 0.9, 0, 0.01, true),
                new AdamConfig(0.1, 0.8, 0.9, 1e-6, 0.1, true), new RmsPropConfig(0.1, 0.9, 1e-6, 0.1, 0.5, true),
                new AdagradConfig(0.1, 0.01, 0.1, 0.2, 1e-8))) {
            assertEquals(c, c.withHyperParameters(c.hyperParameters()));
        }
        assertEquals("missing hyper-parameter 'nesterov'", assertThrows(IllegalArgumentException.class,
                () -> new SgdConfig(0.1).withHyperParameters(Map.of("lr", 0.1, "momentum", 0.0, "dampening", 0.0,
                        "weight_decay", 0.0))).getMessage());
    }
}
