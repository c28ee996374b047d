package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;
import fathom.backend.RecurrentMode;
import fathom.backend.RecurrentStates;
import java.util.Arrays;

/**
 * The fused recurrent ops with autograd: one LSTM or GRU step ({@link #lstmCell}, {@link #gruCell}) and a
 * whole sequence ({@link #sequence}), each one node in the graph. Layers ({@code fathom.nn.Lstm} and its
 * kin) are built on these; gate layouts are PyTorch's (LSTM i, f, g, o; GRU r, z, n).
 */
public final class Recurrent {
    private static final Op.LstmCell LSTM_CELL = new Op.LstmCell();
    private static final Op.GruCell GRU_CELL = new Op.GruCell();

    private Recurrent() {}

    /**
     * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c') from pre-activation gates [B, 4H] (i, f, g, o) and
     * c [B, H]; returns [B, 2H], h' in the first H columns and c' in the last H.
     */
    public static Tensor lstmCell(Tensor gates, Tensor c) {
        checkFloating("lstmCell", gates, c);
        if (c.dim() != 2 || gates.dim() != 2 || gates.size(0) != c.size(0) || gates.size(1) != 4 * c.size(1)) {
            throw new ShapeException("lstmCell: expects gates [B, 4H] and c [B, H], got " + gates.shape() + " and " + c.shape());
        }
        return Autograd.record(LSTM_CELL, Backends.current().lstmCell(gates, c), gates, c);
    }

    /**
     * h' = (1 − z)·n + z·h with r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), from the input
     * projection xg [B, 3H] (x·W_ihᵀ + b_ih), the hidden projection hg [B, 3H] (h·W_hhᵀ + b_hh) and h [B, H].
     */
    public static Tensor gruCell(Tensor xg, Tensor hg, Tensor h) {
        checkFloating("gruCell", xg, hg, h);
        if (h.dim() != 2 || !xg.shape().equals(hg.shape()) || xg.dim() != 2 || xg.size(0) != h.size(0) || xg.size(1) != 3 * h.size(1)) {
            throw new ShapeException("gruCell: expects xg and hg [B, 3H] and h [B, H], got " + xg.shape() + ", " + hg.shape() + " and " + h.shape());
        }
        return Autograd.record(GRU_CELL, Backends.current().gruCell(xg, hg, h), xg, hg, h);
    }

    /**
     * The states of a recurrent cell run over a sequence, [S, T+1, B, H]: plane 0 is h, plane 1 c (LSTM
     * only); row t &lt; T is the state after step t (zero past a sequence's length, as PyTorch's
     * {@code pad_packed_sequence} pads), row T each sequence's final state.
     *
     * <p>xg [T, B, G·H] is the input projection x·W_ihᵀ + b_ih of every step (G = {@link RecurrentMode#gates()}),
     * wHh [G·H, H] and bHh [G·H] the hidden weights, h0 and c0 [B, H] the initial states. Null bHh, h0 or c0
     * mean zeros; c0 is ignored except for the LSTM. With {@code lengths} (B values in 1..T; null means all
     * T) a sequence's steps past its length leave its state alone, so a {@code reverse} run starts each
     * sequence at its own last step, as PyTorch's packed sequences do.
     */
    public static Tensor sequence(RecurrentMode mode, Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0,
                                  int[] lengths, boolean reverse) {
        if (xg.dim() != 3 || wHh.dim() != 2) {
            throw new ShapeException("sequence: expects xg [T, B, G·H] and wHh [G·H, H], got " + xg.shape() + " and " + wHh.shape());
        }
        int steps = xg.size(0);
        int batch = xg.size(1);
        int hidden = wHh.size(1);
        int width = mode.gates() * hidden;
        if (xg.size(2) != width || wHh.size(0) != width) {
            throw new ShapeException("sequence: " + mode + " with hidden size " + hidden + " expects xg [T, B, " + width + "] and wHh ["
                    + width + ", " + hidden + "], got " + xg.shape() + " and " + wHh.shape());
        }
        DType dt = xg.dtype();
        Tensor b = bHh != null ? bHh : Tensors.zeros(Shape.of(width), dt);
        Tensor h = h0 != null ? h0 : Tensors.zeros(Shape.of(batch, hidden), dt);
        boolean lstm = mode == RecurrentMode.LSTM;
        Tensor c = !lstm ? null : c0 != null ? c0 : Tensors.zeros(Shape.of(batch, hidden), dt);
        checkFloating("sequence", lstm ? new Tensor[] {xg, wHh, b, h, c} : new Tensor[] {xg, wHh, b, h});
        if (!b.shape().equals(Shape.of(width))) {
            throw new ShapeException("sequence: bHh must be [" + width + "], got " + b.shape());
        }
        for (Tensor s : lstm ? new Tensor[] {h, c} : new Tensor[] {h}) {
            if (!s.shape().equals(Shape.of(batch, hidden))) {
                throw new ShapeException("sequence: initial states must be [B, H] = [" + batch + ", " + hidden + "], got " + s.shape());
            }
        }
        int[] lens = checkedLengths(lengths, steps, batch);
        RecurrentStates r = Backends.current().recurrence(mode, xg, wHh, b, h, c, lens, reverse);
        Op op = new Op.Recurrence(mode, lens, reverse);
        return lstm ? Autograd.record(op, r.states(), xg, wHh, b, h, c, r.saved()) : Autograd.record(op, r.states(), xg, wHh, b, h, r.saved());
    }

    /** A copy of the lengths, or null when every sequence has all steps. */
    private static int[] checkedLengths(int[] lengths, int steps, int batch) {
        if (lengths == null) {
            return null;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lengths: expected one length per sequence (" + batch + "), got " + lengths.length);
        }
        boolean full = true;
        for (int len : lengths) {
            if (len < 1 || len > steps) {
                throw new IllegalArgumentException("lengths: every length must be in 1.." + steps + ", got " + Arrays.toString(lengths));
            }
            full &= len == steps;
        }
        return full ? null : lengths.clone();
    }

    private static void checkFloating(String op, Tensor... ts) {
        DType dt = ts[0].dtype();
        for (Tensor t : ts) {
            if (!t.dtype().isFloating() || t.dtype() != dt) {
                throw new DTypeException(op + ": expects tensors of one floating dtype, got " + Arrays.stream(ts).map(Tensor::dtype).toList());
            }
        }
    }
}
