package fathom.testing;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builders for op specs and their sample inputs: the shapes every element-wise op is tried on (empty,
 * scalar, one element, odd sizes, sizes that are not a multiple of any vector width, broadcasting),
 * each also as a non-contiguous view holding the same values.
 */
public final class Samples {
    /** Shapes for one-input element-wise ops. */
    static final int[][] UNARY_SHAPES = {{}, {1}, {0}, {7}, {3, 5}, {2, 33}, {67}};
    /** Shape pairs for broadcasting binary ops. */
    static final int[][][] BINARY_SHAPES = {
        {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{}, {5}}, {{17}, {}}, {{0, 3}, {3}}, {{2, 33}, {2, 33}}, {{1}, {9}}};

    private Samples() {}

    /** The same values as x in a view whose last dimension has stride 2 (x itself for 0-d and integer tensors). */
    public static Tensor nonContiguous(Tensor x) {
        if (x.dim() == 0 || !x.dtype().isFloating()) {
            return x;
        }
        int[] wide = x.shape().toArray();
        int n = wide[wide.length - 1];
        wide[wide.length - 1] = 2 * n;
        Tensor base = fathom.Tensors.zeros(fathom.Shape.of(wide), x.dtype());
        return base.slice(-1, 0, 2 * n, 2).copyInPlace(x);
    }

    /** Each sample, then each sample with every input made non-contiguous. */
    static List<List<Tensor>> withViews(List<List<Tensor>> samples) {
        List<List<Tensor>> out = new ArrayList<>(samples);
        for (List<Tensor> s : samples) {
            out.add(s.stream().map(Samples::nonContiguous).toList());
        }
        return out;
    }

    static OpSpec unary(String name, Function<Tensor, Tensor> f, Domain domain) {
        return new OpSpec(name, in -> List.of(f.apply(in.get(0))), rng -> {
            List<List<Tensor>> s = new ArrayList<>();
            for (int[] shape : UNARY_SHAPES) {
                s.add(List.of(domain.sample(rng, shape)));
            }
            return withViews(s);
        }, true, 1e-5);
    }

    static OpSpec binary(String name, BiFunction<Tensor, Tensor, Tensor> f, Domain da, Domain db) {
        return new OpSpec(name, in -> List.of(f.apply(in.get(0), in.get(1))), rng -> {
            List<List<Tensor>> s = new ArrayList<>();
            for (int[][] pair : BINARY_SHAPES) {
                s.add(List.of(da.sample(rng, pair[0]), db.sample(rng, pair[1])));
            }
            return withViews(s);
        }, true, 1e-5);
    }

    /** A spec with hand-written samples; {@code gen} returns the inputs of each sample. */
    static OpSpec custom(String name, OpSpec.Fn f, boolean differentiable, Function<Rng, List<List<Tensor>>> gen) {
        return new OpSpec(name, f, rng -> withViews(gen.apply(rng)), differentiable, 1e-5);
    }

    /** A spec whose samples are single tensors of the given shapes. */
    static OpSpec onShapes(String name, Function<Tensor, Tensor> f, Domain d, int[]... shapes) {
        return custom(name, in -> List.of(f.apply(in.get(0))), true, rng -> {
            List<List<Tensor>> s = new ArrayList<>();
            for (int[] shape : shapes) {
                s.add(List.of(d.sample(rng, shape)));
            }
            return s;
        });
    }

    /** int64 values uniform in [0, bound). */
    static Tensor index(Rng rng, long bound, int... shape) {
        return Tensors.randint(rng, 0, bound, shape);
    }

    static int[] dims(int... d) {
        return d;
    }
}
