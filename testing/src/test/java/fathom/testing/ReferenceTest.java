package fathom.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Tensor;
import fathom.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Outputs and input gradients match PyTorch 1.13 on the committed fixtures
 * ({@code reference/make_fixtures.py} wrote them; the metadata holds each case's torch expression).
 */
class ReferenceTest {
    private static final double TOL = 1e-9;

    static Safetensors.Contents fixtures() throws IOException {
        try (InputStream in = ReferenceTest.class.getResourceAsStream("/reference/ops.safetensors")) {
            assertNotNull(in, "reference/ops.safetensors is missing from the test resources");
            return Safetensors.read(in.readAllBytes(), "reference/ops.safetensors");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureCase() throws IOException {
        Safetensors.Contents f = fixtures();
        return f.metadata().keySet().stream().filter(k -> !k.equals("torch_version")).map(name ->
                DynamicTest.dynamicTest(name + ": " + f.metadata().get(name), () -> check(name, f.tensors())));
    }

    @Test
    void everyFixtureCaseHasASpec() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String name : fixtures().metadata().keySet()) {
            if (!name.equals("torch_version") && OpRegistry.get(name) == null) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "fixture cases without an op spec");
        assertTrue(fixtures().metadata().size() > 100);
    }

    private static void check(String name, Map<String, Tensor> t) {
        OpSpec spec = OpRegistry.get(name);
        assertNotNull(spec, "no op spec named " + name);
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; t.containsKey(name + ".in" + i); i++) {
            Tensor x = t.get(name + ".in" + i);
            inputs.add(x.dtype().isFloating() ? x.requiresGrad(true) : x);
        }
        List<Tensor> outs = spec.fn().apply(inputs);
        boolean single = t.containsKey(name + ".out");
        for (int k = 0; k < outs.size(); k++) {
            Tensor want = t.get(single ? name + ".out" : name + ".out" + k);
            assertNotNull(want, name + ": fixture has no output " + k);
            assertClose(name + " output " + k, outs.get(k).detach(), want);
        }
        for (int k = 0; k < outs.size(); k++) {
            Tensor g = t.get(single ? name + ".gout" : name + ".gout" + k);
            if (g != null) {
                outs.get(k).backward(g.to(outs.get(k).dtype()), true);
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            Tensor want = t.get(name + ".gin" + i);
            if (want != null) {
                assertNotNull(inputs.get(i).grad(), name + ": no gradient reached input " + i);
                assertClose(name + " gradient of input " + i, inputs.get(i).grad(), want);
            }
        }
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        String p = Conformance.differ(got, want, want.dtype() == fathom.DType.FLOAT32 ? 1e-6 : TOL);
        if (p != null) {
            throw new AssertionError(what + " " + p);
        }
    }
}
