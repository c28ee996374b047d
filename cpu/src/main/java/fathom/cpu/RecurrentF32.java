package fathom.cpu;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.BinaryOp;
import fathom.backend.RecurrentMode;
import fathom.backend.RecurrentStates;
import fathom.backend.UnaryOp;

/**
 * Float32 recurrent cells and sequences for {@link CpuBackend}, with the contracts of
 * {@link fathom.backend.Backend#lstmCell} and its kin. Tensors passed in are float32 and contiguous,
 * except xg of {@link #recurrence}, whose last dimension alone must have stride 1 (a batch-first
 * input arrives as a transposed view and is read in place).
 *
 * <p>A sequence runs as PyTorch's and cuDNN's CPU paths do: the input projections of every step are
 * one product computed beforehand, so a step costs one [B, H]·[H, G·H] product against hidden weights
 * packed once ({@link PackedMatrixF32}), into a buffer preloaded with the input projection and bias,
 * then one fused pass per batch row for the gate nonlinearities and the state update. The backward
 * pass walks the steps in reverse with one [B, G·H]·[G·H, H] product each and computes the weight
 * gradient as a single [G·H, T·B]·[T·B, H] product at the end, instead of T small ones.
 */
final class RecurrentF32 {
    private RecurrentF32() {}

    // ---- row kernels: vector body, scalar tail ----

    /** One LSTM row; {@code act} (σ(i), σ(f), tanh(g), σ(o)) may be null, the vector kernel then gets a scratch row. */
    static void lstmForward(float[] g, int gOff, float[] c, int cOff, float[] act, int aOff, float[] h, int hOff,
                            float[] c2, int c2Off, int hidden) {
        int done = 0;
        if (Simd.ENABLED) {
            if (act == null) {
                act = new float[4 * hidden];
                aOff = 0;
            }
            done = RecurrentF32Vector.lstmForward(g, gOff, c, cOff, act, aOff, h, hOff, c2, c2Off, hidden);
        }
        RecurrentF32Scalar.lstmForward(g, gOff, c, cOff, act, aOff, h, hOff, c2, c2Off, hidden, done);
    }

    static void lstmBackward(float[] act, int aOff, float[] c, int cOff, float[] c2, int c2Off, float[] dh, int dhOff,
                             float[] dc, int dcOff, float[] dg, int dgOff, float[] dcPrev, int dcpOff, int hidden) {
        int done = Simd.ENABLED
                ? RecurrentF32Vector.lstmBackward(act, aOff, c, cOff, c2, c2Off, dh, dhOff, dc, dcOff, dg, dgOff, dcPrev, dcpOff, hidden) : 0;
        RecurrentF32Scalar.lstmBackward(act, aOff, c, cOff, c2, c2Off, dh, dhOff, dc, dcOff, dg, dgOff, dcPrev, dcpOff, hidden, done);
    }

    /** One GRU row; {@code saved} (r, z, n, h_n) may be null, the vector kernel then gets a scratch row. */
    static void gruForward(float[] xg, int xOff, float[] hg, int hgOff, float[] h, int hOff, float[] saved, int sOff,
                           float[] h2, int h2Off, int hidden) {
        int done = 0;
        if (Simd.ENABLED) {
            if (saved == null) {
                saved = new float[4 * hidden];
                sOff = 0;
            }
            done = RecurrentF32Vector.gruForward(xg, xOff, hg, hgOff, h, hOff, saved, sOff, h2, h2Off, hidden);
        }
        RecurrentF32Scalar.gruForward(xg, xOff, hg, hgOff, h, hOff, saved, sOff, h2, h2Off, hidden, done);
    }

    static void gruBackward(float[] saved, int sOff, float[] h, int hOff, float[] dh, int dhOff, float[] dx, int dxOff,
                            float[] dhg, int dhgOff, float[] dhDirect, int ddOff, int hidden) {
        int done = Simd.ENABLED
                ? RecurrentF32Vector.gruBackward(saved, sOff, h, hOff, dh, dhOff, dx, dxOff, dhg, dhgOff, dhDirect, ddOff, hidden) : 0;
        RecurrentF32Scalar.gruBackward(saved, sOff, h, hOff, dh, dhOff, dx, dxOff, dhg, dhgOff, dhDirect, ddOff, hidden, done);
    }

    static void rnnBackward(boolean tanh, float[] h, int hOff, float[] dh, int dhOff, float[] d, int dOff, int hidden) {
        int done = Simd.ENABLED ? RecurrentF32Vector.rnnBackward(tanh, h, hOff, dh, dhOff, d, dOff, hidden) : 0;
        RecurrentF32Scalar.rnnBackward(tanh, h, hOff, dh, dhOff, d, dOff, hidden, done);
    }

    /** Rows per parallel task: a few microseconds of cell work (about 2,048 elements), so a step splits into several chunks. */
    private static int rowGrain(int hidden) {
        return Math.max(1, 2048 / Math.max(1, hidden));
    }

    // ---- single steps ----

    static Tensor lstmCell(Tensor gates, Tensor c) {
        int batch = c.size(0);
        int hidden = c.size(1);
        Tensor out = Tensors.zeros(Shape.of(batch, 2 * hidden), DType.FLOAT32);
        float[] g = gates.storage().floats();
        float[] cs = c.storage().floats();
        float[] o = out.storage().floats();
        int go = gates.offset();
        int co = c.offset();
        Parallel.forRange(batch, rowGrain(hidden), (b0, b1) -> {
            float[] act = new float[4 * hidden];
            for (int b = b0; b < b1; b++) {
                lstmForward(g, go + b * 4 * hidden, cs, co + b * hidden, act, 0, o, b * 2 * hidden, o, b * 2 * hidden + hidden, hidden);
            }
        });
        return out;
    }

    static Tensor[] lstmCellBackward(Tensor gates, Tensor c, Tensor hc, Tensor g) {
        int batch = c.size(0);
        int hidden = c.size(1);
        Tensor dGates = Tensors.zeros(Shape.of(batch, 4 * hidden), DType.FLOAT32);
        Tensor dc = Tensors.zeros(Shape.of(batch, hidden), DType.FLOAT32);
        float[] gs = gates.storage().floats();
        float[] cs = c.storage().floats();
        float[] hcs = hc.storage().floats();
        float[] gr = g.storage().floats();
        float[] dg = dGates.storage().floats();
        float[] dcs = dc.storage().floats();
        int go = gates.offset();
        int co = c.offset();
        int ho = hc.offset();
        int gro = g.offset();
        Parallel.forRange(batch, rowGrain(hidden), (b0, b1) -> {
            float[] act = new float[4 * hidden];
            float[] scratch = new float[2 * hidden];
            for (int b = b0; b < b1; b++) {
                // the activations are recomputed from the gates, cheaper than keeping a second output
                lstmForward(gs, go + b * 4 * hidden, cs, co + b * hidden, act, 0, scratch, 0, scratch, hidden, hidden);
                int row = b * 2 * hidden;
                lstmBackward(act, 0, cs, co + b * hidden, hcs, ho + row + hidden, gr, gro + row, gr, gro + row + hidden,
                        dg, b * 4 * hidden, dcs, b * hidden, hidden);
            }
        });
        return new Tensor[] {dGates, dc};
    }

    static Tensor gruCell(Tensor xg, Tensor hg, Tensor h) {
        int batch = h.size(0);
        int hidden = h.size(1);
        Tensor out = Tensors.zeros(Shape.of(batch, hidden), DType.FLOAT32);
        float[] x = xg.storage().floats();
        float[] hh = hg.storage().floats();
        float[] hs = h.storage().floats();
        float[] o = out.storage().floats();
        int xo = xg.offset();
        int hgo = hg.offset();
        int ho = h.offset();
        Parallel.forRange(batch, rowGrain(hidden), (b0, b1) -> {
            float[] saved = new float[4 * hidden];
            for (int b = b0; b < b1; b++) {
                gruForward(x, xo + b * 3 * hidden, hh, hgo + b * 3 * hidden, hs, ho + b * hidden, saved, 0, o, b * hidden, hidden);
            }
        });
        return out;
    }

    static Tensor[] gruCellBackward(Tensor xg, Tensor hg, Tensor h, Tensor g) {
        int batch = h.size(0);
        int hidden = h.size(1);
        Shape wide = Shape.of(batch, 3 * hidden);
        Tensor dxg = Tensors.zeros(wide, DType.FLOAT32);
        Tensor dhg = Tensors.zeros(wide, DType.FLOAT32);
        Tensor dh = Tensors.zeros(Shape.of(batch, hidden), DType.FLOAT32);
        float[] x = xg.storage().floats();
        float[] hh = hg.storage().floats();
        float[] hs = h.storage().floats();
        float[] gr = g.storage().floats();
        float[] dx = dxg.storage().floats();
        float[] dhh = dhg.storage().floats();
        float[] dhs = dh.storage().floats();
        int xo = xg.offset();
        int hgo = hg.offset();
        int ho = h.offset();
        int gro = g.offset();
        Parallel.forRange(batch, rowGrain(hidden), (b0, b1) -> {
            float[] saved = new float[4 * hidden];
            float[] scratch = new float[hidden];
            for (int b = b0; b < b1; b++) {
                gruForward(x, xo + b * 3 * hidden, hh, hgo + b * 3 * hidden, hs, ho + b * hidden, saved, 0, scratch, 0, hidden);
                gruBackward(saved, 0, hs, ho + b * hidden, gr, gro + b * hidden, dx, b * 3 * hidden, dhh, b * 3 * hidden,
                        dhs, b * hidden, hidden);
            }
        });
        return new Tensor[] {dxg, dhg, dh};
    }

    // ---- sequences ----

    static RecurrentStates recurrence(RecurrentMode mode, Tensor xg, Tensor w, Tensor bias, Tensor h0, Tensor c0,
                                      int[] lengths, boolean reverse) {
        int steps = xg.size(0);
        int batch = xg.size(1);
        int hidden = w.size(1);
        int width = mode.gates() * hidden;
        int keep = mode.saved() * hidden;
        boolean lstm = mode == RecurrentMode.LSTM;
        Tensor states = Tensors.zeros(Shape.of(mode.states(), steps + 1, batch, hidden), DType.FLOAT32);
        Tensor saved = Tensors.zeros(Shape.of(steps, batch, keep), DType.FLOAT32);
        float[] x = xg.storage().floats();
        int xo = xg.offset();
        int xsT = xg.stride(0);
        int xsB = xg.stride(1);
        float[] st = states.storage().floats();
        float[] sv = saved.storage().floats();
        float[] bs = bias.storage().floats();
        int bo = bias.offset();
        int plane = (steps + 1) * batch * hidden;
        // the carried state of every row: a finished (or, reversed, not yet started) sequence keeps its own
        float[] hCur = new float[batch * hidden];
        float[] cCur = lstm ? new float[batch * hidden] : null;
        System.arraycopy(h0.storage().floats(), h0.offset(), hCur, 0, hCur.length);
        if (lstm) {
            System.arraycopy(c0.storage().floats(), c0.offset(), cCur, 0, cCur.length);
        }
        // B[p, j] = W_hh[j, p]: the transposed weights, read in place while packing
        PackedMatrixF32 wT = PackedMatrixF32.pack(hidden, width, w.storage().floats(), w.offset(), 1, hidden);
        float[] pre = new float[batch * width];
        UnaryOp rnnFn = mode == RecurrentMode.RNN_RELU ? UnaryOp.RELU : UnaryOp.TANH;
        // pre[b] = the step's input projection plus bias, into which the product adds h·W_hhᵀ (the GRU's
        // input projection stays apart); each row is refilled for the next step as soon as its cell has
        // read it, inside the parallel pass, rather than in a serial loop before the product
        PreFill fill = (t, b) -> {
            if (mode == RecurrentMode.GRU) {
                System.arraycopy(bs, bo, pre, b * width, width);
            } else {
                ElementwiseF32.binary(BinaryOp.ADD, x, xo + t * xsT + b * xsB, 1, bs, bo, 1, pre, b * width, width);
            }
        };
        for (int b = 0; b < batch && steps > 0; b++) {
            fill.row(reverse ? steps - 1 : 0, b);
        }
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            wT.multiply(batch, hCur, 0, hidden, 1, pre, 0, width, true);
            int step = t;
            int next = s + 1 == steps ? -1 : reverse ? t - 1 : t + 1;
            Parallel.forRange(batch, rowGrain(hidden), (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    if (lengths == null || step < lengths[b]) {
                        int hRow = (step * batch + b) * hidden;
                        int sRow = (step * batch + b) * keep;
                        switch (mode) {
                            case LSTM -> {
                                lstmForward(pre, b * width, cCur, b * hidden, sv, sRow, st, hRow, st, plane + hRow, hidden);
                                System.arraycopy(st, plane + hRow, cCur, b * hidden, hidden);
                            }
                            case GRU -> gruForward(x, xo + step * xsT + b * xsB, pre, b * width, hCur, b * hidden, sv, sRow, st, hRow, hidden);
                            case RNN_TANH, RNN_RELU -> ElementwiseF32.unary(rnnFn, pre, b * width, st, hRow, hidden);
                            default -> throw new IllegalStateException("unknown mode " + mode);
                        }
                        System.arraycopy(st, hRow, hCur, b * hidden, hidden);
                    }
                    if (next >= 0) {
                        fill.row(next, b);
                    }
                }
            });
        }
        int last = steps * batch * hidden;
        System.arraycopy(hCur, 0, st, last, hCur.length);
        if (lstm) {
            System.arraycopy(cCur, 0, st, plane + last, cCur.length);
        }
        return new RecurrentStates(states, saved);
    }

    static Tensor[] recurrenceBackward(RecurrentMode mode, Tensor g, Tensor w, Tensor h0, Tensor c0, Tensor states, Tensor saved,
                                       int[] lengths, boolean reverse) {
        int steps = states.size(1) - 1;
        int batch = states.size(2);
        int hidden = states.size(3);
        int width = mode.gates() * hidden;
        int keep = mode.saved() * hidden;
        boolean lstm = mode == RecurrentMode.LSTM;
        boolean gru = mode == RecurrentMode.GRU;
        int plane = (steps + 1) * batch * hidden;
        float[] gs = g.storage().floats();
        int go = g.offset();
        float[] st = states.storage().floats();
        int so = states.offset();
        float[] sv = saved.storage().floats();
        int svo = saved.offset();
        float[] h0s = h0.storage().floats();
        int h0o = h0.offset();
        float[] c0s = lstm ? c0.storage().floats() : null;
        int c0o = lstm ? c0.offset() : 0;
        Tensor dxg = Tensors.zeros(Shape.of(steps, batch, width), DType.FLOAT32);
        float[] dx = dxg.storage().floats();
        // the gradient of the hidden projection h·W_hhᵀ + b_hh: the gate gradient itself except for the GRU
        float[] dhg = gru ? new float[steps * batch * width] : dx;
        float[] hPrevAll = new float[steps * batch * hidden];
        Tensor dh0 = Tensors.zeros(Shape.of(batch, hidden), DType.FLOAT32);
        Tensor dc0 = lstm ? Tensors.zeros(Shape.of(batch, hidden), DType.FLOAT32) : null;
        float[] dhCur = dh0.storage().floats();
        float[] dcCur = lstm ? dc0.storage().floats() : null;
        int last = steps * batch * hidden;
        System.arraycopy(gs, go + last, dhCur, 0, dhCur.length);
        if (lstm) {
            System.arraycopy(gs, go + plane + last, dcCur, 0, dcCur.length);
        }
        PackedMatrixF32 wp = PackedMatrixF32.pack(width, hidden, w.storage().floats(), w.offset(), hidden, 1);
        float[] next = new float[batch * hidden];
        float[] direct = gru ? new float[batch * hidden] : null;
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            Parallel.forRange(batch, rowGrain(hidden), (b0, b1) -> {
                float[] dh = new float[hidden];
                float[] dc = lstm ? new float[hidden] : null;
                for (int b = b0; b < b1; b++) {
                    if (lengths != null && t >= lengths[b]) {
                        continue;
                    }
                    int row = (t * batch + b) * hidden;
                    int gRow = (t * batch + b) * width;
                    int sRow = svo + (t * batch + b) * keep;
                    boolean first = reverse ? t == steps - 1 || lengths != null && t + 1 >= lengths[b] : t == 0;
                    int prevRow = reverse ? row + batch * hidden : row - batch * hidden;
                    float[] hp = first ? h0s : st;
                    int hpo = first ? h0o + b * hidden : so + prevRow;
                    System.arraycopy(hp, hpo, hPrevAll, row, hidden);
                    ElementwiseF32.binary(BinaryOp.ADD, dhCur, b * hidden, 1, gs, go + row, 1, dh, 0, hidden);
                    switch (mode) {
                        case LSTM -> {
                            ElementwiseF32.binary(BinaryOp.ADD, dcCur, b * hidden, 1, gs, go + plane + row, 1, dc, 0, hidden);
                            float[] cp = first ? c0s : st;
                            int cpo = first ? c0o + b * hidden : so + plane + prevRow;
                            lstmBackward(sv, sRow, cp, cpo, st, so + plane + row, dh, 0, dc, 0, dx, gRow, dcCur, b * hidden, hidden);
                        }
                        case GRU -> gruBackward(sv, sRow, hp, hpo, dh, 0, dx, gRow, dhg, gRow, direct, b * hidden, hidden);
                        case RNN_TANH, RNN_RELU -> rnnBackward(mode == RecurrentMode.RNN_TANH, st, so + row, dh, 0, dx, gRow, hidden);
                        default -> throw new IllegalStateException("unknown mode " + mode);
                    }
                }
            });
            wp.multiply(batch, dhg, t * batch * width, width, 1, next, 0, hidden, false);
            for (int b = 0; b < batch; b++) {
                if (lengths != null && t >= lengths[b]) {
                    continue;
                }
                if (gru) {
                    ElementwiseF32.binary(BinaryOp.ADD, next, b * hidden, 1, direct, b * hidden, 1, dhCur, b * hidden, hidden);
                } else {
                    System.arraycopy(next, b * hidden, dhCur, b * hidden, hidden);
                }
            }
        }
        Tensor dB = Tensors.zeros(Shape.of(width), DType.FLOAT32);
        int rows = steps * batch;
        // dW = Σ_t dhg_tᵀ·h_{t−1}, one product over all steps, computed transposed, dWᵀ = Hprevᵀ·dhg: the
        // operand read across its rows (and so packed with strided reads) is then the H-wide one, not the G·H-wide one
        float[] dWt = new float[hidden * width];
        MatmulF32.gemm(hidden, width, rows, hPrevAll, 0, 1, hidden, dhg, 0, width, 1, dWt, 0, width, false);
        Tensor dW = Tensors.zeros(Shape.of(width, hidden), DType.FLOAT32);
        float[] dw = dW.storage().floats();
        for (int i0 = 0; i0 < width; i0 += 16) {
            for (int j0 = 0; j0 < hidden; j0 += 16) {
                // 16 x 16 blocks, so both the strided reads and the writes stay within a few cache lines
                for (int i = i0; i < Math.min(width, i0 + 16); i++) {
                    for (int j = j0; j < Math.min(hidden, j0 + 16); j++) {
                        dw[i * hidden + j] = dWt[j * width + i];
                    }
                }
            }
        }
        if (rows > 0) {
            ReduceF32.sumColumnsParallel(dhg, 0, rows, width, dB.storage().floats(), 0, false);
        }
        return new Tensor[] {dxg, dW, dB, dh0, dc0};
    }

    /** Fills row b of a recurrence's pre-activation buffer for step t. */
    @FunctionalInterface
    private interface PreFill {
        void row(int t, int b);
    }
}
