package fathom.nn;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;

/**
 * y = dropout(x + PE[t]) with the fixed sinusoidal encodings of "Attention Is All You Need",
 * {@code PE[t, 2i] = sin(t / 10000^(2i/d))}, {@code PE[t, 2i+1] = cos(t / 10000^(2i/d))}: x [T, N, d]
 * ([N, T, d] with batchFirst) gives the same shape, for T ≤ maxLen.
 *
 * <p>Written as PyTorch's Transformer tutorial writes its {@code PositionalEncoding}: a child
 * {@code dropout} and a buffer {@code pe} of shape [maxLen, 1, d] registered the default way
 * (persistent), so the state dict of a tutorial model loads unchanged (the key {@code pe} is in it).
 * The table is computed in double and rounded once; odd d is allowed (the last column is a sine).
 */
public final class SinusoidalPositionalEncoding extends Module {
    public final int dModel;
    public final int maxLen;
    public final boolean batchFirst;
    /** [maxLen, 1, dModel]. */
    public final Tensor pe;
    public final Dropout dropout;

    /** The tutorial's defaults: dropout 0.1, maxLen 5000, sequence-first. */
    public SinusoidalPositionalEncoding(int dModel, Rng rng) {
        this(dModel, 0.1, 5000, false, rng);
    }

    public SinusoidalPositionalEncoding(int dModel, double dropout, int maxLen, boolean batchFirst, Rng rng) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("SinusoidalPositionalEncoding: dModel and maxLen must be positive, got " + dModel + ", " + maxLen);
        }
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.batchFirst = batchFirst;
        this.dropout = child("dropout", new Dropout(dropout, rng));
        float[] table = new float[maxLen * dModel];
        for (int t = 0; t < maxLen; t++) {
            for (int c = 0; c < dModel; c++) {
                int i2 = c - (c & 1);
                double angle = t * Math.exp(i2 * (-Math.log(10000.0) / dModel));
                table[t * dModel + c] = (float) ((c & 1) == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        this.pe = buffer("pe", Tensors.of(table, maxLen, 1, dModel));
    }

    @Override
    public Tensor forward(Tensor x) {
        int seqDim = batchFirst ? 1 : 0;
        if (x.dim() != 3 || x.size(2) != dModel || x.size(seqDim) > maxLen) {
            throw new fathom.ShapeException("SinusoidalPositionalEncoding(" + dModel + ", maxLen " + maxLen + ") expects "
                    + (batchFirst ? "[N, T, " : "[T, N, ") + dModel + "] with T ≤ " + maxLen + ", got " + x.shape());
        }
        Tensor table = pe.narrow(0, 0, x.size(seqDim)); // [T, 1, d]
        return dropout.call(x.add(batchFirst ? table.transpose(0, 1) : table));
    }

    /** The encodings of positions 0..T−1 as a [T, dModel] view. */
    public Tensor table(int length) {
        return pe.narrow(0, 0, length).reshape(length, dModel);
    }
}
