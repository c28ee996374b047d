package fathom.testing;

import static fathom.testing.Samples.custom;

import fathom.Attention;
import fathom.Attention.Causal;
import fathom.Attention.Options;
import fathom.Normalization;
import fathom.Rng;
import fathom.Tensor;
import java.util.List;

/**
 * Specs of the fused attention and layer-norm ops: gradient checks run the backend default (the
 * composite), and conformance compares each fast kernel with it, over masks, causal variants, dropout,
 * key counts beyond one tile, and q/k/v read through strided views as multi-head attention makes them.
 */
final class AttentionSpecs {
    private AttentionSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                sdpa("sdpa", Options.NONE, 2, 3, 5, 6, 4, 3),
                sdpa("sdpa_causal", Options.causal(Causal.UPPER_LEFT), 2, 2, 7, 7, 4, 4),
                sdpa("sdpa_causal_upper_left_short_query", Options.causal(Causal.UPPER_LEFT), 1, 2, 3, 6, 4, 4),
                sdpa("sdpa_causal_lower_right", Options.causal(Causal.LOWER_RIGHT), 1, 2, 3, 6, 4, 4),
                // Tq > Tk lower-right: the first two queries have no key left and give 0
                sdpa("sdpa_causal_lower_right_empty_rows", Options.causal(Causal.LOWER_RIGHT), 1, 1, 5, 3, 3, 2),
                sdpa("sdpa_scale", new Options(null, null, Causal.NONE, 0, 0.3), 1, 2, 4, 5, 3, 3),
                sdpa("sdpa_odd_sizes", Options.causal(Causal.UPPER_LEFT), 1, 1, 11, 19, 9, 7),
                sdpa("sdpa_many_keys", Options.NONE, 1, 1, 2, 150, 3, 2),
                sdpa("sdpa_dropout", new Options(null, null, Causal.UPPER_LEFT, 0.3, null), 2, 2, 6, 6, 4, 4),
                custom("sdpa_bool_mask", in -> List.of(Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2),
                        new Options(in.get(3), null, Causal.NONE, 0, null), null)), true, rng -> List.of(
                        List.of(x(rng, 2, 2, 4, 3), x(rng, 2, 2, 5, 3), x(rng, 2, 2, 5, 3), Domain.ANY.sample(rng, 4, 5).gt(-0.8)))),
                custom("sdpa_float_mask", in -> {
                    Tensor q = in.get(0);
                    // a constant of the op, drawn here: a float input would be differentiated by the checks
                    Tensor mask = Domain.ANY.sample(new Rng(11), 2, 1, 4, 5).to(q.dtype());
                    return List.of(Attention.scaledDotProduct(q, in.get(1), in.get(2), new Options(mask, null, Causal.UPPER_LEFT, 0, null), null));
                }, true, rng -> List.of(List.of(x(rng, 2, 3, 4, 3), x(rng, 2, 3, 5, 3), x(rng, 2, 3, 5, 2)))),
                custom("sdpa_key_padding", in -> List.of(Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2),
                        new Options(null, in.get(3), Causal.NONE, 0, null), null)), true, rng -> List.of(
                        List.of(x(rng, 2, 2, 3, 4), x(rng, 2, 2, 6, 4), x(rng, 2, 2, 6, 4), padding()))),
                // q, k and v as multi-head attention reads them: [B, T, H, D] views transposed to [B, H, T, D]
                custom("sdpa_head_views", in -> List.of(Attention.scaledDotProduct(in.get(0).transpose(1, 2),
                        in.get(1).transpose(1, 2), in.get(2).transpose(1, 2), Options.causal(Causal.UPPER_LEFT), null)), true,
                        rng -> List.of(List.of(x(rng, 2, 5, 3, 4), x(rng, 2, 5, 3, 4), x(rng, 2, 5, 3, 4)))),
                // q, k and v side by side in one [B, T, 3·E] input, as one projection makes them
                packed("sdpa_packed", Options.NONE, 1, 4, 3, 2),
                packed("sdpa_packed_causal", Options.causal(Causal.UPPER_LEFT), 2, 5, 2, 4),
                packed("sdpa_packed_dropout", new Options(null, null, Causal.LOWER_RIGHT, 0.3, null), 2, 6, 2, 3),
                layerNorm("layer_norm_fused", new int[] {3, 5, 4}, 1, true),
                layerNorm("layer_norm_fused_two_dims", new int[] {2, 3, 4}, 2, true),
                layerNorm("layer_norm_fused_plain", new int[] {4, 37}, 1, false),
                layerNorm("layer_norm_fused_wide", new int[] {3, 70}, 1, true));
    }

    private static Tensor x(Rng rng, int... shape) {
        return Domain.ANY.sample(rng, shape);
    }

    /** Key padding for B = 2, Tk = 6: batch 0 pads its last two keys, batch 1 its first. */
    private static Tensor padding() {
        return fathom.Tensors.of(new boolean[] {false, false, false, false, true, true, true, false, false, false, false, false}, 2, 6);
    }

    private static OpSpec sdpa(String name, Options o, int b, int h, int tq, int tk, int d, int dv) {
        return custom(name, in -> List.of(Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), o,
                o.dropoutP() > 0 ? new Rng(5) : null)), true,
                rng -> List.of(List.of(x(rng, b, h, tq, d), x(rng, b, h, tk, d), x(rng, b, h, tk, dv))));
    }

    private static OpSpec packed(String name, Options o, int b, int t, int heads, int d) {
        return custom(name, in -> List.of(Attention.scaledDotProductPacked(in.get(0), heads, o, o.dropoutP() > 0 ? new Rng(5) : null)), true,
                rng -> List.of(List.of(x(rng, b, t, 3 * heads * d))));
    }

    private static OpSpec layerNorm(String name, int[] shape, int normalizedDims, boolean affine) {
        int[] ns = java.util.Arrays.copyOfRange(shape, shape.length - normalizedDims, shape.length);
        return custom(name, in -> List.of(Normalization.layerNorm(in.get(0), ns, affine ? in.get(1) : null, affine ? in.get(2) : null, 1e-5)),
                true, rng -> List.of(affine ? List.of(x(rng, shape), x(rng, ns), x(rng, ns)) : List.of(x(rng, shape))));
    }
}
