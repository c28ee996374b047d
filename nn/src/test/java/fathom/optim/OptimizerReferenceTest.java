package fathom.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fathom.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Twenty float32 training steps of each optimizer match PyTorch 1.13 on the committed fixture: the
 * parameters after every step agree to {@value #RTOL} relative (plus {@value #ATOL} absolute near zero).
 */
class OptimizerReferenceTest {
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-6;

    /** A case: the torch constructor the fixture ran, and the same optimizer in Fathom over [W, b]. */
    record Case(String torch, Function<List<Tensor>, Optimizer<?>> make) {}

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    private static void add(String name, String torch, Function<List<Tensor>, Optimizer<?>> make) {
        CASES.put(name, new Case(torch, make));
    }

    static {
        add("sgd_plain", "torch.optim.SGD(params, lr=0.05)", p -> new Sgd(p, 0.05));
        add("sgd_momentum", "torch.optim.SGD(params, lr=0.05, momentum=0.9)", p -> new Sgd(p, new SgdConfig(0.05, 0.9)));
        add("sgd_nesterov", "torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True)",
                p -> new Sgd(p, new SgdConfig(0.05, 0.9, 0, 0, true)));
        add("sgd_weight_decay", "torch.optim.SGD(params, lr=0.05, momentum=0.5, weight_decay=0.1)",
                p -> new Sgd(p, new SgdConfig(0.05, 0.5, 0, 0.1, false)));
        add("sgd_dampening", "torch.optim.SGD(params, lr=0.05, momentum=0.9, dampening=0.5)",
                p -> new Sgd(p, new SgdConfig(0.05, 0.9, 0.5, 0, false)));
        add("adam", "torch.optim.Adam(params, lr=0.01)", p -> new Adam(p, 0.01));
        add("adam_amsgrad", "torch.optim.Adam(params, lr=0.02, betas=(0.8, 0.99), amsgrad=True)",
                p -> new Adam(p, new AdamConfig(0.02, 0.8, 0.99, 1e-8, 0, true)));
        add("adam_weight_decay", "torch.optim.Adam(params, lr=0.01, weight_decay=0.1)",
                p -> new Adam(p, AdamConfig.adam(0.01).withWeightDecay(0.1)));
        add("adamw", "torch.optim.AdamW(params, lr=0.01, weight_decay=0.1)",
                p -> new AdamW(p, AdamConfig.adamW(0.01).withWeightDecay(0.1)));
        add("adamw_amsgrad", "torch.optim.AdamW(params, lr=0.01, eps=1e-6, amsgrad=True)",
                p -> new AdamW(p, AdamConfig.adamW(0.01).withEps(1e-6).withAmsgrad(true)));
        add("rmsprop", "torch.optim.RMSprop(params, lr=0.01)", p -> new RmsProp(p, 0.01));
        add("rmsprop_centered_momentum",
                "torch.optim.RMSprop(params, lr=0.01, alpha=0.9, momentum=0.9, centered=True)",
                p -> new RmsProp(p, new RmsPropConfig(0.01, 0.9, 1e-8, 0, 0.9, true)));
        add("rmsprop_weight_decay", "torch.optim.RMSprop(params, lr=0.005, weight_decay=0.1, momentum=0.5)",
                p -> new RmsProp(p, new RmsPropConfig(0.005).withWeightDecay(0.1).withMomentum(0.5)));
        add("adagrad", "torch.optim.Adagrad(params, lr=0.1, lr_decay=0.01)",
                p -> new Adagrad(p, new AdagradConfig(0.1, 0.01, 0, 0, 1e-10)));
        add("adagrad_init_weight_decay",
                "torch.optim.Adagrad(params, lr=0.1, weight_decay=0.05, initial_accumulator_value=0.1, eps=1e-8)",
                p -> new Adagrad(p, new AdagradConfig(0.1, 0, 0.05, 0.1, 1e-8)));
        // groups: W with the constructor's defaults, b with lr 0.05 and weight decay 0.1
        add("adam_groups", "torch.optim.Adam(groups, lr=0.01)", p -> new Adam(List.of(
                new ParamGroup<>(List.of(p.get(0)), AdamConfig.adam(0.01)),
                new ParamGroup<>(List.of(p.get(1)), AdamConfig.adam(0.05).withWeightDecay(0.1)))));
        add("sgd_groups", "torch.optim.SGD(groups, lr=0.05, momentum=0.9)", p -> new Sgd(List.of(
                new ParamGroup<>(List.of(p.get(0)), new SgdConfig(0.05, 0.9)),
                new ParamGroup<>(List.of(p.get(1)), new SgdConfig(0.05, 0.9, 0, 0.1, false)))));
    }

    static Map<String, Tensor> t() {
        return Fixtures.optim().tensors();
    }

    /** loss = ((x @ W.T + b - y)²).mean(), as the fixture's metadata "loss" says. */
    static Tensor loss(Tensor w, Tensor b) {
        return t().get("model.x").matmul(w.t()).add(b).sub(t().get("model.y")).square().mean();
    }

    static List<Tensor> freshParams() {
        return List.of(t().get("model.W0").clone().requiresGrad(true), t().get("model.b0").clone().requiresGrad(true));
    }

    /** One training step: zero the gradients, back-propagate the loss, update; returns the loss. */
    static float trainStep(Optimizer<?> opt, List<Tensor> p) {
        opt.zeroGrad();
        Tensor l = loss(p.get(0), p.get(1));
        l.backward();
        opt.step();
        return (float) l.item();
    }

    @Test
    void everyFixtureCaseIsRunAndDescribedAlike() {
        Map<String, String> meta = Fixtures.optim().metadata();
        assertEquals("((x @ W.T + b - y) ** 2).mean()", meta.get("loss"));
        List<String> inFixture = new ArrayList<>();
        for (String k : meta.keySet()) {
            if (!k.equals("torch_version") && !k.equals("loss") && !k.startsWith("sched_") && !k.startsWith("clip_")) {
                inFixture.add(k);
            }
        }
        assertEquals(List.copyOf(CASES.keySet()), inFixture);
        CASES.forEach((name, c) -> assertEquals(c.torch(), meta.get(name), "the torch constructor of " + name));
    }

    @TestFactory
    Stream<DynamicTest> twentyStepsMatchPyTorch() {
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + ": " + e.getValue().torch(),
                () -> run(e.getKey(), e.getValue())));
    }

    private static void run(String name, Case c) {
        List<Tensor> p = freshParams();
        Optimizer<?> opt = c.make().apply(p);
        Tensor ws = t().get(name + ".W");
        Tensor bs = t().get(name + ".b");
        float[] losses = t().get(name + ".loss").toFloatArray();
        int steps = losses.length;
        assertEquals(20, steps);
        for (int s = 0; s < steps; s++) {
            float l = trainStep(opt, p);
            assertClose(losses[s], l, name + " loss at step " + (s + 1));
            assertClose(ws.select(0, s + 1), p.get(0), name + " W after step " + (s + 1));
            assertClose(bs.select(0, s + 1), p.get(1), name + " b after step " + (s + 1));
        }
        assertTrue(losses[steps - 1] < losses[0]);
    }

    static void assertClose(double expected, double actual, String what) {
        if (!(Math.abs(actual - expected) <= ATOL + RTOL * Math.abs(expected))) {
            fail(what + ": expected " + expected + ", got " + actual + " (difference " + Math.abs(actual - expected) + ")");
        }
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertClose(e[i], a[i], what + " [flat " + i + "]");
        }
    }
}
