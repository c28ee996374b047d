package fathom.testing;

import static fathom.testing.Samples.custom;
import static fathom.testing.Samples.onShapes;

import fathom.Tensor;
import java.util.List;

/** Specs of views, joins and copies. */
final class ShapeSpecs {
    private ShapeSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                onShapes("reshape", x -> x.reshape(2, 6), Domain.ANY, new int[] {3, 4}),
                onShapes("reshape_infer", x -> x.reshape(4, -1), Domain.ANY, new int[] {2, 3, 4}),
                onShapes("permute", x -> x.permute(2, 0, 1), Domain.ANY, new int[] {2, 3, 4}),
                onShapes("transpose", x -> x.transpose(0, 2), Domain.ANY, new int[] {2, 3, 4}),
                onShapes("mT", Tensor::mT, Domain.ANY, new int[] {2, 3, 4}),
                onShapes("expand", x -> x.expand(2, 3, 4), Domain.ANY, new int[] {3, 1}),
                onShapes("flip", x -> x.flip(0, 2), Domain.ANY, new int[] {3, 4, 5}),
                onShapes("narrow", x -> x.narrow(0, 1, 3), Domain.ANY, new int[] {5, 4}),
                onShapes("slice_step", x -> x.slice(1, 1, 6, 2), Domain.ANY, new int[] {4, 7}),
                onShapes("select", x -> x.select(1, 2), Domain.ANY, new int[] {3, 4, 5}),
                onShapes("select_neg", x -> x.select(0, -1), Domain.ANY, new int[] {3, 4}),
                custom("chunk", in -> in.get(0).chunk(3, 0), true, rng -> List.of(List.of(Domain.ANY.sample(rng, 7, 3)))),
                custom("split", in -> in.get(0).split(3, 1), true, rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 7)))),
                custom("cat", in -> List.of(Tensor.cat(in, 0)), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 2, 3), Domain.ANY.sample(rng, 4, 3)))),
                custom("cat_dim1", in -> List.of(Tensor.cat(in, 1)), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 2, 3), Domain.ANY.sample(rng, 2, 1)))),
                custom("stack", in -> List.of(Tensor.stack(in, 1)), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 2, 3), Domain.ANY.sample(rng, 2, 3)))),
                onShapes("squeeze", x -> x.squeeze(1), Domain.ANY, new int[] {3, 1, 4}),
                onShapes("unsqueeze", x -> x.unsqueeze(-1), Domain.ANY, new int[] {3, 4}),
                onShapes("flatten", x -> x.flatten(1, -1), Domain.ANY, new int[] {2, 3, 4}),
                onShapes("unflatten", x -> x.unflatten(1, 3, 4), Domain.ANY, new int[] {2, 12}),
                onShapes("contiguous_of_transpose", x -> x.t().contiguous(), Domain.ANY, new int[] {3, 4}),
                onShapes("view_chain", x -> x.permute(1, 0, 2).reshape(-1, 4).flip(0).slice(0, 1, 5, 2).mul(2), Domain.ANY,
                        new int[] {3, 2, 4}));
    }
}
