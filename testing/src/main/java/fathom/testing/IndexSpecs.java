package fathom.testing;

import static fathom.testing.Samples.custom;
import static fathom.testing.Samples.index;

import fathom.Tensor;
import fathom.Tensors;
import java.util.List;

/** Specs of gather, scatter and the ops built on them. */
final class IndexSpecs {
    private IndexSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                custom("gather_dim1", in -> List.of(in.get(0).gather(1, in.get(1))), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 5), index(rng, 5, 3, 2)))),
                custom("scatter_add_dim0", in -> List.of(in.get(0).scatterAdd(0, in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 5), Tensors.of(new long[] {0, 2, 2, 1, 0, 0, 2, 1, 1, 0}, 2, 5),
                                Domain.ANY.sample(rng, 2, 5)))),
                custom("scatter_dim1", in -> List.of(in.get(0).scatter(1, in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 5), Tensors.of(new long[] {4, 0, 1, 3, 2, 4}, 3, 2), Domain.ANY.sample(rng, 3, 2)))),
                custom("index_select_dim0", in -> List.of(in.get(0).indexSelect(0, in.get(1))), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 4, 3), Tensors.of(new long[] {3, 0, 3, 1, 2})))),
                custom("index_select_dim1", in -> List.of(in.get(0).indexSelect(1, in.get(1))), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 3, 4), index(rng, 4, 2)))),
                custom("one_hot", in -> List.of(in.get(0).oneHot(4)), false, rng -> List.of(List.of(index(rng, 4, 5)))),
                custom("embedding", in -> List.of(Tensor.embedding(in.get(1), in.get(0))), true,
                        rng -> List.of(List.of(Domain.ANY.sample(rng, 6, 3), Tensors.of(new long[] {1, 5, 1, 0, 2, 2, 4, 1}, 2, 4)))));
    }
}
