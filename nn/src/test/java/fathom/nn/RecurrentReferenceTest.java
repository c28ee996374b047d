package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * RNN, LSTM and GRU layers and cells match PyTorch 1.13 on the committed float64 fixtures
 * ({@code reference/make_rnn_fixtures.py}): torch's state dict loads strictly (so parameter names and
 * shapes are PyTorch's), and outputs, final states and the gradients of inputs, initial states and every
 * parameter agree. Cover two layers, both directions, batch-first, initial states, packed sequences of
 * unequal lengths and unbatched input. Each case's configuration here is printed as a torch expression
 * and must equal the one the script evaluated.
 */
class RecurrentReferenceTest {
    private static final double TOL = 1e-9;
    private static Map<String, Tensor> t;
    private static Map<String, String> meta;

    @BeforeAll
    static void load() throws IOException {
        Safetensors.Contents c = FixtureChecks.load("rnn.safetensors");
        t = c.tensors();
        meta = c.metadata();
    }

    private static final RecurrentConfig BIDIR2 = new RecurrentConfig(2, true, false, 0, true);

    /** Case name, the layer (float64), and the options of the run, as the script names them. */
    private record LayerCase(String name, Supplier<RecurrentLayer> layer, List<String> options) {}

    private static List<LayerCase> layerCases() {
        Rng rng = new Rng(5);
        DType f64 = DType.FLOAT64;
        return List.of(
                new LayerCase("rnn", () -> new Rnn(5, 4, Rnn.Nonlinearity.TANH, RecurrentConfig.DEFAULT, f64, rng), List.of()),
                new LayerCase("rnn_relu_2layer_bidir", () -> new Rnn(5, 4, Rnn.Nonlinearity.RELU, BIDIR2, f64, rng), List.of("h0")),
                new LayerCase("rnn_lengths_bidir", () -> new Rnn(5, 4, Rnn.Nonlinearity.TANH, new RecurrentConfig(1, true, false, 0, true), f64, rng),
                        List.of("h0", "lengths")),
                new LayerCase("lstm", () -> new Lstm(5, 4, RecurrentConfig.DEFAULT, f64, rng), List.of()),
                new LayerCase("lstm_nobias", () -> new Lstm(5, 4, new RecurrentConfig(1, false, false, 0, false), f64, rng), List.of("h0", "c0")),
                new LayerCase("lstm_2layer_bidir_batchfirst", () -> new Lstm(5, 4, new RecurrentConfig(2, true, true, 0, true), f64, rng),
                        List.of("h0", "c0")),
                new LayerCase("lstm_lengths_2layer_bidir", () -> new Lstm(5, 4, BIDIR2, f64, rng), List.of("h0", "c0", "lengths")),
                new LayerCase("lstm_lengths_batchfirst", () -> new Lstm(5, 4, new RecurrentConfig(1, true, true, 0, false), f64, rng), List.of("lengths")),
                new LayerCase("lstm_unbatched", () -> new Lstm(5, 4, new RecurrentConfig(2, true, false, 0, false), f64, rng),
                        List.of("h0", "c0", "unbatched")),
                new LayerCase("gru", () -> new Gru(5, 4, RecurrentConfig.DEFAULT, f64, rng), List.of()),
                new LayerCase("gru_2layer_bidir_batchfirst", () -> new Gru(5, 4, new RecurrentConfig(2, true, true, 0, true), f64, rng), List.of("h0")),
                new LayerCase("gru_lengths_bidir_batchfirst", () -> new Gru(5, 4, new RecurrentConfig(1, true, true, 0, true), f64, rng),
                        List.of("h0", "lengths")));
    }

    /** The torch expression that builds the same layer, options in the script's order. */
    static String torchExpression(RecurrentLayer m) {
        String kind = m instanceof Lstm ? "LSTM" : m instanceof Gru ? "GRU" : "RNN";
        RecurrentConfig c = m.config;
        StringBuilder s = new StringBuilder("nn." + kind + "(" + m.inputSize + ", " + m.hiddenSize);
        if (c.numLayers() != 1) {
            s.append(", num_layers=").append(c.numLayers());
        }
        if (m instanceof Rnn r && r.nonlinearity == Rnn.Nonlinearity.RELU) {
            s.append(", nonlinearity='relu'");
        }
        if (!c.bias()) {
            s.append(", bias=False");
        }
        if (c.batchFirst()) {
            s.append(", batch_first=True");
        }
        if (c.bidirectional()) {
            s.append(", bidirectional=True");
        }
        return s.append(")").toString();
    }

    @TestFactory
    Stream<DynamicTest> layers() {
        List<LayerCase> cases = layerCases();
        long fixtureLayers = meta.keySet().stream().filter(k -> !k.contains("cell") && !k.equals("torch_version")).count();
        assertEquals(fixtureLayers, cases.size(), "every layer case of the fixture has a Java case");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + ": " + meta.get(c.name()), () -> checkLayer(c)));
    }

    private void checkLayer(LayerCase lc) {
        String c = lc.name();
        RecurrentLayer m = lc.layer().get();
        StringBuilder desc = new StringBuilder(torchExpression(m));
        lc.options().forEach(o -> desc.append(" | ").append(o));
        assertEquals(meta.get(c), desc.toString(), "the Java case must build what torch evaluated");
        m.loadStateDict(state(c), true);
        m.eval();
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("input", get(c + ".input").detach().requiresGrad(true));
        for (String s : List.of("h0", "c0")) {
            if (lc.options().contains(s)) {
                leaves.put(s, get(c + "." + s).detach().requiresGrad(true));
            }
        }
        Tensor lengths = lc.options().contains("lengths") ? get(c + ".lengths") : null;
        Tensor input = leaves.get("input");
        Tensor out;
        Tensor hn;
        Tensor cn = null;
        switch (m) {
            case Lstm l -> {
                LstmState init = leaves.containsKey("h0") ? new LstmState(leaves.get("h0"), leaves.get("c0")) : null;
                Lstm.Output o = l.run(input, init, lengths);
                out = o.output();
                hn = o.h();
                cn = o.c();
            }
            case Gru g -> {
                Gru.Output o = g.run(input, leaves.get("h0"), lengths);
                out = o.output();
                hn = o.h();
            }
            case Rnn r -> {
                Rnn.Output o = r.run(input, leaves.get("h0"), lengths);
                out = o.output();
                hn = o.h();
            }
        }
        assertClose(c + " output", out, get(c + ".out"));
        assertClose(c + " h_n", hn, get(c + ".h_n"));
        Tensor loss = out.mul(get(c + ".gout")).sum().add(hn.mul(get(c + ".gh")).sum());
        if (cn != null) {
            assertClose(c + " c_n", cn, get(c + ".c_n"));
            loss = loss.add(cn.mul(get(c + ".gc")).sum());
        }
        loss.backward();
        leaves.forEach((k, v) -> assertClose(c + " grad." + k, v.grad(), get(c + ".grad." + k)));
        m.namedParameters().forEach((k, p) -> assertClose(c + " grad." + k, p.grad(), get(c + ".grad." + k)));
    }

    @TestFactory
    Stream<DynamicTest> cells() {
        Rng rng = new Rng(6);
        DType f64 = DType.FLOAT64;
        Map<String, Supplier<RecurrentCell>> cases = new LinkedHashMap<>();
        cases.put("lstm_cell", () -> new LstmCell(5, 4, true, f64, rng));
        cases.put("gru_cell", () -> new GruCell(5, 4, true, f64, rng));
        cases.put("rnn_cell", () -> new RnnCell(5, 4, true, Rnn.Nonlinearity.TANH, f64, rng));
        cases.put("rnn_cell_relu", () -> new RnnCell(5, 4, true, Rnn.Nonlinearity.RELU, f64, rng));
        return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey() + ": " + meta.get(e.getKey()),
                () -> checkCell(e.getKey(), e.getValue().get())));
    }

    private void checkCell(String c, RecurrentCell m) {
        String kind = m instanceof LstmCell ? "LSTMCell" : m instanceof GruCell ? "GRUCell" : "RNNCell";
        boolean relu = m instanceof RnnCell r && r.nonlinearity == Rnn.Nonlinearity.RELU;
        assertEquals(meta.get(c), "nn." + kind + "(5, 4" + (relu ? ", nonlinearity='relu'" : "") + ")");
        m.loadStateDict(state(c), true);
        Tensor x = get(c + ".input").detach().requiresGrad(true);
        Tensor h = get(c + ".h").detach().requiresGrad(true);
        List<Tensor> leaves = new ArrayList<>(List.of(x, h));
        Tensor loss;
        switch (m) {
            case LstmCell l -> {
                Tensor cs = get(c + ".c").detach().requiresGrad(true);
                leaves.add(cs);
                LstmState next = l.forward(x, new LstmState(h, cs));
                assertClose(c + " h1", next.h(), get(c + ".h1"));
                assertClose(c + " c1", next.c(), get(c + ".c1"));
                loss = next.h().mul(get(c + ".gh")).sum().add(next.c().mul(get(c + ".gc")).sum());
            }
            case GruCell g -> {
                Tensor h1 = g.forward(x, h);
                assertClose(c + " h1", h1, get(c + ".h1"));
                loss = h1.mul(get(c + ".gh")).sum();
            }
            case RnnCell r -> {
                Tensor h1 = r.forward(x, h);
                assertClose(c + " h1", h1, get(c + ".h1"));
                loss = h1.mul(get(c + ".gh")).sum();
            }
        }
        loss.backward();
        String[] names = {"input", "h", "c"};
        for (int i = 0; i < leaves.size(); i++) {
            assertClose(c + " grad." + names[i], leaves.get(i).grad(), get(c + ".grad." + names[i]));
        }
        m.namedParameters().forEach((k, p) -> assertClose(c + " grad." + k, p.grad(), get(c + ".grad." + k)));
    }

    private static Map<String, Tensor> state(String c) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        String prefix = c + ".sd.";
        t.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                sd.put(k.substring(prefix.length()), v);
            }
        });
        return sd;
    }

    private static Tensor get(String key) {
        Tensor v = t.get(key);
        assertNotNull(v, "fixture has no tensor " + key);
        return v;
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        assertNotNull(got, what + ": missing (no gradient reached it?)");
        String p = Conformance.differ(got.detach(), want, TOL);
        if (p != null) {
            throw new AssertionError(what + " " + p);
        }
    }
}
