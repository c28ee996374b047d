package fathom.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fathom.Tensor;
import fathom.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every convolution spec matches PyTorch 1.13 in float64 on the committed fixture
 * ({@code reference/make_conv_fixtures.py} evaluated the same call, stored as each case's metadata):
 * the output, and the gradients of x, weight and bias for a random upstream gradient.
 */
class ConvReferenceTest {
    private static final double TOL = 1e-10;

    private static Safetensors.Contents fixtures() throws IOException {
        try (InputStream in = ConvReferenceTest.class.getResourceAsStream("/reference/conv.safetensors")) {
            assertNotNull(in, "reference/conv.safetensors is missing from the test resources");
            return Safetensors.read(in.readAllBytes(), "reference/conv.safetensors");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTorch() throws IOException {
        Safetensors.Contents f = fixtures();
        return cases(f).stream().map(name -> DynamicTest.dynamicTest(name + ": " + f.metadata().get(name), () -> check(name, f.tensors())));
    }

    @Test
    void theFixtureHasExactlyTheConvSpecs() throws IOException {
        List<String> specs = ConvSpecs.all().stream().map(OpSpec::name).toList();
        assertEquals(new TreeSet<>(specs), new TreeSet<>(cases(fixtures())));
    }

    private static List<String> cases(Safetensors.Contents f) {
        return f.metadata().keySet().stream().filter(k -> !k.equals("torch_version")).toList();
    }

    private static void check(String name, Map<String, Tensor> t) {
        OpSpec spec = OpRegistry.get(name);
        assertNotNull(spec, "no op spec named " + name);
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; t.containsKey(name + ".in" + i); i++) {
            inputs.add(t.get(name + ".in" + i).detach().requiresGrad(true));
        }
        Tensor out = spec.fn().apply(inputs).get(0);
        assertClose(name + " output", out.detach(), t.get(name + ".out"));
        out.backward(t.get(name + ".gout"));
        for (int i = 0; i < inputs.size(); i++) {
            assertNotNull(inputs.get(i).grad(), name + ": no gradient reached input " + i);
            assertClose(name + " gradient of input " + i, inputs.get(i).grad(), t.get(name + ".gin" + i));
        }
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        String p = Conformance.differ(got, want, TOL);
        if (p != null) {
            throw new AssertionError(what + " " + p);
        }
    }
}
