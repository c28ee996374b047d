package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Attention;
import fathom.Attention.Causal;
import fathom.DType;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.io.Safetensors;
import fathom.testing.Conformance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attention and the Transformer layers match PyTorch 1.13 on the committed float64 fixtures
 * ({@code reference/make_attention_fixtures.py}): torch's state dicts load into the Fathom modules
 * under their own keys (strict, in torch's order), and outputs, attention weights, input gradients and
 * every parameter gradient agree to 1e-9. Scaled dot-product attention, RMSNorm and rotary embeddings,
 * which torch 1.13 lacks, are checked against the script's hand-written formulas.
 */
class AttentionReferenceTest {
    private static final double TOL = 1e-9;
    private static Map<String, Tensor> t;
    private static Map<String, String> meta;

    @BeforeAll
    static void load() throws IOException {
        Safetensors.Contents c = FixtureChecks.load("attention.safetensors");
        t = c.tensors();
        meta = c.metadata();
    }

    private static Tensor get(String key) {
        Tensor v = t.get(key);
        assertNotNull(v, "fixture has no tensor " + key);
        return v;
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        assertNotNull(got, what + ": missing (no gradient reached it?)");
        assertNull(Conformance.differ(got.detach(), want, TOL), what);
    }

    private static Tensor leaf(String key) {
        return get(key).detach().requiresGrad(true);
    }

    private static void assertMeta(String c, String... fragments) {
        String m = meta.get(c);
        assertNotNull(m, "no metadata for " + c);
        for (String f : fragments) {
            assertTrue(m.contains(f), c + " metadata " + m + " lacks " + f);
        }
    }

    // ---- scaled dot-product attention (torch 2 semantics, by hand) ----

    @Test
    void scaledDotProductAttention() {
        checkSdpa("plain", null, Causal.NONE, null);
        checkSdpa("causal", null, Causal.UPPER_LEFT, null);
        checkSdpa("causal_upper_left_short_query", null, Causal.UPPER_LEFT, null);
        checkSdpa("causal_lower_right", null, Causal.LOWER_RIGHT, null);
        checkSdpa("bool_mask", get("sdpa.bool_mask.mask"), Causal.NONE, null);
        checkSdpa("float_mask", get("sdpa.float_mask.mask"), Causal.NONE, null);
        checkSdpa("scale", null, Causal.NONE, 0.25);
        assertMeta("sdpa.causal_lower_right", "\"causal\": \"lower_right\"");
        assertMeta("sdpa.scale", "\"scale\": 0.25");
    }

    private void checkSdpa(String name, Tensor mask, Causal causal, Double scale) {
        String c = "sdpa." + name;
        Tensor q = leaf(c + ".q");
        Tensor k = leaf(c + ".k");
        Tensor v = leaf(c + ".v");
        Attention.Options o = new Attention.Options(mask, null, causal, 0, scale);
        Tensor out = Attention.scaledDotProduct(q, k, v, o, null);
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " grad q", q.grad(), get(c + ".grad_q"));
        assertClose(c + " grad k", k.grad(), get(c + ".grad_k"));
        assertClose(c + " grad v", v.grad(), get(c + ".grad_v"));
        Tensor composite = Attention.scaledDotProductComposite(q.detach(), k.detach(), v.detach(), o, null);
        assertClose(c + " composite output", composite, get(c + ".out"));
    }

    // ---- modules: state dicts in, outputs and gradients out ----

    private static Map<String, Tensor> stateDict(String c) {
        String prefix = c + ".sd.";
        Map<String, Tensor> sd = new LinkedHashMap<>();
        t.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                sd.put(k.substring(prefix.length()), v);
            }
        });
        assertTrue(!sd.isEmpty(), c + " has no state dict");
        return sd;
    }

    /** Loads torch's state dict strictly and checks the key order matches. */
    private static <M extends Module> M loaded(String c, M module) {
        Map<String, Tensor> sd = stateDict(c);
        assertEquals(List.copyOf(sd.keySet()), List.copyOf(module.stateDict().keySet()), c + " state-dict keys");
        module.loadStateDict(sd, true);
        return module;
    }

    private static void checkParameterGrads(String c, Module m) {
        List<String> checked = new ArrayList<>();
        m.namedParameters().forEach((k, p) -> {
            assertClose(c + " grad of " + k, p.grad(), get(c + ".grad." + k));
            checked.add(k);
        });
        assertTrue(checked.size() >= 2, c + ": parameters checked " + checked);
    }

    @Test
    void multiheadAttentionSelfSequenceFirst() {
        String c = "mha.self_seq_first";
        assertMeta(c, "\"batch_first\": false");
        MultiheadAttention m = loaded(c, new MultiheadAttention(8, 2, 0.0, true, false, DType.FLOAT64, new Rng(0)));
        Tensor x = leaf(c + ".query");
        MultiheadAttention.Output r = m.forward(x, x, x);
        assertClose(c + " output", r.output(), get(c + ".out"));
        assertClose(c + " weights", r.weights(), get(c + ".weights"));
        r.output().backward(get(c + ".gout"));
        assertClose(c + " grad query", x.grad(), get(c + ".grad_query"));
        checkParameterGrads(c, m);
    }

    @Test
    void multiheadAttentionCrossBatchFirstWithMasksAndPerHeadWeights() {
        String c = "mha.cross_batch_first_masks";
        assertMeta(c, "\"batch_first\": true", "\"average\": false");
        MultiheadAttention m = loaded(c, new MultiheadAttention(8, 2, 0.0, true, true, DType.FLOAT64, new Rng(0)));
        Tensor q = leaf(c + ".query");
        Tensor k = leaf(c + ".key");
        Tensor v = leaf(c + ".value");
        MultiheadAttention.Output r = m.forward(q, k, v, get(c + ".key_padding_mask"), true, get(c + ".attn_mask"), false, false);
        assertClose(c + " output", r.output(), get(c + ".out"));
        assertClose(c + " weights", r.weights(), get(c + ".weights"));
        r.output().backward(get(c + ".gout"));
        assertClose(c + " grad query", q.grad(), get(c + ".grad_query"));
        assertClose(c + " grad key", k.grad(), get(c + ".grad_key"));
        assertClose(c + " grad value", v.grad(), get(c + ".grad_value"));
        checkParameterGrads(c, m);
    }

    @Test
    void multiheadAttentionFloatMaskPerHeadWithoutWeights() {
        String c = "mha.float_mask_per_head";
        MultiheadAttention m = loaded(c, new MultiheadAttention(8, 2, 0.0, true, false, DType.FLOAT64, new Rng(0)));
        Tensor q = leaf(c + ".query");
        Tensor k = leaf(c + ".key");
        Tensor v = leaf(c + ".value");
        MultiheadAttention.Output r = m.forward(q, k, v, null, false, get(c + ".attn_mask"), true, false);
        assertNull(r.weights());
        assertClose(c + " output", r.output(), get(c + ".out"));
        r.output().backward(get(c + ".gout"));
        assertClose(c + " grad query", q.grad(), get(c + ".grad_query"));
        assertClose(c + " grad key", k.grad(), get(c + ".grad_key"));
        assertClose(c + " grad value", v.grad(), get(c + ".grad_value"));
        checkParameterGrads(c, m);
    }

    @Test
    void multiheadAttentionUnbatchedWithoutBias() {
        String c = "mha.unbatched_no_bias";
        MultiheadAttention m = loaded(c, new MultiheadAttention(8, 2, 0.0, false, false, DType.FLOAT64, new Rng(0)));
        Tensor q = leaf(c + ".query");
        Tensor k = leaf(c + ".key");
        Tensor v = leaf(c + ".value");
        MultiheadAttention.Output r = m.forward(q, k, v);
        assertClose(c + " output", r.output(), get(c + ".out"));
        assertClose(c + " weights", r.weights(), get(c + ".weights"));
        r.output().backward(get(c + ".gout"));
        assertClose(c + " grad key", k.grad(), get(c + ".grad_key"));
        checkParameterGrads(c, m);
    }

    @Test
    void multiheadAttentionWithOtherKeyAndValueWidths() {
        String c = "mha.kdim_vdim";
        assertMeta(c, "\"kdim\": 6", "\"vdim\": 5");
        MultiheadAttention m = loaded(c, new MultiheadAttention(8, 2, 0.0, true, true, 6, 5, DType.FLOAT64, new Rng(0)));
        assertNull(m.inProjWeight);
        Tensor q = leaf(c + ".query");
        Tensor k = leaf(c + ".key");
        Tensor v = leaf(c + ".value");
        MultiheadAttention.Output r = m.forward(q, k, v, get(c + ".key_padding_mask"), true, null, true, false);
        assertClose(c + " output", r.output(), get(c + ".out"));
        assertClose(c + " weights", r.weights(), get(c + ".weights"));
        r.output().backward(get(c + ".gout"));
        assertClose(c + " grad query", q.grad(), get(c + ".grad_query"));
        assertClose(c + " grad key", k.grad(), get(c + ".grad_key"));
        assertClose(c + " grad value", v.grad(), get(c + ".grad_value"));
        checkParameterGrads(c, m);
        ShapeException e = assertThrows(ShapeException.class, () -> m.forward(q, v, v));
        assertTrue(e.getMessage().contains("key [S, N, 6]"), e.getMessage());
    }

    private static TransformerConfig config(boolean gelu, boolean batchFirst, boolean normFirst) {
        return new TransformerConfig(8, 2, 16, 0.0, gelu ? TransformerConfig.Activation.GELU : TransformerConfig.Activation.RELU,
                1e-5, batchFirst, normFirst);
    }

    @Test
    void encoderLayersPostAndPreNorm() {
        checkEncoderLayer("enc.post_norm_relu", config(false, false, false));
        checkEncoderLayer("enc.pre_norm_gelu_batch_first", config(true, true, true));
        assertMeta("enc.pre_norm_gelu_batch_first", "\"norm_first\": true", "\"activation\": \"gelu\"");
    }

    private void checkEncoderLayer(String c, TransformerConfig config) {
        TransformerEncoderLayer layer = loaded(c, new TransformerEncoderLayer(config, DType.FLOAT64, new Rng(0)));
        Tensor src = leaf(c + ".src");
        Tensor out = layer.forward(src, get(c + ".src_mask"), get(c + ".src_key_padding_mask"), false);
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " grad src", src.grad(), get(c + ".grad_src"));
        checkParameterGrads(c, layer);
    }

    @Test
    void decoderLayersPostAndPreNorm() {
        checkDecoderLayer("dec.post_norm_relu", config(false, false, false));
        checkDecoderLayer("dec.pre_norm_gelu_batch_first", config(true, true, true));
    }

    private void checkDecoderLayer(String c, TransformerConfig config) {
        TransformerDecoderLayer layer = loaded(c, new TransformerDecoderLayer(config, DType.FLOAT64, new Rng(0)));
        Tensor tgt = leaf(c + ".tgt");
        Tensor memory = leaf(c + ".memory");
        Tensor out = layer.forward(tgt, memory, get(c + ".tgt_mask"), null, null, get(c + ".memory_key_padding_mask"), false, false);
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " grad tgt", tgt.grad(), get(c + ".grad_tgt"));
        assertClose(c + " grad memory", memory.grad(), get(c + ".grad_memory"));
        checkParameterGrads(c, layer);
    }

    @Test
    void encoderAndDecoderStacksWithFinalNorm() {
        String c = "enc_stack";
        assertMeta(c, "\"num_layers\": 2");
        TransformerEncoder enc = loaded(c, new TransformerEncoder(new TransformerEncoderLayer(config(false, false, true), DType.FLOAT64,
                new Rng(0)), 2, new LayerNorm(new int[] {8}, 1e-5, true, DType.FLOAT64), new Rng(1)));
        Tensor src = leaf(c + ".src");
        Tensor out = enc.forward(src, get(c + ".mask"), null, false);
        assertClose(c + " output", out, get(c + ".out"));
        out.backward(get(c + ".gout"));
        assertClose(c + " grad src", src.grad(), get(c + ".grad_src"));
        checkParameterGrads(c, enc);

        String d = "dec_stack";
        TransformerDecoder dec = loaded(d, new TransformerDecoder(new TransformerDecoderLayer(config(false, false, false), DType.FLOAT64,
                new Rng(0)), 2, new LayerNorm(new int[] {8}, 1e-5, true, DType.FLOAT64), new Rng(1)));
        Tensor tgt = leaf(d + ".tgt");
        Tensor memory = leaf(d + ".memory");
        Tensor y = dec.forward(tgt, memory);
        assertClose(d + " output", y, get(d + ".out"));
        y.backward(get(d + ".gout"));
        assertClose(d + " grad tgt", tgt.grad(), get(d + ".grad_tgt"));
        assertClose(d + " grad memory", memory.grad(), get(d + ".grad_memory"));
        checkParameterGrads(d, dec);
    }

    // ---- normalization and position encodings ----

    @Test
    void rmsNorm() {
        for (String name : new String[] {"eps", "default_eps"}) {
            String c = "rms_norm." + name;
            RmsNorm norm = new RmsNorm(new int[] {6}, name.equals("eps") ? 1e-6 : null, true, DType.FLOAT64);
            norm.loadStateDict(Map.of("weight", get(c + ".weight")), true);
            Tensor x = leaf(c + ".x");
            Tensor out = norm.call(x);
            assertClose(c + " output", out, get(c + ".out"));
            out.backward(get(c + ".gout"));
            assertClose(c + " grad x", x.grad(), get(c + ".grad_x"));
            assertClose(c + " grad weight", norm.weight.grad(), get(c + ".grad_weight"));
        }
    }

    @Test
    void sinusoidalTableIsTheTutorials() {
        SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(6, 0.0, 10, false, new Rng(0));
        assertEquals(List.of("pe"), List.copyOf(pe.stateDict().keySet()));
        // torch computes the table in float32 (sin of a float32 angle); Fathom in double, rounded once
        assertNull(Conformance.differ(pe.pe.to(DType.FLOAT64), get("sinusoidal.pe"), 1e-6));
    }

    @Test
    void rotaryEmbeddingAtAnOffset() {
        RotaryEmbedding rope = new RotaryEmbedding(8);
        assertEquals(List.of(), List.copyOf(rope.stateDict().keySet()), "inv_freq is a non-persistent buffer");
        assertClose("rotary", rope.apply(get("rotary.x"), 3), get("rotary.out"));
    }
}
