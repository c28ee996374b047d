package fathom.nn;

import fathom.Autograd;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = W[i]: rows of the weight W [num, dim] picked by integer indices i of any shape, giving y [*, dim]
 * (PyTorch's {@code nn.Embedding}). W is initialized from N(0, 1), as PyTorch does.
 *
 * <p>With a {@code paddingIdx}, that row starts at zero and receives no gradient, so it stays as it is
 * through training (the output still reads the row's current value, as in PyTorch).
 */
public final class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    /** The padding row (non-negative), or null. */
    public final Integer paddingIdx;
    /** [num, dim]. */
    public final Tensor weight;

    /** A float32 table. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Rng rng) {
        this(numEmbeddings, embeddingDim, paddingIdx, DType.FLOAT32, rng);
    }

    /** {@code paddingIdx} may be negative (counted from the end, as in PyTorch) or null for none. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, DType dtype, Rng rng) {
        if (numEmbeddings <= 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: needs numEmbeddings > 0 and embeddingDim ≥ 0, got " + numEmbeddings + ", " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx " + paddingIdx + " must be within num_embeddings " + numEmbeddings);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = parameter("weight", Tensors.zeros(Shape.of(numEmbeddings, embeddingDim), dtype));
        Init.normal(weight, 0, 1, rng);
        if (this.paddingIdx != null) {
            try (var _ = Autograd.noGrad()) {
                weight.select(0, this.paddingIdx).zeroInPlace();
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor y = Tensor.embedding(input, weight);
        if (paddingIdx == null || !y.requiresGrad()) {
            return y;
        }
        // the same values, but positions holding the padding index take theirs from a detached table: no gradient reaches that row
        Tensor keep = input.ne(Tensors.scalar(paddingIdx, input.dtype())).unsqueeze(-1);
        return Tensor.where(keep, y, y.detach());
    }

    @Override
    public String toString() {
        return "Embedding(" + numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx) + ")";
    }
}
