package fathom.testing;

import static fathom.testing.Samples.custom;

import fathom.Linalg;
import fathom.Tensor;
import java.util.List;

/** Specs of the matrix products and of composites that PyTorch users compute most (losses, linear, layer norm). */
final class LinalgSpecs {
    private LinalgSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                product("matmul_1d1d", Tensor::matmul, new int[] {5}, new int[] {5}),
                product("matmul_2d1d", Tensor::matmul, new int[] {3, 5}, new int[] {5}),
                product("matmul_1d2d", Tensor::matmul, new int[] {5}, new int[] {5, 4}),
                product("matmul_2d2d", Tensor::matmul, new int[] {3, 5}, new int[] {5, 4}),
                product("matmul_3d3d", Tensor::matmul, new int[] {2, 3, 5}, new int[] {2, 5, 4}),
                product("matmul_bcast", Tensor::matmul, new int[] {2, 1, 3, 4}, new int[] {5, 4, 2}),
                product("matmul_3d2d", Tensor::matmul, new int[] {2, 3, 5}, new int[] {5, 4}),
                product("matmul_odd", Tensor::matmul, new int[] {17, 33}, new int[] {33, 9}),
                product("matmul_transposed", (a, b) -> a.mT().matmul(b.mT()), new int[] {6, 3}, new int[] {5, 6}),
                product("bmm", Tensor::bmm, new int[] {2, 3, 5}, new int[] {2, 5, 4}),
                product("outer", Tensor::outer, new int[] {3}, new int[] {4}),
                product("dot", Tensor::dot, new int[] {5}, new int[] {5}),
                custom("cross_entropy", in -> List.of(crossEntropy(in.get(0), in.get(1))), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 4, 5), Samples.index(rng, 5, 4)))),
                custom("nll_loss", in -> List.of(crossEntropy(in.get(0), in.get(1))), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 4, 5), Samples.index(rng, 5, 4)))),
                custom("mse_loss", in -> List.of(in.get(0).sub(in.get(1)).square().mean()), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 4), Domain.ANY.sample(rng, 3, 4)))),
                custom("linear", in -> List.of(Linalg.linear(in.get(0), in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 4, 3), Domain.ANY.sample(rng, 5, 3), Domain.ANY.sample(rng, 5)))),
                custom("linear_3d_nobias", in -> List.of(Linalg.linear(in.get(0), in.get(1), null)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 2, 4, 3), Domain.ANY.sample(rng, 5, 3)))),
                custom("linear_gelu", in -> List.of(Linalg.linearGelu(in.get(0), in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 4, 3), Domain.ANY.sample(rng, 5, 3), Domain.ANY.sample(rng, 5)))),
                custom("linear_gelu_3d_nobias", in -> List.of(Linalg.linearGelu(in.get(0), in.get(1), null)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 2, 4, 3), Domain.ANY.sample(rng, 5, 3)))),
                custom("add_linear", in -> List.of(Linalg.addLinear(in.get(0), in.get(1), in.get(2), in.get(3))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 4, 5), Domain.ANY.sample(rng, 4, 3), Domain.ANY.sample(rng, 5, 3), Domain.ANY.sample(rng, 5)))),
                custom("add_linear_3d_nobias", in -> List.of(Linalg.addLinear(in.get(0), in.get(1), in.get(2), null)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 2, 4, 5), Domain.ANY.sample(rng, 2, 4, 3), Domain.ANY.sample(rng, 5, 3)))),
                custom("linear_no_in_features", in -> List.of(Linalg.linear(in.get(0), in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 4, 0), Domain.ANY.sample(rng, 5, 0), Domain.ANY.sample(rng, 5)))),
                custom("layer_norm", in -> List.of(layerNorm(in.get(0), in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 4), Domain.ANY.sample(rng, 4), Domain.ANY.sample(rng, 4)))),
                Samples.onShapes("tanh_chain", x -> x.tanh().exp().sum(1), Domain.ANY, new int[] {3, 4}));
    }

    private static OpSpec product(String name, java.util.function.BiFunction<Tensor, Tensor, Tensor> f, int[] a, int[] b) {
        return custom(name, in -> List.of(f.apply(in.get(0), in.get(1))), true,
                rng -> List.of(List.of(Domain.ANY.sample(rng, a), Domain.ANY.sample(rng, b))));
    }

    /** Mean over the batch of −log softmax(logits)[target], as PyTorch's cross_entropy. */
    static Tensor crossEntropy(Tensor logits, Tensor target) {
        return logits.logSoftmax(1).gather(1, target.unsqueeze(1)).neg().mean();
    }

    /** (x − mean) / √(var + 1e-5) · weight + bias over the last dimension, the biased variance as PyTorch. */
    static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias) {
        int[] last = {-1};
        Tensor centered = x.sub(x.mean(last, true));
        Tensor var = centered.square().mean(last, true);
        return centered.mul(var.add(1e-5).rsqrt()).mul(weight).add(bias);
    }
}
