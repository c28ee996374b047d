package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fathom.Autograd;
import fathom.Tensor;
import fathom.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the nn reference tests share: reading a PyTorch fixture's sections and key lists, and the batch-norm walk. */
final class FixtureChecks {
    private FixtureChecks() {}

    /** A fixture file committed under the test resources' {@code /reference/} ({@code reference/*.py} write them). */
    static Safetensors.Contents load(String name) throws IOException {
        try (InputStream in = FixtureChecks.class.getResourceAsStream("/reference/" + name)) {
            assertNotNull(in, "reference/" + name + " is missing from the test resources");
            return Safetensors.read(in.readAllBytes(), "reference/" + name);
        }
    }

    /** How a test compares a value with torch's (each fixture has its own tolerance). */
    interface Closeness {
        void check(String what, Tensor got, Tensor want);
    }

    /** The tensors whose names start with {@code prefix}, with the prefix taken off. */
    static Map<String, Tensor> prefixed(Map<String, Tensor> fixture, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        fixture.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The strings of a JSON list of strings, as the fixture scripts write state-dict key lists. */
    static List<String> jsonList(String json) {
        assertNotNull(json, "missing key list in the fixture metadata");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * Case {@code c} of a batch-norm fixture: state-dict keys, a training step's output and gradients, the
     * running statistics after a second step, then the eval-mode output.
     */
    static void checkBatchNorm(Map<String, Tensor> fixture, Map<String, String> meta, String c, BatchNorm bn, Closeness close) {
        assertEquals(jsonList(meta.get("keys." + c)), List.copyOf(bn.stateDict().keySet()), c + " state-dict keys");
        bn.loadStateDict(prefixed(fixture, c + ".sd."), true);
        Tensor x1 = get(fixture, c + ".x1").detach().requiresGrad(true);
        Tensor out1 = bn.call(x1);
        close.check(c + " train output", out1, get(fixture, c + ".out1"));
        out1.backward(get(fixture, c + ".gout1"));
        close.check(c + " input gradient", x1.grad(), get(fixture, c + ".grad_x1"));
        for (var p : bn.namedParameters().entrySet()) {
            close.check(c + " gradient of " + p.getKey(), p.getValue().grad(), get(fixture, c + ".grad." + p.getKey()));
        }
        try (var _ = Autograd.noGrad()) {
            bn.call(get(fixture, c + ".x2"));
        }
        Map<String, Tensor> after = prefixed(fixture, c + ".after.");
        assertEquals(after.keySet(), bn.stateDict().keySet());
        for (var e : bn.stateDict().entrySet()) {
            close.check(c + " after two steps: " + e.getKey(), e.getValue(), after.get(e.getKey()));
        }
        bn.eval();
        close.check(c + " eval output", bn.call(get(fixture, c + ".x3")), get(fixture, c + ".out3"));
    }

    /** The fixture's tensor {@code key}, failing with its name when the fixture lacks it. */
    static Tensor get(Map<String, Tensor> fixture, String key) {
        Tensor v = fixture.get(key);
        assertNotNull(v, "fixture has no tensor " + key);
        return v;
    }
}
