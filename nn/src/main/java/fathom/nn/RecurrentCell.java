package fathom.nn;

import fathom.DType;
import fathom.Linalg;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * One step of a recurrent layer, as PyTorch's {@code RNNCellBase}: {@link RnnCell}, {@link LstmCell} and
 * {@link GruCell}. Input [B, inputSize] (or [inputSize] unbatched) and state [B, H] (or [H]).
 *
 * <p>Parameters {@code weight_ih} [G·H, inputSize], {@code weight_hh} [G·H, H], {@code bias_ih} and
 * {@code bias_hh} [G·H] (G = 1, 4 or 3, gates in PyTorch's order), all from U(−1/√H, 1/√H) as PyTorch.
 */
public abstract sealed class RecurrentCell extends Module permits RnnCell, LstmCell, GruCell {
    public final int inputSize;
    public final int hiddenSize;
    /** [G·H, inputSize]. */
    public final Tensor weightIh;
    /** [G·H, H]. */
    public final Tensor weightHh;
    /** [G·H], or null without bias. */
    public final Tensor biasIh;
    /** [G·H], or null without bias. */
    public final Tensor biasHh;

    RecurrentCell(int gates, int inputSize, int hiddenSize, boolean bias, DType dtype, Rng rng) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be at least 1, got "
                    + inputSize + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int width = gates * hiddenSize;
        weightIh = parameter("weight_ih", Tensors.zeros(Shape.of(width, inputSize), dtype));
        weightHh = parameter("weight_hh", Tensors.zeros(Shape.of(width, hiddenSize), dtype));
        biasIh = bias ? parameter("bias_ih", Tensors.zeros(Shape.of(width), dtype)) : null;
        biasHh = bias ? parameter("bias_hh", Tensors.zeros(Shape.of(width), dtype)) : null;
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Tensor t : new Tensor[] {weightIh, weightHh, biasIh, biasHh}) {
            if (t != null) {
                Init.uniform(t, -bound, bound, rng);
            }
        }
    }

    /** x·W_ihᵀ + b_ih, [B, G·H]. */
    final Tensor inputProjection(Tensor x) {
        return Linalg.linear(x, weightIh, biasIh);
    }

    /** h·W_hhᵀ + b_hh, [B, G·H]. */
    final Tensor hiddenProjection(Tensor h) {
        return Linalg.linear(h, weightHh, biasHh);
    }

    /** x as [B, inputSize]: an unbatched [inputSize] input gains a batch of one. */
    final Tensor batchedInput(Tensor x) {
        if (x.dim() != 1 && x.dim() != 2 || x.size(-1) != inputSize) {
            throw new ShapeException(getClass().getSimpleName() + ": expected input [B, " + inputSize + "] or [" + inputSize + "], got " + x.shape());
        }
        return x.dim() == 1 ? x.unsqueeze(0) : x;
    }

    /** A state [B, H] (or [H] when unbatched; zeros when null) as [B, H]. */
    final Tensor batchedState(String what, Tensor s, Tensor x, boolean batched) {
        int batch = batched ? x.size(0) : 1;
        if (s == null) {
            return Tensors.zeros(Shape.of(batch, hiddenSize), x.dtype());
        }
        Shape want = batched ? Shape.of(batch, hiddenSize) : Shape.of(hiddenSize);
        if (!s.shape().equals(want)) {
            throw new ShapeException(getClass().getSimpleName() + ": " + what + " must be " + want + " for input " + x.shape() + ", got " + s.shape());
        }
        return batched ? s : s.unsqueeze(0);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "") + ")";
    }
}
