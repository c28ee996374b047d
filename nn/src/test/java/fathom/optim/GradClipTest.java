package fathom.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fathom.Tensor;
import fathom.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient clipping matches {@code torch.nn.utils.clip_grad_norm_} / {@code clip_grad_value_} on the fixture. */
class GradClipTest {
    private static final double RTOL = 1e-6;

    private static List<Tensor> paramsWithGrads(String name) {
        Map<String, Tensor> t = Fixtures.optim().tensors();
        Tensor w = Tensors.zeros(4, 3).requiresGrad(true);
        Tensor b = Tensors.zeros(4).requiresGrad(true);
        w.setGrad(t.get(name + ".g0").clone());
        b.setGrad(t.get(name + ".g1").clone());
        return List.of(w, b);
    }

    private static void checkNorm(String name, double maxNorm, double normType, String torch) {
        assertEquals(torch, Fixtures.optim().metadata().get(name));
        List<Tensor> p = paramsWithGrads(name);
        double norm = GradClip.clipGradNorm(p, maxNorm, normType);
        Map<String, Tensor> t = Fixtures.optim().tensors();
        close(t.get(name + ".norm").item(), norm, name + " norm");
        checkGrads(name, p);
    }

    private static void checkGrads(String name, List<Tensor> p) {
        Map<String, Tensor> t = Fixtures.optim().tensors();
        for (int k = 0; k < 2; k++) {
            float[] e = t.get(name + ".out" + k).toFloatArray();
            float[] a = p.get(k).grad().toFloatArray();
            for (int i = 0; i < e.length; i++) {
                close(e[i], a[i], name + " grad " + k + " [" + i + "]");
            }
        }
    }

    private static void close(double expected, double actual, String what) {
        if (!(Math.abs(actual - expected) <= RTOL * Math.abs(expected) + 1e-7)) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void twoNormAboveMaxScalesDown() {
        checkNorm("clip_norm2_clipped", 1.0, 2, "torch.nn.utils.clip_grad_norm_(params, max_norm=1.0)");
        double norm = GradClip.clipGradNorm(paramsWithGrads("clip_norm2_clipped"), 1.0);
        assertTrue(norm > 1, "the fixture's gradients must be above the max norm to test clipping");
    }

    @Test
    void twoNormBelowMaxLeavesGradientsAlone() {
        checkNorm("clip_norm2_unclipped", 100.0, 2, "torch.nn.utils.clip_grad_norm_(params, max_norm=100.0)");
        List<Tensor> p = paramsWithGrads("clip_norm2_unclipped");
        GradClip.clipGradNorm(p, 100.0);
        float[] before = Fixtures.optim().tensors().get("clip_norm2_unclipped.g0").toFloatArray();
        float[] after = p.get(0).grad().toFloatArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i]);
        }
    }

    @Test
    void oneNorm() {
        checkNorm("clip_norm1", 2.0, 1, "torch.nn.utils.clip_grad_norm_(params, max_norm=2.0, norm_type=1.0)");
    }

    @Test
    void infinityNorm() {
        checkNorm("clip_norm_inf", 0.5, Double.POSITIVE_INFINITY,
                "torch.nn.utils.clip_grad_norm_(params, max_norm=0.5, norm_type=float('inf'))");
    }

    @Test
    void byValue() {
        assertEquals("torch.nn.utils.clip_grad_value_(params, clip_value=0.3)",
                Fixtures.optim().metadata().get("clip_value"));
        List<Tensor> p = paramsWithGrads("clip_value");
        GradClip.clipGradValue(p, 0.3);
        checkGrads("clip_value", p);
    }

    @Test
    void nullGradientsAreSkipped() {
        Tensor a = Tensors.zeros(3).requiresGrad(true);
        Tensor b = Tensors.zeros(2).requiresGrad(true);
        b.setGrad(Tensors.of(new float[] {3, 4}));
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a, b), 1.0), 1e-6);
        assertNull(a.grad());
        assertEquals(0.6, b.grad().get(0), 1e-6);
        assertEquals(0.0, GradClip.clipGradNorm(List.of(a), 1.0));
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(), -1));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(List.of(), Double.NaN));
    }
}
