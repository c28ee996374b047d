package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.io.Safetensors;
import fathom.testing.Conformance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Losses, activations, layers and a small MLP match PyTorch 1.13 on the committed float64 fixtures
 * ({@code reference/make_nn_fixtures.py}): outputs, input and parameter gradients, running statistics,
 * and state-dict keys. Each loss's options are read from the torch expression stored in the metadata,
 * so the Java configuration cannot drift from what PyTorch computed.
 */
class NnReferenceTest {
    private static final double TOL = 1e-9;
    private static Map<String, Tensor> t;
    private static Map<String, String> meta;

    @BeforeAll
    static void load() throws IOException {
        Safetensors.Contents c = FixtureChecks.load("nn.safetensors");
        t = c.tensors();
        meta = c.metadata();
    }

    static void assertClose(String what, Tensor got, Tensor want) {
        assertNotNull(got, what + ": missing (no gradient reached it?)");
        String p = Conformance.differ(got.detach(), want, TOL);
        if (p != null) {
            throw new AssertionError(what + " " + p);
        }
    }

    private Tensor get(String key) {
        Tensor v = t.get(key);
        assertNotNull(v, "fixture has no tensor " + key);
        return v;
    }

    // ---- losses ----

    @TestFactory
    Stream<DynamicTest> losses() {
        List<String> cases = meta.keySet().stream().filter(k -> k.startsWith("loss.")).toList();
        assertTrue(cases.size() >= 78, "expected the loss cases, got " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c + ": " + meta.get(c), () -> checkLoss(c)));
    }

    private void checkLoss(String c) {
        Loss loss = lossFor(meta.get(c), t.get(c + ".weight"), t.get(c + ".pos_weight"));
        Tensor x = get(c + ".input").detach().requiresGrad(true);
        Tensor out = loss.apply(x, get(c + ".target"));
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " input gradient", x.grad(), get(c + ".grad_input"));
    }

    private static Loss lossFor(String expr, Tensor weight, Tensor posWeight) {
        String red = string(expr, "reduction", "mean");
        Reduction r = red.equals("batchmean") ? null : Reduction.valueOf(red.toUpperCase());
        String type = expr.substring(3, expr.indexOf('('));
        return switch (type) {
            case "MSELoss" -> new MseLoss(r);
            case "L1Loss" -> new L1Loss(r);
            case "SmoothL1Loss" -> new SmoothL1Loss(r, number(expr, "beta", 1));
            case "HuberLoss" -> new HuberLoss(r, number(expr, "delta", 1));
            case "CrossEntropyLoss" -> new CrossEntropyLoss(weight, (int) number(expr, "ignore_index", -100), r,
                    number(expr, "label_smoothing", 0));
            case "NLLLoss" -> new NllLoss(weight, (int) number(expr, "ignore_index", -100), r);
            case "BCELoss" -> new BceLoss(weight, r);
            case "BCEWithLogitsLoss" -> new BceWithLogitsLoss(weight, r, posWeight);
            case "KLDivLoss" -> new KlDivLoss(KlDivLoss.KlReduction.valueOf(red.toUpperCase()), expr.contains("log_target=True"));
            default -> throw new AssertionError("no Java loss for " + expr);
        };
    }

    private static String string(String expr, String key, String dflt) {
        Matcher m = Pattern.compile(key + "='([a-z]+)'").matcher(expr);
        return m.find() ? m.group(1) : dflt;
    }

    private static double number(String expr, String key, double dflt) {
        Matcher m = Pattern.compile(key + "=(-?[0-9.e-]+)").matcher(expr);
        return m.find() ? Double.parseDouble(m.group(1)) : dflt;
    }

    // ---- activations ----

    @TestFactory
    Stream<DynamicTest> activations() {
        Map<String, Module> modules = new LinkedHashMap<>();
        modules.put("relu", new Relu());
        modules.put("leaky_relu", new LeakyRelu(0.2));
        modules.put("elu", new Elu(0.5));
        modules.put("gelu", new Gelu());
        modules.put("gelu_tanh", new Gelu(Gelu.Approximate.TANH));
        modules.put("silu", new Silu());
        modules.put("sigmoid", new Sigmoid());
        modules.put("tanh", new Tanh());
        modules.put("softmax", new Softmax(1));
        modules.put("log_softmax", new LogSoftmax(0));
        modules.put("softplus", new Softplus());
        modules.put("softplus_beta2_threshold5", new Softplus(2, 5));
        assertEquals(modules.keySet().stream().map(k -> "act." + k).sorted().toList(),
                meta.keySet().stream().filter(k -> k.startsWith("act.")).sorted().toList());
        return modules.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + ": " + meta.get("act." + e.getKey()), () -> {
            String c = "act." + e.getKey();
            Tensor x = get(c + ".input").detach().requiresGrad(true);
            Tensor out = e.getValue().call(x);
            assertClose(c + " output", out, get(c + ".out"));
            out.backward(get(c + ".gout"));
            assertClose(c + " input gradient", x.grad(), get(c + ".grad_input"));
        }));
    }

    // ---- layers ----

    /** The case's state-dict tensors: every tensor of the case that is not an input, output or gradient. */
    private Map<String, Tensor> stateOf(String c) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (var e : t.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(c + ".")) {
                String rest = k.substring(c.length() + 1);
                if (!List.of("input", "gout", "out", "grad_input").contains(rest) && !rest.startsWith("grad.")) {
                    sd.put(rest, e.getValue());
                }
            }
        }
        return sd;
    }

    private void checkLayer(String c, Module m) {
        m.loadStateDict(stateOf(c), true); // strict: the keys are exactly PyTorch's
        Tensor x = get(c + ".input").detach().requiresGrad(true);
        Tensor out = m.call(x);
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " input gradient", x.grad(), get(c + ".grad_input"));
        for (var p : m.namedParameters().entrySet()) {
            assertClose(c + " gradient of " + p.getKey(), p.getValue().grad(), get(c + ".grad." + p.getKey()));
        }
    }

    @Test
    void linear() {
        checkLayer("linear", new Linear(3, 5, true, DType.FLOAT64, new Rng(1)));
        checkLayer("linear_3d", new Linear(3, 5, true, DType.FLOAT64, new Rng(2)));
        checkLayer("linear_nobias", new Linear(4, 2, false, DType.FLOAT64, new Rng(3)));
    }

    @Test
    void layerNorm() {
        checkLayer("layer_norm", new LayerNorm(new int[] {4}, 1e-5, true, DType.FLOAT64));
        checkLayer("layer_norm_2d", new LayerNorm(new int[] {3, 4}, 1e-3, true, DType.FLOAT64));
        checkLayer("layer_norm_noaffine", new LayerNorm(new int[] {5}, 1e-5, false, DType.FLOAT64));
    }

    @Test
    void batchNorm() {
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm_2d", new BatchNorm1d(3, 1e-5, 0.1, true, true, DType.FLOAT64), NnReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm_3d", new BatchNorm1d(3, 1e-3, 0.3, true, true, DType.FLOAT64), NnReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm_noaffine", new BatchNorm1d(4, 1e-5, 0.1, false, true, DType.FLOAT64), NnReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm_no_running_stats", new BatchNorm1d(3, 1e-5, 0.1, true, false, DType.FLOAT64), NnReferenceTest::assertClose);
    }

    @Test
    void embeddingPaddingRowGetsNoGradient() {
        Embedding emb = new Embedding(6, 4, 1, DType.FLOAT64, new Rng(4));
        emb.loadStateDict(Map.of("weight", get("embedding.weight")), true);
        Tensor out = emb.call(get("embedding.indices"));
        assertClose("embedding output", out, get("embedding.out"));
        out.backward(get("embedding.gout"));
        assertClose("embedding weight gradient", emb.weight.grad(), get("embedding.grad.weight"));
        assertArrayEquals(new double[4], emb.weight.grad().select(0, 1).toDoubleArray());
    }

    @Test
    void dropoutInEvalIsIdentity() {
        Dropout d = new Dropout(0.5, new Rng(5));
        d.eval();
        assertClose("dropout eval", d.call(get("dropout_eval.input")), get("dropout_eval.out"));
    }

    // ---- a small network ----

    @Test
    void mlpForwardBackwardAndKeys() {
        Rng rng = new Rng(6);
        Sequential mlp = new Sequential(new Linear(64, 32, true, DType.FLOAT64, rng), new Relu(),
                new Linear(32, 10, true, DType.FLOAT64, rng));
        assertEquals(FixtureChecks.jsonList(meta.get("keys.mlp")), List.copyOf(mlp.stateDict().keySet()));
        mlp.loadStateDict(FixtureChecks.prefixed(t, "mlp.sd."), true);
        Tensor logits = mlp.call(get("mlp.input"));
        assertClose("mlp logits", logits, get("mlp.logits"));
        Tensor loss = new CrossEntropyLoss().apply(logits, get("mlp.target"));
        assertClose("mlp loss", loss, get("mlp.loss"));
        loss.backward();
        List<String> names = new ArrayList<>();
        for (var p : mlp.namedParameters().entrySet()) {
            names.add(p.getKey());
            assertClose("mlp gradient of " + p.getKey(), p.getValue().grad(), get("mlp.grad." + p.getKey()));
        }
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), names);
    }

    @Test
    void stateDictKeysEqualPyTorchs() {
        Rng rng = new Rng(7);
        Sequential big = new Sequential(new Linear(784, 512, true, rng), new Relu(), new Linear(512, 256, true, rng), new Relu(),
                new Linear(256, 10, true, rng));
        assertEquals(FixtureChecks.jsonList(meta.get("keys.mlp_784_512_256_10")), List.copyOf(big.stateDict().keySet()));
        Sequential mixed = new Sequential(new Linear(8, 6, true, rng), new BatchNorm1d(6), new Relu(), new Dropout(0.1, rng),
                new LayerNorm(6), new Sequential(new Linear(6, 4, true, rng), new Tanh()), new Embedding(3, 2, null, rng));
        assertEquals(FixtureChecks.jsonList(meta.get("keys.mixed")), List.copyOf(mixed.stateDict().keySet()));
        assertEquals(DType.INT64, mixed.stateDict().get("1.num_batches_tracked").dtype());
        assertEquals(0, mixed.stateDict().get("1.num_batches_tracked").dim());
    }

}
