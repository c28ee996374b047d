package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.ConvPadding;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.Safetensors;
import fathom.optim.Adam;
import fathom.testing.Conformance;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conv1d, Conv2d and ConvTranspose2d: PyTorch's parameter names, shapes and init bounds; weights from a
 * torch state dict give torch's output and gradients ({@code reference/make_conv_fixtures.py}); toString
 * is torch's repr; bad arguments fail early with the argument named; a small conv net overfits a batch.
 */
class ConvLayerTest {
    private static Map<String, Tensor> t;
    private static Map<String, String> meta;

    @BeforeAll
    static void load() throws IOException {
        Safetensors.Contents c = FixtureChecks.load("conv_layers.safetensors");
        t = c.tensors();
        meta = c.metadata();
    }

    @Test
    void parameterNamesAndShapesAreTorchs() {
        Rng rng = new Rng(1);
        Conv2d c2 = new Conv2d(new Conv2dConfig(4, 6, new int[] {3, 5}).withGroups(2), rng);
        assertEquals(List.of("weight", "bias"), List.copyOf(c2.stateDict().keySet()));
        assertEquals(Shape.of(6, 2, 3, 5), c2.weight.shape());
        assertEquals(Shape.of(6), c2.bias.shape());
        Conv1d c1 = new Conv1d(new Conv1dConfig(3, 5, 4).withBias(false), rng);
        assertEquals(List.of("weight"), List.copyOf(c1.stateDict().keySet()));
        assertEquals(Shape.of(5, 3, 4), c1.weight.shape());
        ConvTranspose2d ct = new ConvTranspose2d(new ConvTranspose2dConfig(4, 6, 3).withGroups(2), rng);
        assertEquals(Shape.of(4, 3, 3, 3), ct.weight.shape(), "transposed: [in, out/groups, kH, kW]");
        assertEquals(Shape.of(6), ct.bias.shape());
        Sequential lenet = new Sequential(new Conv2d(new Conv2dConfig(1, 6, 5).withPadding(2), rng), new Relu(), new Conv2d(6, 16, 5, rng));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(lenet.stateDict().keySet()));
        assertEquals(6 * 25 + 6 + 16 * 6 * 25 + 16, lenet.parameterCount());
        assertEquals(DType.FLOAT32, lenet.parameters().get(0).dtype());
    }

    @Test
    void initIsUniformWithinOneOverRootFanIn() {
        Rng rng = new Rng(2);
        // fan_in = in/groups·kH·kW for a convolution, out/groups·kH·kW (weight.size(1)·taps) for a transposed one
        Conv2d c2 = new Conv2d(new Conv2dConfig(8, 64, 3).withGroups(2), rng);
        checkBounds(c2.weight, c2.bias, 4 * 9);
        Conv1d c1 = new Conv1d(new Conv1dConfig(6, 200, 5), rng);
        checkBounds(c1.weight, c1.bias, 6 * 5);
        ConvTranspose2d ct = new ConvTranspose2d(new ConvTranspose2dConfig(63, 12, new int[] {2, 3}, new int[] {1}, new int[] {0},
                new int[] {0}, 3, true, new int[] {1}, "zeros"), rng);
        checkBounds(ct.weight, ct.bias, 4 * 6);
    }

    /** Every value within ±1/√fan_in; for many values also the extremes near it (so not a narrower law) and the mean near 0. */
    private static void checkBounds(Tensor weight, Tensor bias, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        for (Tensor p : new Tensor[] {weight, bias}) {
            double[] v = p.toDoubleArray();
            double max = 0;
            double sum = 0;
            for (double x : v) {
                max = Math.max(max, Math.abs(x));
                sum += x;
            }
            assertTrue(max <= bound, "a value " + max + " beyond the bound " + bound);
            if (v.length < 200) {
                continue;
            }
            assertTrue(max > 0.95 * bound, "largest value " + max + " far inside the bound " + bound + " for " + v.length + " values");
            assertEquals(0, sum / v.length, 4 * bound / Math.sqrt(3 * v.length), "mean");
        }
    }

    @Test
    void torchWeightsGiveTorchsOutputAndGradients() {
        checkLayer("conv2d", new Conv2d(new Conv2dConfig(3, 4, 3).withStride(2).withPadding(1), DType.FLOAT64, new Rng(3)));
        checkLayer("conv2d_same_groups_nobias", new Conv2d(new Conv2dConfig(4, 6, new int[] {3, 2}).withPadding("same").withDilation(1, 2)
                .withGroups(2).withBias(false), DType.FLOAT64, new Rng(4)));
        checkLayer("conv1d", new Conv1d(new Conv1dConfig(3, 5, 4).withStride(2).withPadding(2), DType.FLOAT64, new Rng(5)));
        checkLayer("conv_transpose2d", new ConvTranspose2d(new ConvTranspose2dConfig(4, 6, 3).withStride(2).withPadding(1)
                .withOutputPadding(1).withGroups(2), DType.FLOAT64, new Rng(6)));
    }

    private static void checkLayer(String c, Module m) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : m.stateDict().keySet()) {
            state.put(key, get(c + "." + key));
        }
        m.loadStateDict(state, true);
        assertEquals(meta.get("repr." + c), m.toString());
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
    void toStringIsTorchsRepr() {
        Rng rng = new Rng(7);
        Map<String, Module> layers = new LinkedHashMap<>();
        layers.put("default2d", new Conv2d(1, 6, 5, rng));
        layers.put("lenet", new Conv2d(new Conv2dConfig(1, 6, 5).withPadding(2), rng));
        layers.put("full2d", new Conv2d(new Conv2dConfig(4, 8, new int[] {3, 5}, new int[] {2, 1}, ConvPadding.of(1, 2), new int[] {2, 3}, 4,
                false, "zeros"), rng));
        layers.put("same2d", new Conv2d(new Conv2dConfig(2, 3, 3).withPadding("same"), rng));
        layers.put("valid2d", new Conv2d(new Conv2dConfig(2, 3, 3).withPadding("valid"), rng));
        layers.put("default1d", new Conv1d(3, 5, 4, rng));
        layers.put("full1d", new Conv1d(new Conv1dConfig(4, 6, 3, 2, ConvPadding.of(1), 2, 2, false, "zeros"), rng));
        layers.put("default_t2d", new ConvTranspose2d(4, 6, 3, rng));
        layers.put("full_t2d", new ConvTranspose2d(new ConvTranspose2dConfig(4, 6, new int[] {3, 2}, new int[] {2}, new int[] {1, 0},
                new int[] {1, 0}, 2, false, new int[] {1, 2}, "zeros"), rng));
        for (var e : layers.entrySet()) {
            String want = meta.get("repr." + e.getKey());
            assertNotNull(want, "no torch repr for " + e.getKey());
            assertEquals(want, e.getValue().toString());
        }
    }

    @Test
    void badArgumentsFailNamingTheProblem() {
        Rng rng = new Rng(8);
        Conv2d c = new Conv2d(3, 4, 3, rng);
        ShapeException e = assertThrows(ShapeException.class, () -> c.call(Tensors.zeros(2, 5, 8, 8)));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[2, 5, 8, 8]") && e.getMessage().contains("[4, 3, 3, 3]"),
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> c.call(Tensors.zeros(1, 3, 2, 9)));
        assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
        assertThrows(ShapeException.class, () -> c.call(Tensors.zeros(3, 8)));
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new Conv2dConfig(4, 6, 3).withGroups(4));
        assertTrue(a.getMessage().contains("groups 4"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> new Conv2dConfig(4, 6, 3).withPadding("same").withStride(2));
        assertTrue(a.getMessage().contains("same"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2dConfig(4, 6, 3).withPadding("full"));
        assertThrows(IllegalArgumentException.class, () -> new Conv2dConfig(4, 6, 0));
        a = assertThrows(IllegalArgumentException.class, () -> new Conv2dConfig(4, 6, new int[] {3, 3}, new int[] {1}, ConvPadding.of(0),
                new int[] {1}, 1, true, "reflection"));
        assertTrue(a.getMessage().contains("\"reflection\" is not supported"), a.getMessage());
        a = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2dConfig(4, 6, 3).withStride(2).withOutputPadding(2));
        assertTrue(a.getMessage().contains("output_padding"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv1dConfig(2, 2, 3).withPadding(ConvPadding.of(1, 2)));
    }

    @Test
    void unbatchedInputAndConfigEquality() {
        Rng rng = new Rng(9);
        Conv2d c = new Conv2d(new Conv2dConfig(2, 3, 3).withPadding(1), rng);
        Tensor x = Tensors.randn(rng, 2, 5, 4);
        assertArrayEquals(c.call(x.unsqueeze(0)).squeeze(0).toFloatArray(), c.call(x).toFloatArray());
        assertEquals(new Conv2dConfig(2, 3, 3).withPadding(1), new Conv2dConfig(2, 3, new int[] {3, 3}).withPadding(1, 1));
        assertEquals(new Conv2dConfig(2, 3, 3).hashCode(), new Conv2dConfig(2, 3, new int[] {3}).hashCode());
        int[] k = {3, 3};
        Conv2dConfig cfg = new Conv2dConfig(2, 3, k);
        k[0] = 9;
        cfg.kernelSize()[1] = 9;
        assertArrayEquals(new int[] {3, 3}, cfg.kernelSize(), "the config keeps its own copy");
    }

    @Test
    void aSmallConvNetOverfitsOneBatch() {
        Rng rng = new Rng(10);
        Sequential net = new Sequential(new Conv2d(new Conv2dConfig(1, 4, 3).withPadding(1), rng), new Relu(),
                new Conv2d(new Conv2dConfig(4, 4, 3).withStride(2).withGroups(2), rng), new Relu(),
                new ConvTranspose2d(new ConvTranspose2dConfig(4, 2, 2).withStride(2), rng), new Flatten(), new Linear(2 * 6 * 6, 3, true, rng));
        Tensor x = Tensors.randn(rng, 6, 1, 7, 7);
        Tensor y = Tensors.of(new long[] {0, 1, 2, 0, 1, 2}, 6);
        Adam opt = new Adam(net.parameters(), 0.02);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor l = loss.apply(net.call(x), y);
            l.backward();
            opt.step();
            last = l.item();
            if (step == 0) {
                first = last;
            }
        }
        assertTrue(first > 0.9, "the untrained loss is near log 3, got " + first);
        assertTrue(last < 0.05, "60 Adam steps should fit 6 samples, loss " + first + " -> " + last);
    }

    private static Tensor get(String key) {
        Tensor v = t.get(key);
        assertNotNull(v, "fixture has no tensor " + key);
        return v;
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        assertNotNull(got, what + ": missing");
        String p = Conformance.differ(got.detach(), want, 1e-10);
        assertNull(p, what + " " + p);
    }
}
