package fathom.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import fathom.Tensor;
import fathom.Tensors;
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
 * Each schedule's learning rates over 30 steps, on an optimizer with two groups (lr 0.1 and 0.02), match
 * PyTorch 1.13's to {@value #TOL} (HuggingFace's warmup-cosine formula for {@link WarmupCosineLr}).
 */
class ScheduleReferenceTest {
    static final double TOL = 1e-12;

    record Case(String torch, Function<Sgd, LrScheduler> make) {}

    static final Map<String, Case> CASES = new LinkedHashMap<>();
    static final String S = "torch.optim.lr_scheduler.";

    private static void add(String name, String torch, Function<Sgd, LrScheduler> make) {
        CASES.put("sched_" + name, new Case(torch, make));
    }

    static {
        add("step", S + "StepLR(opt, step_size=7, gamma=0.5)", o -> new StepLr(o, 7, 0.5));
        add("multistep", S + "MultiStepLR(opt, milestones=[5, 12, 20], gamma=0.3)",
                o -> new MultiStepLr(o, new int[] {12, 5, 20}, 0.3));
        add("exponential", S + "ExponentialLR(opt, gamma=0.9)", o -> new ExponentialLr(o, 0.9));
        add("cosine", S + "CosineAnnealingLR(opt, T_max=20, eta_min=0.001)", o -> new CosineAnnealingLr(o, 20, 0.001));
        add("cosine_eta0", S + "CosineAnnealingLR(opt, T_max=30)", o -> new CosineAnnealingLr(o, 30));
        add("warmup_cosine", S + "LambdaLR(opt, warmup_cosine(warmup=5, total=30))", o -> new WarmupCosineLr(o, 5, 30));
        add("onecycle", S + "OneCycleLR(opt, max_lr=[0.1, 0.02], total_steps=30, cycle_momentum=False)",
                o -> new OneCycleLr(o, new double[] {0.1, 0.02}, 30, OneCycleLr.Cycle.DEFAULT));
        add("onecycle_linear", S + "OneCycleLR(opt, max_lr=0.5, total_steps=30, pct_start=0.25, anneal_strategy='linear', "
                + "div_factor=10.0, final_div_factor=100.0, cycle_momentum=False)",
                o -> new OneCycleLr(o, new double[] {0.5, 0.5}, 30,
                        new OneCycleLr.Cycle(0.25, OneCycleLr.Anneal.LINEAR, 10, 100, false)));
        add("onecycle_three_phase", S + "OneCycleLR(opt, max_lr=0.1, total_steps=30, three_phase=True, cycle_momentum=False)",
                o -> new OneCycleLr(o, new double[] {0.1, 0.1}, 30, new OneCycleLr.Cycle(0.3, OneCycleLr.Anneal.COS, 25, 1e4, true)));
        add("plateau_min", S + "ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=2, threshold=1e-2, cooldown=1, "
                + "min_lr=0.004)", o -> new ReduceLrOnPlateau(o, new ReduceLrOnPlateau.Policy(
                        ReduceLrOnPlateau.Mode.MIN, 0.5, 2, 1e-2, true, 1, 0.004, 1e-8)));
        add("plateau_max_abs", S + "ReduceLROnPlateau(opt, mode='max', factor=0.3, patience=1, threshold=0.05, "
                + "threshold_mode='abs', min_lr=[0.001, 0.0])", o -> new ReduceLrOnPlateau(o, new ReduceLrOnPlateau.Policy(
                        ReduceLrOnPlateau.Mode.MAX, 0.3, 1, 0.05, false, 0, 0, 1e-8), new double[] {0.001, 0.0}));
        add("plateau_max_rel", S + "ReduceLROnPlateau(opt, mode='max', patience=3, eps=1e-3)",
                o -> new ReduceLrOnPlateau(o, new ReduceLrOnPlateau.Policy(
                        ReduceLrOnPlateau.Mode.MAX, 0.1, 3, 1e-4, true, 0, 0, 1e-3)));
    }

    /** SGD over two one-element parameters in two groups, lr 0.1 and 0.02, as the fixture script builds. */
    static Sgd twoGroups() {
        return new Sgd(List.of(new ParamGroup<>(List.of(Tensors.zeros(1).requiresGrad(true)), new SgdConfig(0.1)),
                new ParamGroup<>(List.of(Tensors.zeros(1).requiresGrad(true)), new SgdConfig(0.02))));
    }

    @Test
    void everyFixtureScheduleIsRunAndDescribedAlike() {
        Map<String, String> meta = Fixtures.optim().metadata();
        List<String> inFixture = new ArrayList<>();
        for (String k : meta.keySet()) {
            if (k.startsWith("sched_")) {
                inFixture.add(k);
            }
        }
        assertEquals(List.copyOf(CASES.keySet()), inFixture);
        CASES.forEach((name, c) -> assertEquals(c.torch(), meta.get(name), "the torch constructor of " + name));
    }

    @TestFactory
    Stream<DynamicTest> learningRatesMatchPyTorch() {
        return CASES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + ": " + e.getValue().torch(),
                () -> run(e.getKey(), e.getValue())));
    }

    private static void run(String name, Case c) {
        Map<String, Tensor> t = Fixtures.optim().tensors();
        Tensor lrs = t.get(name + ".lr"); // [31, 2]
        double[] metric = t.containsKey(name + ".metric") ? t.get(name + ".metric").toDoubleArray() : null;
        Sgd opt = twoGroups();
        LrScheduler sched = c.make().apply(opt);
        assertEquals(31, lrs.size(0));
        check(lrs, 0, opt, name);
        for (int s = 1; s < lrs.size(0); s++) {
            if (metric != null) {
                sched.step(metric[s - 1]);
            } else {
                sched.step();
            }
            check(lrs, s, opt, name);
        }
    }

    private static void check(Tensor lrs, int s, Optimizer<?> opt, String name) {
        for (int g = 0; g < 2; g++) {
            double expected = lrs.get(s, g);
            if (name.startsWith("sched_onecycle") && s == lrs.size(0) - 1) {
                // step totalSteps: Fathom holds the minimum, PyTorch's rate at step totalSteps - 1,
                // where PyTorch extrapolates (to a negative rate in the linear case)
                expected = lrs.get(s - 1, g);
            }
            double actual = opt.lr(g);
            if (!(Math.abs(actual - expected) <= TOL)) {
                fail(name + " group " + g + " after " + s + " steps: expected " + expected + ", got " + actual);
            }
        }
    }

    @Test
    void oneCycleRefusesToStepPastTotalSteps() {
        Sgd opt = twoGroups();
        OneCycleLr sched = new OneCycleLr(opt, 0.1, 5);
        for (int i = 0; i < 5; i++) {
            sched.step();
        }
        double last = opt.lr(0);
        assertThrows(IllegalStateException.class, sched::step);
        assertEquals(5, sched.lastEpoch());
        assertEquals(last, opt.lr(0));
    }

    @Test
    void warmupCosineHoldsEtaMinAfterTotalSteps() {
        Sgd opt = twoGroups();
        WarmupCosineLr sched = new WarmupCosineLr(opt, 2, 6, 0.001);
        assertEquals(0.0, opt.lr(0));
        sched.step();
        assertEquals(0.05, opt.lr(0), 1e-15);
        for (int i = 0; i < 10; i++) {
            sched.step();
        }
        assertEquals(0.001, opt.lr(0));
        assertEquals(0.001, opt.lr(1));
    }

    @Test
    void plateauNeedsAMetric() {
        ReduceLrOnPlateau sched = new ReduceLrOnPlateau(twoGroups(), ReduceLrOnPlateau.Mode.MIN);
        assertThrows(IllegalStateException.class, sched::step);
    }

    @Test
    void resumedSchedulesContinueExactly() {
        for (Map.Entry<String, Case> e : CASES.entrySet()) {
            boolean plateau = e.getKey().startsWith("sched_plateau");
            double[] metric = {0.9, 0.95, 0.97, 0.99, 0.99, 0.98, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
            Sgd opt = twoGroups();
            LrScheduler sched = e.getValue().make().apply(opt);
            for (int i = 0; i < 7; i++) {
                stepOnce(sched, plateau, metric[i]);
            }
            Map<String, Tensor> optState = opt.stateDict();
            Map<String, Tensor> schedState = sched.stateDict();
            Sgd opt2 = twoGroups();
            LrScheduler sched2 = e.getValue().make().apply(opt2);
            opt2.loadStateDict(optState);
            sched2.loadStateDict(schedState);
            for (int i = 7; i < metric.length; i++) {
                stepOnce(sched, plateau, metric[i]);
                stepOnce(sched2, plateau, metric[i]);
                assertEquals(opt.lr(0), opt2.lr(0), e.getKey() + " step " + i);
                assertEquals(opt.lr(1), opt2.lr(1), e.getKey() + " step " + i);
            }
        }
    }

    private static void stepOnce(LrScheduler s, boolean plateau, double metric) {
        if (plateau) {
            s.step(metric);
        } else {
            s.step();
        }
    }

    @Test
    void scheduleArgumentsAreValidated() {
        Sgd opt = twoGroups();
        assertThrows(IllegalArgumentException.class, () -> new StepLr(opt, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new StepLr(opt, 3, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new MultiStepLr(opt, new int[] {-1}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLr(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineLr(opt, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLr(opt, new double[] {0.1}, 10, OneCycleLr.Cycle.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLr.Cycle(1.5, OneCycleLr.Anneal.COS, 25, 1e4, false));
        assertThrows(IllegalArgumentException.class, () -> ReduceLrOnPlateau.Policy.defaults(ReduceLrOnPlateau.Mode.MIN).withFactor(1.0));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau(opt,
                ReduceLrOnPlateau.Policy.defaults(ReduceLrOnPlateau.Mode.MIN), new double[] {0.1}));
        Map<String, Tensor> bad = new StepLr(twoGroups(), 3, 0.5).stateDict();
        bad.put("base_lrs", Tensors.of(new double[] {0.1}));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new StepLr(opt, 3, 0.5).loadStateDict(bad));
        assertEquals("base_lrs has shape [1], the optimizer has 2 parameter groups", ex.getMessage());
    }
}
