package fathom.testing;

import static fathom.testing.Samples.custom;

import fathom.DType;
import fathom.Normalization;
import fathom.PoolWindow;
import fathom.Pooling;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.Upsampling;
import fathom.Upsampling.Mode;
import fathom.ValuesAndIndices;
import java.util.List;
import java.util.function.Function;

/**
 * Specs of pooling (max with indices, average, adaptive), batch and group normalization, upsampling and
 * pixel shuffle. Max-pooling inputs have distinct values 0.1 apart (a tie is a kink the finite
 * differences would straddle); one spec without gradients holds exact ties and NaNs, so the tie rule
 * and NaN propagation are compared between backends too. Shapes include odd sizes, sizes that are not
 * a multiple of any vector width, padding, dilation and ceil mode.
 */
final class PoolSpecs {
    private PoolSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                maxPool("max_pool2d_k2", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(2)), new int[] {2, 2, 4, 5},
                        new int[] {1, 3, 5, 23}),
                maxPool("max_pool2d_k3s2p1", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(3, 2, 1)), new int[] {2, 2, 7, 6},
                        new int[] {1, 2, 9, 37}),
                maxPool("max_pool2d_dilated_ceil", x -> Pooling.maxPool2dWithIndices(x, new PoolWindow(new int[] {2, 3},
                        new int[] {1, 2}, new int[] {1, 0}, new int[] {2, 1}, true)), new int[] {1, 2, 5, 8}, new int[] {2, 1, 6, 21}),
                maxPool("max_pool2d_unbatched", x -> Pooling.maxPool2dWithIndices(x, PoolWindow.of(3, 1, 1)), new int[] {2, 4, 3}),
                maxPool("max_pool1d", x -> Pooling.maxPool1dWithIndices(x, new PoolWindow(new int[] {3}, new int[] {2}, new int[] {1},
                        new int[] {1}, true)), new int[] {2, 3, 10}, new int[] {1, 2, 41}),
                maxPool("adaptive_max_pool2d", x -> Pooling.adaptiveMaxPool2dWithIndices(x, 3, 2), new int[] {2, 2, 7, 5},
                        new int[] {1, 1, 3, 3}),
                custom("max_pool2d_ties_nan", in -> values(Pooling.maxPool2dWithIndices(in.get(0), PoolWindow.of(3, 1, 1))), false,
                        rng -> List.of(List.of(ties(rng, false, 2, 3, 6, 19)), List.of(ties(rng, true, 1, 2, 5, 5)))),
                onShapes("avg_pool2d_k2", x -> Pooling.avgPool2d(x, 2), new int[] {2, 2, 4, 5}, new int[] {1, 3, 5, 23}),
                onShapes("avg_pool2d_k3s2p1", x -> Pooling.avgPool2d(x, PoolWindow.of(3, 2, 1), true, null), new int[] {2, 2, 7, 6},
                        new int[] {1, 2, 9, 37}),
                onShapes("avg_pool2d_exclude_pad_ceil", x -> Pooling.avgPool2d(x, new PoolWindow(new int[] {3, 2}, new int[] {2},
                        new int[] {1}, new int[] {1}, true), false, null), new int[] {1, 2, 6, 7}, new int[] {2, 1, 5, 23}),
                onShapes("avg_pool2d_divisor", x -> Pooling.avgPool2d(x, PoolWindow.of(2, 1, 1), true, 5), new int[] {1, 2, 4, 3}),
                onShapes("adaptive_avg_pool2d_global", x -> Pooling.adaptiveAvgPool2d(x, 1), new int[] {3, 4, 5, 7},
                        new int[] {2, 3, 6, 37}),
                onShapes("adaptive_avg_pool2d_3x2", x -> Pooling.adaptiveAvgPool2d(x, 3, 2), new int[] {2, 2, 7, 5},
                        new int[] {1, 1, 2, 3}),
                custom("batch_norm_train", in -> List.of(Normalization.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1,
                        1e-5)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 2, 2, 3), positive(rng, 2), Domain.ANY.sample(rng, 2)),
                        List.of(Domain.ANY.sample(rng, 4, 3), positive(rng, 3), Domain.ANY.sample(rng, 3)),
                        List.of(Domain.ANY.sample(rng, 2, 3, 37), positive(rng, 3), Domain.ANY.sample(rng, 3)),
                        List.of(Domain.ANY.sample(rng, 3, 2, 4, 9).mul(3).add(1), positive(rng, 2), Domain.ANY.sample(rng, 2)))),
                custom("batch_norm_train_noaffine", in -> List.of(Normalization.batchNorm(in.get(0), null, null, null, null, true, 0.1,
                        1e-3)), true, rng -> List.of(List.of(Domain.ANY.sample(rng, 2, 3, 3, 2)), List.of(Domain.ANY.sample(rng, 5, 19)))),
                custom("batch_norm_eval", in -> List.of(Normalization.batchNorm(in.get(0), runningStat(in.get(0), 0.5, 0.2),
                        runningStat(in.get(0), 1.5, 0.4), in.get(1), in.get(2), false, 0.1, 1e-5)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 2, 3, 2, 2), positive(rng, 3), Domain.ANY.sample(rng, 3)),
                        List.of(Domain.ANY.sample(rng, 5, 4), positive(rng, 4), Domain.ANY.sample(rng, 4)))),
                custom("group_norm", in -> List.of(Normalization.groupNorm(in.get(0), 2, in.get(1), in.get(2), 1e-5)), true,
                        rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 2, 4, 2, 3), positive(rng, 4), Domain.ANY.sample(rng, 4)),
                        List.of(Domain.ANY.sample(rng, 3, 6), positive(rng, 6), Domain.ANY.sample(rng, 6)))),
                onShapes("upsample_nearest_x2", x -> Upsampling.interpolate(x, new double[] {2}, Mode.NEAREST, false), new int[] {1, 2, 3, 4}),
                onShapes("upsample_nearest_size", x -> Upsampling.interpolate(x, new int[] {5, 3}, Mode.NEAREST, false),
                        new int[] {2, 1, 3, 4}),
                onShapes("upsample_bilinear", x -> Upsampling.interpolate(x, new double[] {1.5, 2}, Mode.BILINEAR, false),
                        new int[] {1, 2, 3, 4}),
                onShapes("upsample_bilinear_corners", x -> Upsampling.interpolate(x, new int[] {4, 7}, Mode.BILINEAR, true),
                        new int[] {2, 1, 3, 4}),
                onShapes("pixel_shuffle", x -> Upsampling.pixelShuffle(x, 2), new int[] {2, 8, 2, 3}),
                onShapes("pixel_unshuffle", x -> Upsampling.pixelUnshuffle(x, 2), new int[] {1, 2, 4, 6}));
    }

    /** Outputs (values, indices); inputs distinct so no window holds a tie. */
    private static OpSpec maxPool(String name, Function<Tensor, ValuesAndIndices> f, int[]... shapes) {
        return custom(name, in -> values(f.apply(in.get(0))), true, rng -> {
            List<List<Tensor>> s = new java.util.ArrayList<>();
            for (int[] shape : shapes) {
                s.add(List.of(distinct(rng, shape)));
            }
            return s;
        });
    }

    private static OpSpec onShapes(String name, Function<Tensor, Tensor> f, int[]... shapes) {
        return Samples.onShapes(name, f, Domain.ANY, shapes);
    }

    private static List<Tensor> values(ValuesAndIndices r) {
        return List.of(r.values(), r.indices());
    }

    /** Values 0.1·(a random permutation of 0..n−1) minus their mean, plus noise below 0.02: pairwise at least 0.06 apart. */
    private static Tensor distinct(Rng rng, int... shape) {
        int n = Shape.of(shape).numel();
        double[] v = Tensors.randperm(rng, n).to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < n; i++) {
            v[i] = 0.1 * v[i] - 0.05 * n + 0.04 * (rng.nextDouble() - 0.5);
        }
        return Tensors.of(v, shape);
    }

    /** Small integers, so windows hold exact ties, with a few NaNs when asked. */
    private static Tensor ties(Rng rng, boolean nans, int... shape) {
        Tensor t = Tensors.randint(rng, -2, 3, shape).to(DType.FLOAT64);
        if (nans) {
            double[] v = t.toDoubleArray();
            v[3] = Double.NaN;
            v[11] = Double.NaN;
            v[12] = Double.NaN;
            t = Tensors.of(v, shape);
        }
        return t;
    }

    private static Tensor positive(Rng rng, int n) {
        return Domain.POSITIVE.sample(rng, n);
    }

    /** A fixed per-channel statistic base + step·c in x's dtype (running statistics are constants, not inputs). */
    private static Tensor runningStat(Tensor x, double base, double step) {
        int c = x.size(1);
        double[] v = new double[c];
        for (int i = 0; i < c; i++) {
            v[i] = base + step * i;
        }
        return Tensors.of(v).to(x.dtype());
    }
}
