package fathom.backend;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The recurrent ops of {@link Backend} composed from its primitives: the bodies of the default methods
 * {@link Backend#lstmCell}, {@link Backend#gruCell}, {@link Backend#recurrence} and their backward passes,
 * and so the reference a backend's fused kernels are tested against.
 *
 * <p>Every entry point detaches its arguments first: views of a tensor that requires grad would record
 * themselves, and a backend records nothing. Gate blocks follow PyTorch's layout (LSTM i, f, g, o; GRU
 * r, z, n), each H columns wide.
 */
final class RecurrentComposite {
    private RecurrentComposite() {}

    // ---- LSTM ----

    static Tensor lstmCell(Backend b, Tensor gates, Tensor c) {
        int hidden = c.size(1);
        Tensor act = lstmActivations(b, gates.detach(), hidden);
        Tensor[] hc = lstmState(b, act, c.detach(), hidden);
        return columns(b, hc[0], hc[1]);
    }

    static Tensor[] lstmCellBackward(Backend b, Tensor gates, Tensor c, Tensor hc, Tensor g) {
        int hidden = c.size(1);
        Tensor act = lstmActivations(b, gates.detach(), hidden);
        Tensor gd = g.detach();
        return lstmBackward(b, act, c.detach(), hc.detach().narrow(1, hidden, hidden), gd.narrow(1, 0, hidden), gd.narrow(1, hidden, hidden));
    }

    /** σ(i), σ(f), tanh(g), σ(o) side by side, [B, 4H]. */
    private static Tensor lstmActivations(Backend b, Tensor gates, int hidden) {
        Tensor act = Tensors.zeros(gates.shape(), gates.dtype());
        for (int k = 0; k < 4; k++) {
            UnaryOp fn = k == 2 ? UnaryOp.TANH : UnaryOp.SIGMOID;
            b.copyInto(act.narrow(1, k * hidden, hidden), b.unary(fn, gates.narrow(1, k * hidden, hidden)));
        }
        return act;
    }

    /** {h', c'} with c' = f·c + i·g and h' = o·tanh(c') from the activated gates. */
    private static Tensor[] lstmState(Backend b, Tensor act, Tensor c, int hidden) {
        Tensor[] q = blocks(act, 4, hidden);
        Tensor c2 = b.binary(BinaryOp.ADD, b.binary(BinaryOp.MUL, q[1], c), b.binary(BinaryOp.MUL, q[0], q[2]));
        Tensor h2 = b.binary(BinaryOp.MUL, q[3], b.unary(UnaryOp.TANH, c2));
        return new Tensor[] {h2, c2};
    }

    /** {∂/∂ pre-activation gates [B, 4H], ∂/∂ c} given the gradients gh, gc of h' and c'. */
    private static Tensor[] lstmBackward(Backend b, Tensor act, Tensor c, Tensor c2, Tensor gh, Tensor gc) {
        int hidden = c.size(1);
        Tensor[] q = blocks(act, 4, hidden);
        Tensor tc = b.unary(UnaryOp.TANH, c2);
        Tensor dc2 = b.binary(BinaryOp.ADD, gc, mul(b, gh, q[3], oneMinusSquare(b, tc)));
        Tensor dGates = Tensors.zeros(act.shape(), act.dtype());
        b.copyInto(dGates.narrow(1, 0, hidden), mul(b, dc2, q[2], sigmoidSlope(b, q[0])));
        b.copyInto(dGates.narrow(1, hidden, hidden), mul(b, dc2, c, sigmoidSlope(b, q[1])));
        b.copyInto(dGates.narrow(1, 2 * hidden, hidden), mul(b, dc2, q[0], oneMinusSquare(b, q[2])));
        b.copyInto(dGates.narrow(1, 3 * hidden, hidden), mul(b, gh, tc, sigmoidSlope(b, q[3])));
        return new Tensor[] {dGates, b.binary(BinaryOp.MUL, dc2, q[1])};
    }

    // ---- GRU ----

    static Tensor gruCell(Backend b, Tensor xg, Tensor hg, Tensor h) {
        int hidden = h.size(1);
        Tensor[] rzn = gruGates(b, xg.detach(), hg.detach(), hidden);
        return gruState(b, rzn, h.detach());
    }

    static Tensor[] gruCellBackward(Backend b, Tensor xg, Tensor hg, Tensor h, Tensor g) {
        int hidden = h.size(1);
        Tensor[] rzn = gruGates(b, xg.detach(), hg.detach(), hidden);
        Tensor hn = hg.detach().narrow(1, 2 * hidden, hidden);
        return gruBackward(b, rzn, hn, h.detach(), g.detach());
    }

    /** {r, z, n}: r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n). */
    private static Tensor[] gruGates(Backend b, Tensor xg, Tensor hg, int hidden) {
        Tensor[] x = blocks(xg, 3, hidden);
        Tensor[] hh = blocks(hg, 3, hidden);
        Tensor r = b.unary(UnaryOp.SIGMOID, b.binary(BinaryOp.ADD, x[0], hh[0]));
        Tensor z = b.unary(UnaryOp.SIGMOID, b.binary(BinaryOp.ADD, x[1], hh[1]));
        Tensor n = b.unary(UnaryOp.TANH, b.binary(BinaryOp.ADD, x[2], b.binary(BinaryOp.MUL, r, hh[2])));
        return new Tensor[] {r, z, n};
    }

    /** h' = (1 − z)·n + z·h, computed as n + z·(h − n). */
    private static Tensor gruState(Backend b, Tensor[] rzn, Tensor h) {
        return b.binary(BinaryOp.ADD, rzn[2], b.binary(BinaryOp.MUL, rzn[1], b.binary(BinaryOp.SUB, h, rzn[2])));
    }

    /** {∂/∂ xg [B, 3H], ∂/∂ hg [B, 3H], ∂/∂ h through the z·h term} given g = ∂/∂ h'. */
    private static Tensor[] gruBackward(Backend b, Tensor[] rzn, Tensor hn, Tensor h, Tensor g) {
        Tensor r = rzn[0];
        Tensor z = rzn[1];
        Tensor n = rzn[2];
        int hidden = h.size(1);
        Tensor one = Tensors.scalar(1, g.dtype());
        Tensor dnPre = mul(b, g, b.binary(BinaryOp.SUB, one, z), oneMinusSquare(b, n));
        Tensor dzPre = mul(b, g, b.binary(BinaryOp.SUB, h, n), sigmoidSlope(b, z));
        Tensor drPre = mul(b, dnPre, hn, sigmoidSlope(b, r));
        Shape wide = Shape.of(h.size(0), 3 * hidden);
        Tensor dxg = Tensors.zeros(wide, g.dtype());
        Tensor dhg = Tensors.zeros(wide, g.dtype());
        for (Tensor d : new Tensor[] {dxg, dhg}) {
            b.copyInto(d.narrow(1, 0, hidden), drPre);
            b.copyInto(d.narrow(1, hidden, hidden), dzPre);
        }
        b.copyInto(dxg.narrow(1, 2 * hidden, hidden), dnPre);
        b.copyInto(dhg.narrow(1, 2 * hidden, hidden), b.binary(BinaryOp.MUL, dnPre, r));
        return new Tensor[] {dxg, dhg, b.binary(BinaryOp.MUL, g, z)};
    }

    // ---- whole sequences ----

    static RecurrentStates recurrence(Backend b, RecurrentMode mode, Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0,
                                      int[] lengths, boolean reverse) {
        Tensor x = xg.detach();
        int steps = x.size(0);
        int batch = x.size(1);
        int hidden = wHh.size(1);
        DType dt = x.dtype();
        Tensor states = Tensors.zeros(Shape.of(mode.states(), steps + 1, batch, hidden), dt);
        Tensor saved = Tensors.zeros(Shape.of(steps, batch, mode.saved() * hidden), dt);
        Tensor wT = wHh.detach().t();
        Tensor bias = bHh.detach();
        Tensor zero = Tensors.scalar(0, dt);
        Tensor h = h0.detach();
        Tensor c = mode == RecurrentMode.LSTM ? c0.detach() : null;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            Tensor hg = b.binary(BinaryOp.ADD, b.matmul(h, wT), bias);
            Tensor xt = x.select(0, t);
            Tensor h2;
            Tensor c2 = null;
            Tensor step = saved.select(0, t);
            switch (mode) {
                case LSTM -> {
                    Tensor act = lstmActivations(b, b.binary(BinaryOp.ADD, xt, hg), hidden);
                    Tensor[] hc = lstmState(b, act, c, hidden);
                    h2 = hc[0];
                    c2 = hc[1];
                    b.copyInto(step, act);
                }
                case GRU -> {
                    Tensor[] rzn = gruGates(b, xt, hg, hidden);
                    h2 = gruState(b, rzn, h);
                    for (int k = 0; k < 3; k++) {
                        b.copyInto(step.narrow(1, k * hidden, hidden), rzn[k]);
                    }
                    b.copyInto(step.narrow(1, 3 * hidden, hidden), hg.narrow(1, 2 * hidden, hidden));
                }
                case RNN_TANH, RNN_RELU -> h2 = b.unary(mode == RecurrentMode.RNN_TANH ? UnaryOp.TANH : UnaryOp.RELU,
                        b.binary(BinaryOp.ADD, xt, hg));
                default -> throw new IllegalStateException("unknown mode " + mode);
            }
            Tensor active = activeRows(lengths, t);
            if (active != null) {
                // a finished (or not yet started, when reversed) sequence keeps its state and outputs zero
                b.copyInto(states.select(0, 0).select(0, t), b.where(active, h2, zero));
                h = b.where(active, h2, h);
                if (c2 != null) {
                    b.copyInto(states.select(0, 1).select(0, t), b.where(active, c2, zero));
                    c = b.where(active, c2, c);
                }
            } else {
                b.copyInto(states.select(0, 0).select(0, t), h2);
                h = h2;
                if (c2 != null) {
                    b.copyInto(states.select(0, 1).select(0, t), c2);
                    c = c2;
                }
            }
        }
        b.copyInto(states.select(0, 0).select(0, steps), h);
        if (c != null) {
            b.copyInto(states.select(0, 1).select(0, steps), c);
        }
        return new RecurrentStates(states, saved);
    }

    static Tensor[] recurrenceBackward(Backend b, RecurrentMode mode, Tensor g, Tensor wHh, Tensor h0, Tensor c0, Tensor states,
                                       Tensor saved, int[] lengths, boolean reverse) {
        Tensor gs = g.detach();
        Tensor st = states.detach();
        Tensor sv = saved.detach();
        Tensor w = wHh.detach();
        Tensor init = h0.detach();
        Tensor initC = mode == RecurrentMode.LSTM ? c0.detach() : null;
        int steps = st.size(1) - 1;
        int batch = st.size(2);
        int hidden = st.size(3);
        DType dt = gs.dtype();
        int gates = mode.gates() * hidden;
        Tensor zero = Tensors.scalar(0, dt);
        Tensor one = Tensors.scalar(1, dt);
        Tensor dxgAll = Tensors.zeros(Shape.of(steps, batch, gates), dt);
        Tensor dW = Tensors.zeros(w.shape(), dt);
        Tensor dB = Tensors.zeros(Shape.of(gates), dt);
        Tensor dh = b.copy(gs.select(0, 0).select(0, steps), dt);
        Tensor dc = initC != null ? b.copy(gs.select(0, 1).select(0, steps), dt) : null;
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            Tensor active = activeRows(lengths, t);
            Tensor hPrev = previous(b, st.select(0, 0), init, t, steps, lengths, reverse);
            Tensor dhT = b.binary(BinaryOp.ADD, dh, gs.select(0, 0).select(0, t));
            Tensor dxg;
            Tensor dhg;
            Tensor dhDirect = null;
            Tensor dcPrev = null;
            switch (mode) {
                case LSTM -> {
                    Tensor cPrev = previous(b, st.select(0, 1), initC, t, steps, lengths, reverse);
                    Tensor dcT = b.binary(BinaryOp.ADD, dc, gs.select(0, 1).select(0, t));
                    Tensor[] d = lstmBackward(b, sv.select(0, t), cPrev, st.select(0, 1).select(0, t), dhT, dcT);
                    dxg = d[0];
                    dhg = d[0];
                    dcPrev = d[1];
                }
                case GRU -> {
                    Tensor[] q = blocks(sv.select(0, t), 4, hidden);
                    Tensor[] d = gruBackward(b, new Tensor[] {q[0], q[1], q[2]}, q[3], hPrev, dhT);
                    dxg = d[0];
                    dhg = d[1];
                    dhDirect = d[2];
                }
                case RNN_TANH, RNN_RELU -> {
                    Tensor h2 = st.select(0, 0).select(0, t);
                    Tensor slope = mode == RecurrentMode.RNN_TANH ? oneMinusSquare(b, h2)
                            : b.where(b.compare(CompareOp.GT, h2, zero), one, zero);
                    dxg = b.binary(BinaryOp.MUL, dhT, slope);
                    dhg = dxg;
                }
                default -> throw new IllegalStateException("unknown mode " + mode);
            }
            if (active != null) {
                dxg = b.where(active, dxg, zero);
                dhg = b.where(active, dhg, zero);
            }
            b.copyInto(dxgAll.select(0, t), dxg);
            b.binaryInPlace(BinaryOp.ADD, dW, b.matmul(dhg.t(), hPrev));
            b.binaryInPlace(BinaryOp.ADD, dB, b.sum(dhg, new int[] {0}).reshape(gates));
            Tensor dhPrev = b.matmul(dhg, w);
            if (dhDirect != null) {
                dhPrev = b.binary(BinaryOp.ADD, dhPrev, dhDirect);
            }
            dh = active != null ? b.where(active, dhPrev, dh) : dhPrev;
            if (dcPrev != null) {
                dc = active != null ? b.where(active, dcPrev, dc) : dcPrev;
            }
        }
        return new Tensor[] {dxgAll, dW, dB, dh, dc};
    }

    /**
     * The state step t started from: the previous step's row, or the initial state at a sequence's first
     * step (t = 0 forward; t = T − 1, or for a shorter sequence t = length − 1, reversed).
     */
    private static Tensor previous(Backend b, Tensor plane, Tensor init, int t, int steps, int[] lengths, boolean reverse) {
        if (!reverse) {
            return t == 0 ? init : plane.select(0, t - 1);
        }
        if (t == steps - 1) {
            return init;
        }
        Tensor started = activeRows(lengths, t + 1);
        return started == null ? plane.select(0, t + 1) : b.where(started, plane.select(0, t + 1), init);
    }

    /** [B, 1] bool, true where step t is within the sequence's length; null when every row is. */
    private static Tensor activeRows(int[] lengths, int t) {
        if (lengths == null) {
            return null;
        }
        boolean[] m = new boolean[lengths.length];
        boolean all = true;
        for (int i = 0; i < m.length; i++) {
            m[i] = t < lengths[i];
            all &= m[i];
        }
        return all ? null : Tensors.of(m, m.length, 1);
    }

    // ---- small pieces ----

    private static Tensor[] blocks(Tensor x, int count, int hidden) {
        Tensor[] out = new Tensor[count];
        for (int k = 0; k < count; k++) {
            out[k] = x.narrow(1, k * hidden, hidden);
        }
        return out;
    }

    private static Tensor columns(Backend b, Tensor left, Tensor right) {
        int w = left.size(1);
        Tensor out = Tensors.zeros(Shape.of(left.size(0), w + right.size(1)), left.dtype());
        b.copyInto(out.narrow(1, 0, w), left);
        b.copyInto(out.narrow(1, w, right.size(1)), right);
        return out;
    }

    private static Tensor mul(Backend b, Tensor x, Tensor y, Tensor z) {
        return b.binary(BinaryOp.MUL, b.binary(BinaryOp.MUL, x, y), z);
    }

    /** 1 − y², the slope of tanh at the point where it is y. */
    private static Tensor oneMinusSquare(Backend b, Tensor y) {
        return b.binary(BinaryOp.SUB, Tensors.scalar(1, y.dtype()), b.binary(BinaryOp.MUL, y, y));
    }

    /** y·(1 − y), the slope of σ at the point where it is y. */
    private static Tensor sigmoidSlope(Backend b, Tensor y) {
        return b.binary(BinaryOp.MUL, y, b.binary(BinaryOp.SUB, Tensors.scalar(1, y.dtype()), y));
    }
}
