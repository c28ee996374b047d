package fathom.models;

import fathom.DType;
import fathom.Rng;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.nn.Embedding;
import fathom.nn.Linear;
import fathom.nn.Lstm;
import fathom.nn.LstmState;
import fathom.nn.Module;
import fathom.nn.RecurrentConfig;

/**
 * A character-level language model: logits = Linear(Lstm(Embedding(tokens))), int64 tokens [B, T] giving
 * logits [B, T, V] over the next token at every position.
 *
 * <p>Children {@code embedding} (V → E), {@code lstm} (E → H, {@code numLayers} layers) and {@code head}
 * (H → V), so the state dict is that of a PyTorch module with the same attribute names
 * ({@code embedding.weight}, {@code lstm.weight_ih_l0}, ..., {@code head.bias}). The LSTM runs time-major
 * inside, which avoids copying its output before the head, and looks its first input projection up in
 * the table embedding·W_ihᵀ ({@link Lstm#run(Embedding, Tensor, LstmState)}) rather than projecting every
 * embedded token. {@link #step} carries the LSTM state across
 * calls, for generating one token at a time.
 */
public final class CharLstm extends Module {
    /**
     * The model's sizes.
     *
     * @param vocabSize tokens V
     * @param embeddingDim E
     * @param hiddenSize H
     * @param numLayers stacked LSTM layers
     * @param dropout between LSTM layers, in training
     */
    public record Config(int vocabSize, int embeddingDim, int hiddenSize, int numLayers, double dropout) {
        public Config {
            if (vocabSize < 1 || embeddingDim < 1 || hiddenSize < 1 || numLayers < 1) {
                throw new IllegalArgumentException("CharLstm sizes must be positive: vocab " + vocabSize + ", embedding " + embeddingDim
                        + ", hidden " + hiddenSize + ", layers " + numLayers);
            }
        }

        /** The sequence-models issue's model: Embedding(V, 64), one LSTM layer of 256, Linear(256, V). */
        public static Config standard(int vocabSize) {
            return new Config(vocabSize, 64, 256, 1, 0);
        }
    }

    /** What {@link #step} returns: the logits [B, V] after the last token, and the state to continue from. */
    public record Step(Tensor logits, LstmState state) {}

    public final Config config;
    public final Embedding embedding;
    public final Lstm lstm;
    public final Linear head;

    public CharLstm(Config config, Rng rng) {
        this.config = config;
        embedding = child("embedding", new Embedding(config.vocabSize(), config.embeddingDim(), null, DType.FLOAT32, rng));
        lstm = child("lstm", new Lstm(config.embeddingDim(), config.hiddenSize(),
                new RecurrentConfig(config.numLayers(), true, false, config.dropout(), false), rng));
        head = child("head", new Linear(config.hiddenSize(), config.vocabSize(), true, rng));
    }

    /** Logits [B, T, V] for tokens [B, T], from a zero state. */
    @Override
    public Tensor forward(Tensor tokens) {
        return run(tokens, null).logits();
    }

    /** Logits [B, T, V] for tokens [B, T] from {@code state} (null for zeros), and the state after the last token. */
    public Step run(Tensor tokens, LstmState state) {
        if (tokens.dim() != 2 || tokens.dtype().isFloating()) {
            throw new ShapeException("CharLstm: expected integer tokens [B, T], got " + tokens.dtype() + " " + tokens.shape());
        }
        // the embedding and the LSTM's input projection fused into one table lookup: see Lstm.run(Embedding, ...)
        Lstm.Output out = lstm.run(embedding, tokens.t(), state); // [T, B] in, [T, B, H] out
        return new Step(head.call(out.output()).transpose(0, 1), out.state());
    }

    /** One generation step: the logits [B, V] after tokens [B] given the state so far (null at the start). */
    public Step step(Tensor tokens, LstmState state) {
        if (tokens.dim() != 1) {
            throw new ShapeException("CharLstm.step: expected one token per sequence, [B], got " + tokens.shape());
        }
        Step s = run(tokens.unsqueeze(1), state);
        return new Step(s.logits().select(1, 0), s.state());
    }
}
