package fathom.nn;

import fathom.DType;
import fathom.Linalg;
import fathom.Recurrent;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.RecurrentMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stack of recurrent layers, as PyTorch's {@code RNNBase}: {@link Rnn}, {@link Lstm} and {@link Gru}
 * differ only in their cell. Input [T, B, inputSize] ([B, T, inputSize] with {@code batchFirst}, or
 * [T, inputSize] unbatched) gives output [T, B, D·H] (likewise batch-first or unbatched) and final
 * states [L·D, B, H] for L layers and D directions.
 *
 * <p>Parameters carry PyTorch's names and shapes: {@code weight_ih_l{k}} [G·H, in], {@code weight_hh_l{k}}
 * [G·H, H], {@code bias_ih_l{k}} and {@code bias_hh_l{k}} [G·H], with the suffix {@code _reverse} for the
 * backward direction, where G is 1 (RNN), 4 (LSTM gates i, f, g, o) or 3 (GRU gates r, z, n); every one
 * is initialized from U(−1/√H, 1/√H), as PyTorch does.
 *
 * <p>Each layer and direction computes its input projection for all steps in one product and then runs
 * {@link Recurrent#sequence}, one node in the autograd graph. With per-sequence lengths, steps past a
 * sequence's length output zero and leave its state alone (the final states are each sequence's state
 * after its last real step, and the reverse direction starts there), as PyTorch's packed sequences do;
 * the output keeps all T steps, as {@code pad_packed_sequence(..., total_length=T)} would.
 */
public abstract sealed class RecurrentLayer extends Module permits Rnn, Lstm, Gru {
    public final int inputSize;
    public final int hiddenSize;
    public final RecurrentConfig config;
    private final RecurrentMode mode;
    /** Per layer and direction (index l·D + d): weight_ih, weight_hh, bias_ih, bias_hh (biases null without bias). */
    private final Tensor[][] weights;
    private final Rng rng;

    RecurrentLayer(RecurrentMode mode, int inputSize, int hiddenSize, RecurrentConfig config, DType dtype, Rng rng) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be at least 1, got "
                    + inputSize + " and " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.config = config;
        this.mode = mode;
        this.rng = generator("rng", rng);
        int dirs = config.directions();
        int width = mode.gates() * hiddenSize;
        weights = new Tensor[config.numLayers() * dirs][];
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int l = 0; l < config.numLayers(); l++) {
            int in = l == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                Tensor[] w = {
                    parameter("weight_ih" + suffix, Tensors.zeros(Shape.of(width, in), dtype)),
                    parameter("weight_hh" + suffix, Tensors.zeros(Shape.of(width, hiddenSize), dtype)),
                    config.bias() ? parameter("bias_ih" + suffix, Tensors.zeros(Shape.of(width), dtype)) : null,
                    config.bias() ? parameter("bias_hh" + suffix, Tensors.zeros(Shape.of(width), dtype)) : null};
                for (Tensor t : w) {
                    if (t != null) {
                        Init.uniform(t, -bound, bound, rng);
                    }
                }
                weights[l * dirs + d] = w;
            }
        }
    }

    /** The output [T, B, D·H] (batch-first or unbatched as the input) of a run from zero states. */
    @Override
    public Tensor forward(Tensor input) {
        return runStack(input, null, null, null)[0];
    }

    /**
     * Runs every layer: {output, h_n, c_n (null unless LSTM)}. h0 and c0 are [L·D, B, H] ([L·D, H]
     * unbatched) or null for zeros; lengths (one per sequence, 1..T) may be null.
     */
    final Tensor[] runStack(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        String name = getClass().getSimpleName();
        if (input.dim() != 2 && input.dim() != 3) {
            throw new ShapeException(name + ": expected input of 2 (unbatched) or 3 dimensions, got " + input.shape());
        }
        if (input.size(-1) != inputSize) {
            throw new ShapeException(name + ": input.size(-1) must be equal to inputSize " + inputSize + ", got " + input.shape());
        }
        boolean batched = input.dim() == 3;
        boolean batchFirst = batched && config.batchFirst();
        Tensor x = batched ? input : input.unsqueeze(1);
        return runLayers(x, null, batchFirst ? x.size(1) : x.size(0), batchFirst ? x.size(0) : x.size(1), batched, h0, c0, lengths);
    }

    /**
     * {@link #runStack} on {@code embedding(tokens)}, with the first layer's input projection looked up
     * in the table E·W_ihᵀ + b_ih [V, G·H] when that is the cheaper way (V ≤ T·B): the product then costs
     * V·E·G·H multiply-adds instead of T·B·E·G·H, and so does each gradient. Tokens [T, B] ([B, T]
     * batch-first, [T] unbatched). An embedding with a padding index is run unfused, since its padding
     * row must receive no gradient.
     */
    final Tensor[] runStackTokens(Embedding embedding, Tensor tokens, Tensor h0, Tensor c0, int[] lengths) {
        String name = getClass().getSimpleName();
        if (embedding.embeddingDim != inputSize) {
            throw new ShapeException(name + ": the embedding's dimension " + embedding.embeddingDim + " must equal inputSize " + inputSize);
        }
        if (tokens.dtype().isFloating() || tokens.dim() != 1 && tokens.dim() != 2) {
            throw new ShapeException(name + ": expected integer tokens [T, B] ([B, T] batch-first, [T] unbatched), got "
                    + tokens.dtype() + " " + tokens.shape());
        }
        if (embedding.paddingIdx != null || embedding.numEmbeddings > tokens.numel()) {
            return runStack(embedding.call(tokens), h0, c0, lengths);
        }
        boolean batched = tokens.dim() == 2;
        Tensor timeMajor = !batched ? tokens.unsqueeze(1) : config.batchFirst() ? tokens.t() : tokens; // [T, B]
        Tensor[] projected = new Tensor[config.directions()];
        for (int d = 0; d < projected.length; d++) {
            Tensor[] w = weights[d];
            Tensor table = embedding.weight.matmul(w[0].t()); // [V, G·H]
            projected[d] = Tensor.embedding(timeMajor, w[2] == null ? table : table.add(w[2])); // [T, B, G·H]
        }
        return runLayers(null, projected, timeMajor.size(0), timeMajor.size(1), batched, h0, c0, lengths);
    }

    /**
     * The layers on x ([T, B, F], or [B, T, F] batch-first), or, when {@code projected} is given, on the
     * first layer's input projections [T, B, G·H] (one per direction) computed beforehand.
     */
    private Tensor[] runLayers(Tensor x, Tensor[] projected, int steps, int batch, boolean batched, Tensor h0, Tensor c0, int[] lengths) {
        String name = getClass().getSimpleName();
        boolean batchFirst = batched && config.batchFirst();
        int dirs = config.directions();
        int layers = config.numLayers();
        Shape stateShape = batched ? Shape.of(layers * dirs, batch, hiddenSize) : Shape.of(layers * dirs, hiddenSize);
        Tensor h = checkState(name + " h0", h0, stateShape, batched);
        Tensor c = mode == RecurrentMode.LSTM ? checkState(name + " c0", c0, stateShape, batched) : null;
        if (lengths != null && !batched) {
            throw new IllegalArgumentException(name + ": lengths need a batched input, got an unbatched one of " + steps + " steps");
        }
        if (steps == 0) {
            throw new ShapeException(name + ": expected a sequence of at least one step, got " + steps);
        }
        List<Tensor> hn = new ArrayList<>();
        List<Tensor> cn = new ArrayList<>();
        Tensor layerInput = x;
        for (int l = 0; l < layers; l++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int k = l * dirs + d;
                Tensor[] w = weights[k];
                Tensor xg = l == 0 && projected != null ? projected[d] : projection(layerInput, w[0], w[2], l == 0 && batchFirst);
                Tensor states = Recurrent.sequence(mode, xg, w[1], w[3], h == null ? null : h.select(0, k),
                        c == null ? null : c.select(0, k), lengths, d == 1);
                // one flat view and a slice each, rather than chains of select and narrow: the backward of
                // each view op materializes a zero tensor of its input's full size
                Tensor flat = states.reshape(-1);
                int row = batch * hiddenSize;
                outs.add(flat.narrow(0, 0, steps * row).view(steps, batch, hiddenSize));
                hn.add(flat.narrow(0, steps * row, row).view(batch, hiddenSize));
                if (mode == RecurrentMode.LSTM) {
                    cn.add(flat.narrow(0, (2 * steps + 1) * row, row).view(batch, hiddenSize));
                }
            }
            layerInput = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
            if (l < layers - 1 && isTraining() && config.dropout() > 0) {
                layerInput = dropout(layerInput);
            }
        }
        Tensor output = batchFirst ? layerInput.transpose(0, 1) : layerInput;
        Tensor hOut = Tensor.stack(hn, 0);
        Tensor cOut = cn.isEmpty() ? null : Tensor.stack(cn, 0);
        if (!batched) {
            output = output.squeeze(1);
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        }
        return new Tensor[] {output, hOut, cOut};
    }

    /** x·W_ihᵀ + b_ih for every step at once, [T, B, G·H]; a batch-first input is multiplied as it lies and viewed time-major. */
    private static Tensor projection(Tensor x, Tensor wIh, Tensor bIh, boolean batchFirst) {
        Tensor xg = Linalg.linear(x, wIh, bIh);
        return batchFirst ? xg.transpose(0, 1) : xg;
    }

    private static Tensor checkState(String what, Tensor s, Shape want, boolean batched) {
        if (s == null) {
            return null;
        }
        if (!s.shape().equals(want)) {
            throw new ShapeException(what + ": expected shape " + want + " ([numLayers·directions, " + (batched ? "B, " : "") + "H]), got " + s.shape());
        }
        return batched ? s : s.unsqueeze(1);
    }

    /** Inverted dropout on a layer's output: each element kept with probability 1 − p and scaled by 1/(1 − p). */
    private Tensor dropout(Tensor y) {
        double p = config.dropout();
        if (p == 1) {
            return y.mul(0);
        }
        Tensor mask = Tensors.full(y.shape(), y.dtype(), 1 - p).bernoulli(rng).mul(1 / (1 - p));
        return y.mul(mask);
    }

    /** Per-sequence lengths from an integer tensor [B] (PyTorch passes them as an int64 tensor). */
    static int[] lengths(Tensor lengths) {
        if (lengths == null) {
            return null;
        }
        if (lengths.dim() != 1 || lengths.dtype().isFloating()) {
            throw new IllegalArgumentException("lengths must be a 1-d integer tensor, got " + lengths.dtype() + " " + lengths.shape());
        }
        return Arrays.stream(lengths.toLongArray()).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize);
        RecurrentConfig c = config;
        if (c.numLayers() != 1) {
            s.append(", num_layers=").append(c.numLayers());
        }
        if (!c.bias()) {
            s.append(", bias=False");
        }
        if (c.batchFirst()) {
            s.append(", batch_first=True");
        }
        if (c.dropout() != 0) {
            s.append(", dropout=").append(c.dropout());
        }
        if (c.bidirectional()) {
            s.append(", bidirectional=True");
        }
        return s.append(")").toString();
    }
}
