package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fathom.DType;
import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Rng;
import fathom.Tensor;
import fathom.Upsampling;
import fathom.Upsampling.Mode;
import fathom.ValuesAndIndices;
import fathom.io.Safetensors;
import fathom.testing.Conformance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Pooling, upsampling, pixel shuffle, group and 2-d batch normalization match PyTorch 1.13 on the
 * committed fixtures ({@code reference/make_pool_fixtures.py}): outputs, max-pooling indices, input and
 * parameter gradients, running statistics after two training steps, state-dict keys and module reprs.
 */
class PoolReferenceTest {
    private static Map<String, Tensor> t;
    private static Map<String, String> meta;

    @BeforeAll
    static void load() throws IOException {
        Safetensors.Contents c = FixtureChecks.load("pool.safetensors");
        t = c.tensors();
        meta = c.metadata();
    }

    private static Tensor get(String key) {
        Tensor v = t.get(key);
        assertNotNull(v, "fixture has no tensor " + key);
        return v;
    }

    static void assertClose(String what, Tensor got, Tensor want) {
        assertNotNull(got, what + ": missing (no gradient reached it?)");
        String p = Conformance.differ(got.detach(), want, want.dtype() == DType.FLOAT32 ? 2e-6 : 1e-9);
        if (p != null) {
            throw new AssertionError(what + " " + p);
        }
    }

    private static PoolWindow window(int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        return new PoolWindow(k, s, p, d, ceil);
    }

    private static int[] a(int... v) {
        return v;
    }

    /** Each op case's Java call, returning the values and (for max pooling) the indices. */
    private static Map<String, Function<Tensor, ValuesAndIndices>> calls() {
        Map<String, Function<Tensor, ValuesAndIndices>> m = new LinkedHashMap<>();
        m.put("max_pool2d_k2", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(2)));
        m.put("max_pool2d_k3s2p1", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(3, 2, 1)));
        m.put("max_pool2d_rect_dilated_ceil", x -> Pooling.maxPool2dWithIndices(x, window(a(2, 3), a(1, 2), a(1, 0), a(2, 1), true)));
        m.put("max_pool2d_ceil", x -> Pooling.maxPool2dWithIndices(x, window(a(3), a(2), a(0), a(1), true)));
        m.put("max_pool2d_unbatched", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(2, 1, 0)));
        m.put("max_pool2d_ties", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(3, 1, 1)));
        m.put("max_pool2d_nan", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(2, 2, 0)));
        m.put("max_pool1d_k3", x -> Pooling.maxPool1dWithIndices(x, PoolWindow.of(3)));
        m.put("max_pool1d_dilated_ceil", x -> Pooling.maxPool1dWithIndices(x, window(a(2), a(1), a(1), a(2), true)));
        m.put("max_pool1d_unbatched", x -> Pooling.maxPool1dWithIndices(x, PoolWindow.of(2, 2, 1)));
        m.put("avg_pool2d_k2", values(x -> Pooling.avgPool2d(x, 2)));
        m.put("avg_pool2d_k3s2p1", values(x -> Pooling.avgPool2d(x, PoolWindow.of(3, 2, 1), true, null)));
        m.put("avg_pool2d_exclude_pad", values(x -> Pooling.avgPool2d(x, PoolWindow.of(3, 2, 1), false, null)));
        m.put("avg_pool2d_ceil", values(x -> Pooling.avgPool2d(x, window(a(3, 2), a(2), a(1, 1), a(1), true), true, null)));
        m.put("avg_pool2d_ceil_exclude_pad", values(x -> Pooling.avgPool2d(x, window(a(2), a(2), a(1), a(1), true), false, null)));
        m.put("avg_pool2d_divisor", values(x -> Pooling.avgPool2d(x, PoolWindow.of(2, 1, 1), true, 5)));
        m.put("avg_pool2d_unbatched", values(x -> Pooling.avgPool2d(x, window(a(1, 3), a(1, 2), a(0), a(1), false), true, null)));
        m.put("adaptive_avg_pool2d_global", values(x -> Pooling.adaptiveAvgPool2d(x, 1)));
        m.put("adaptive_avg_pool2d_3x2", values(x -> Pooling.adaptiveAvgPool2d(x, 3, 2)));
        m.put("adaptive_avg_pool2d_grow", values(x -> Pooling.adaptiveAvgPool2d(x, 5, 4)));
        m.put("adaptive_avg_pool2d_unbatched", values(x -> Pooling.adaptiveAvgPool2d(x, 2, 3)));
        m.put("adaptive_max_pool2d_3x2", x -> Pooling.adaptiveMaxPool2dWithIndices(x, 3, 2));
        m.put("adaptive_max_pool2d_grow", x -> Pooling.adaptiveMaxPool2dWithIndices(x, 4, 5));
        m.put("upsample_nearest_x2", values(x -> Upsampling.interpolate(x, new double[] {2}, Mode.NEAREST, false)));
        m.put("upsample_nearest_x3", values(x -> Upsampling.interpolate(x, new double[] {3}, Mode.NEAREST, false)));
        m.put("upsample_nearest_size", values(x -> Upsampling.interpolate(x, a(5, 7), Mode.NEAREST, false)));
        m.put("upsample_nearest_down", values(x -> Upsampling.interpolate(x, a(2, 3), Mode.NEAREST, false)));
        m.put("upsample_nearest_x1_5", values(x -> Upsampling.interpolate(x, new double[] {1.5}, Mode.NEAREST, false)));
        m.put("upsample_nearest_1d", values(x -> Upsampling.interpolate(x, new double[] {2.5}, Mode.NEAREST, false)));
        m.put("upsample_nearest_1d_size", values(x -> Upsampling.interpolate(x, a(7), Mode.NEAREST, false)));
        m.put("upsample_nearest_x1_7_f32", values(x -> Upsampling.interpolate(x, new double[] {1.7}, Mode.NEAREST, false)));
        m.put("upsample_bilinear_x2", values(x -> Upsampling.interpolate(x, new double[] {2}, Mode.BILINEAR, false)));
        m.put("upsample_bilinear_x2_corners", values(x -> Upsampling.interpolate(x, new double[] {2}, Mode.BILINEAR, true)));
        m.put("upsample_bilinear_size_corners", values(x -> Upsampling.interpolate(x, a(5, 7), Mode.BILINEAR, true)));
        m.put("upsample_bilinear_down", values(x -> Upsampling.interpolate(x, a(2, 3), Mode.BILINEAR, false)));
        m.put("upsample_bilinear_x1_5", values(x -> Upsampling.interpolate(x, new double[] {1.5}, Mode.BILINEAR, false)));
        m.put("upsample_bilinear_x2x3", values(x -> Upsampling.interpolate(x, new double[] {2, 3}, Mode.BILINEAR, false)));
        m.put("upsample_bilinear_same_height", values(x -> Upsampling.interpolate(x, new double[] {1.2, 2}, Mode.BILINEAR, false)));
        m.put("upsample_bilinear_x1_7_f32", values(x -> Upsampling.interpolate(x, new double[] {1.7}, Mode.BILINEAR, false)));
        m.put("upsample_bilinear_corners_f32", values(x -> Upsampling.interpolate(x, a(9, 13), Mode.BILINEAR, true)));
        m.put("pixel_shuffle_2", values(x -> Upsampling.pixelShuffle(x, 2)));
        m.put("pixel_shuffle_3_lead", values(x -> Upsampling.pixelShuffle(x, 3)));
        m.put("pixel_unshuffle_2", values(x -> Upsampling.pixelUnshuffle(x, 2)));
        return m;
    }

    private static Function<Tensor, ValuesAndIndices> values(Function<Tensor, Tensor> f) {
        return x -> new ValuesAndIndices(f.apply(x), null);
    }

    @TestFactory
    Stream<DynamicTest> ops() {
        Map<String, Function<Tensor, ValuesAndIndices>> ops = calls();
        List<String> cases = meta.keySet().stream().filter(k -> t.containsKey(k + ".input") && !k.startsWith("group_norm")).sorted().toList();
        assertEquals(ops.keySet().stream().sorted().toList(), cases, "every fixture op case has a Java call, and no more");
        return ops.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + ": " + meta.get(e.getKey()), () -> {
            String c = e.getKey();
            Tensor x = get(c + ".input").detach().requiresGrad(true);
            ValuesAndIndices r = e.getValue().apply(x);
            assertClose(c + " output", r.values(), get(c + ".out"));
            if (t.containsKey(c + ".indices")) {
                assertClose(c + " indices", r.indices(), get(c + ".indices"));
            }
            r.values().backward(get(c + ".gout"));
            assertClose(c + " input gradient", x.grad(), get(c + ".grad_input"));
        }));
    }

    @Test
    void groupNorm() {
        checkLayer("group_norm", new GroupNorm(2, 4, 1e-5, true, DType.FLOAT64));
        checkLayer("group_norm_one_group_noaffine", new GroupNorm(1, 3, 1e-5, false, DType.FLOAT64));
        checkLayer("group_norm_per_channel_eps", new GroupNorm(6, 6, 1e-3, true, DType.FLOAT64));
        checkLayer("group_norm_2d_input", new GroupNorm(3, 6, 1e-5, true, DType.FLOAT64));
    }

    private void checkLayer(String c, Module m) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (String k : m.stateDict().keySet()) {
            sd.put(k, get(c + "." + k));
        }
        m.loadStateDict(sd, true);
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
    void batchNorm() {
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm2d", new BatchNorm2d(3, 1e-5, 0.1, true, true, DType.FLOAT64), PoolReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm2d_cumulative", new BatchNorm2d(3, 1e-3, null, true, true, DType.FLOAT64), PoolReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm2d_noaffine", new BatchNorm2d(2, 1e-5, 0.3, false, true, DType.FLOAT64), PoolReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm2d_no_running_stats", new BatchNorm2d(3, 1e-5, 0.1, true, false, DType.FLOAT64), PoolReferenceTest::assertClose);
        FixtureChecks.checkBatchNorm(t, meta, "batch_norm1d_cumulative", new BatchNorm1d(3, 1e-5, null, true, true, DType.FLOAT64), PoolReferenceTest::assertClose);
    }

    @Test
    void stateDictKeysOfACnnEqualPyTorchs() {
        Rng rng = new Rng(1);
        Sequential cnn = new Sequential(new BatchNorm2d(3), new Relu(), new MaxPool2d(2), new GroupNorm(1, 3), new Dropout2d(0.1, rng),
                new Upsample(2), new PixelUnshuffle(2), new AvgPool2d(2), new AdaptiveAvgPool2d(1), new Flatten(),
                new Linear(12, 2, true, rng));
        assertEquals(FixtureChecks.jsonList(meta.get("keys.cnn")), List.copyOf(cnn.stateDict().keySet()));
    }

    @Test
    void reprsEqualPyTorchs() {
        Map<String, Module> m = new LinkedHashMap<>();
        Rng rng = new Rng(2);
        m.put("max_pool2d", new MaxPool2d(2));
        m.put("max_pool2d_full", new MaxPool2d(window(a(2, 3), a(1), a(1), a(2), true)));
        m.put("max_pool1d", new MaxPool1d(3));
        m.put("avg_pool2d", new AvgPool2d(window(a(3), a(2), a(1), a(1), true), false, 5));
        m.put("adaptive_avg_pool2d", new AdaptiveAvgPool2d(1));
        m.put("adaptive_avg_pool2d_none", new AdaptiveAvgPool2d(7, null));
        m.put("adaptive_max_pool2d", new AdaptiveMaxPool2d(2, 3));
        m.put("batch_norm2d", new BatchNorm2d(64));
        m.put("batch_norm2d_options", new BatchNorm2d(3, 1e-3, null, false, false, DType.FLOAT32));
        m.put("batch_norm1d", new BatchNorm1d(3));
        m.put("group_norm", new GroupNorm(2, 4, 1e-6, false, DType.FLOAT32));
        m.put("dropout2d", new Dropout2d(0.3, rng));
        m.put("upsample_scale", new Upsample(2));
        m.put("upsample_size", new Upsample(a(3, 4), Mode.BILINEAR, true));
        m.put("upsample_scales", new Upsample(new double[] {1.5, 2}, Mode.BILINEAR, false));
        m.put("pixel_shuffle", new PixelShuffle(2));
        m.put("pixel_unshuffle", new PixelUnshuffle(3));
        List<String> want = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (var e : m.entrySet()) {
            want.add(e.getKey() + ": " + meta.get("repr." + e.getKey()));
            got.add(e.getKey() + ": " + e.getValue());
        }
        assertEquals(want, got);
    }

}
