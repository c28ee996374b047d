package fathom.testing;

import static fathom.testing.Samples.dims;
import static fathom.testing.Samples.onShapes;

import fathom.Tensor;
import java.util.List;

/** Specs of reductions, cumsum and softmax. */
final class ReductionSpecs {
    private static final int[][] SHAPES = {{3, 4, 5}, {2, 17, 3}, {1, 2, 9}};

    private ReductionSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                onShapes("sum_all", Tensor::sum, Domain.ANY, new int[] {3, 4, 5}, new int[] {}, new int[] {0}, new int[] {67}),
                on("sum_dim1", x -> x.sum(1)),
                on("sum_dims02_keep", x -> x.sum(dims(0, 2), true)),
                on("sum_neg", x -> x.sum(-1)),
                on("mean_dim2", x -> x.mean(2)),
                on("mean_all", Tensor::mean),
                on("var_dim1", x -> x.var(dims(1), 1, false)),
                on("var_dim1_c0", x -> x.var(dims(1), 0, false)),
                on("std_dim2", x -> x.std(dims(2), 1, false)),
                on("amax_dims12", x -> x.amax(dims(1, 2), false)),
                Samples.custom("max_dim1", in -> {
                    var r = in.get(0).max(1, false);
                    return List.of(r.values(), r.indices());
                }, true, rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 4, 5)), List.of(Domain.ANY.sample(rng, 2, 17, 3)))),
                Samples.custom("min_dim0", in -> {
                    var r = in.get(0).min(0, false);
                    return List.of(r.values(), r.indices());
                }, true, rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 4, 5)), List.of(Domain.ANY.sample(rng, 2, 17, 3)))),
                nonDiff("argmax_dim2", x -> x.argmax(2, false)),
                nonDiff("argmin_all", Tensor::argmin),
                on("logsumexp_dim1", x -> x.logSumExp(dims(1), false)),
                Samples.onShapes("prod_dim1", x -> x.prod(1, false), Domain.POSITIVE, SHAPES),
                Samples.custom("prod_with_zero", in -> List.of(in.get(0).mul(in.get(1)).prod(1, false)), true, rng -> List.of(
                        List.of(Domain.POSITIVE.sample(rng, 3, 4), fathom.Tensors.of(new double[] {1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1}, 3, 4)))),
                on("norm_all", Tensor::norm),
                on("norm1_dim2", x -> x.norm(1, dims(2), false)),
                on("norm_inf", x -> x.norm(Double.POSITIVE_INFINITY, dims(0), true)),
                on("cumsum_dim1", x -> x.cumsum(1)),
                on("softmax_last", x -> x.softmax(-1)),
                on("softmax_dim0", x -> x.softmax(0)),
                on("log_softmax_last", x -> x.logSoftmax(-1)),
                on("log_softmax_dim1", x -> x.logSoftmax(1)));
    }

    private static OpSpec on(String name, java.util.function.Function<Tensor, Tensor> f) {
        return onShapes(name, f, Domain.ANY, SHAPES);
    }

    private static OpSpec nonDiff(String name, java.util.function.Function<Tensor, Tensor> f) {
        return Samples.custom(name, in -> List.of(f.apply(in.get(0))), false,
                rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 4, 5)), List.of(Domain.ANY.sample(rng, 2, 17, 3))));
    }
}
