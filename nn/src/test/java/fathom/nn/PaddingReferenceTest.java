package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.ConvPadding;
import fathom.DType;
import fathom.Padding;
import fathom.Padding.Mode;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.Safetensors;
import fathom.testing.Conformance;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Padding#pad} and the convolution layers' padding modes match PyTorch 1.13's {@code F.pad} and
 * {@code padding_mode} on the committed fixtures ({@code reference/make_padding_fixtures.py}): outputs,
 * input and parameter gradients, and reprs.
 */
class PaddingReferenceTest {
    private static Map<String, Tensor> t;
    private static Map<String, String> meta;

    @BeforeAll
    static void load() throws IOException {
        Safetensors.Contents c = FixtureChecks.load("padding.safetensors");
        t = c.tensors();
        meta = c.metadata();
    }

    private static Tensor get(String key) {
        return FixtureChecks.get(t, key);
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        assertNotNull(got, what + ": missing (no gradient reached it?)");
        String p = Conformance.differ(got.detach(), want, 1e-10);
        if (p != null) {
            throw new AssertionError(what + " " + p);
        }
    }

    @Test
    void padMatchesPyTorchInEveryModeForwardAndBackward() {
        Map<String, UnaryOperator<Tensor>> calls = new LinkedHashMap<>();
        calls.put("constant_2d", x -> Padding.pad(x, new int[] {1, 2, 0, 3}, Mode.CONSTANT, 0.5));
        calls.put("constant_crop", x -> Padding.pad(x, -1, 2));
        calls.put("reflect_2d", x -> Padding.pad(x, new int[] {2, 1, 3, 0}, Mode.REFLECT, 0));
        calls.put("reflect_1d", x -> Padding.pad(x, new int[] {3, 2}, Mode.REFLECT, 0));
        calls.put("replicate_2d", x -> Padding.pad(x, new int[] {3, 1, 2, 4}, Mode.REPLICATE, 0));
        calls.put("circular_2d", x -> Padding.pad(x, new int[] {4, 1, 1, 3}, Mode.CIRCULAR, 0));
        calls.put("circular_1d", x -> Padding.pad(x, new int[] {2, 5}, Mode.CIRCULAR, 0));
        assertEquals(calls.size(), meta.keySet().stream().filter(k -> k.startsWith("pad.")).count(), "every fixture case is checked");
        calls.forEach((name, call) -> {
            String c = "pad." + name;
            Tensor x = get(c + ".input").detach().requiresGrad(true);
            Tensor out = call.apply(x);
            assertClose(c + " (" + meta.get(c) + ") output", out, get(c + ".out"));
            out.backward(get(c + ".gout"));
            assertClose(c + " grad input", x.grad(), get(c + ".grad_input"));
        });
    }

    private static void checkConv(String name, Module layer) {
        String c = "conv." + name;
        layer.loadStateDict(FixtureChecks.prefixed(t, c + ".sd."), true);
        assertEquals(meta.get("repr." + name), layer.toString());
        Tensor x = get(c + ".input").detach().requiresGrad(true);
        Tensor out = layer.call(x);
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " grad input", x.grad(), get(c + ".grad_input"));
        layer.namedParameters().forEach((k, p) -> assertClose(c + " grad " + k, p.grad(), get(c + ".grad." + k)));
    }

    @Test
    void convolutionPaddingModesMatchPyTorch() {
        Rng rng = new Rng(0);
        checkConv("reflect2d", new Conv2d(new Conv2dConfig(3, 4, 3).withPadding(1).withPaddingMode("reflect"), DType.FLOAT64, rng));
        checkConv("circular2d_stride", new Conv2d(new Conv2dConfig(2, 4, new int[] {3, 5}).withStride(2).withPadding(1, 2)
                .withPaddingMode("circular"), DType.FLOAT64, rng));
        checkConv("replicate2d_same", new Conv2d(new Conv2dConfig(2, 3, 4).withPadding("same").withBias(false)
                .withPaddingMode("replicate"), DType.FLOAT64, rng));
        checkConv("reflect1d", new Conv1d(new Conv1dConfig(3, 2, 5).withPadding(ConvPadding.of(2)).withPaddingMode("reflect"), DType.FLOAT64, rng));
    }

    @Test
    void badPaddingIsATypedErrorNamingTheProblem() {
        Tensor x = Tensors.zeros(fathom.Shape.of(1, 2, 3), DType.FLOAT32);
        assertTrue(assertThrows(ShapeException.class, () -> Padding.pad(x, new int[] {3, 0}, Mode.REFLECT, 0)).getMessage().contains("larger than"));
        assertTrue(assertThrows(ShapeException.class, () -> Padding.pad(x, 1, 1, 1)).getMessage().contains("(left, right) pair"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Padding.pad(x, new int[] {-1, 0}, Mode.CIRCULAR, 0)).getMessage()
                .contains("≥ 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mode.of("mirror")).getMessage().contains("reflect"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Conv2dConfig(1, 1, 3).withPaddingMode("mirror")).getMessage()
                .contains("padding_mode \"mirror\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2dConfig(1, 1, new int[] {3}, new int[] {1},
                new int[] {0}, new int[] {0}, 1, true, new int[] {1}, "reflect"))
                .getMessage().contains("only \"zeros\""));
        assertEquals(List.of(1, 2, 5), List.of(Padding.pad(x, 1, 1).shape().toArray()[0], Padding.pad(x, 1, 1).size(1), Padding.pad(x, 1, 1).size(2)));
    }
}
