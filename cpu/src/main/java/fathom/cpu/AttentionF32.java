package fathom.cpu;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.AttentionConfig;
import fathom.backend.AttentionResult;
import fathom.backend.Strides;

/**
 * Float32 scaled dot-product attention, forward and backward, in the manner of FlashAttention-2 with one
 * query row per step: for each (batch, head), in parallel, each query row walks the keys in tiles of
 * {@link #KEY_TILE}, keeping a running maximum, a running sum and an unnormalized output (online
 * softmax), so no [Tq, Tk] matrix exists beyond one tile of scores. The forward saves only the
 * log-sum-exp of each row; the backward recomputes each tile's probabilities from it.
 *
 * <p>Shapes and semantics are {@link fathom.backend.Backend#attention}'s. q, k, v, the output's
 * gradient and the output may be any strided views whose last dimension has stride 1 (the transposed
 * head views of multi-head attention are read in place); per (batch, head), K (and V in the backward) is
 * first copied transposed into a per-thread buffer, so that scores vectorize across keys. Causal masks
 * only shorten the key range; other masks are applied per tile. Row steps run {@link AttentionRowF32Vector}
 * or, with vectors off, {@link AttentionRowF32Scalar}.
 */
public final class AttentionF32 {
    /** Keys per tile: one tile of scores (256 bytes) stays in L1 beside the row of q and the output row. */
    static final int KEY_TILE = 64;
    private static final boolean VECTOR = Simd.ENABLED;
    /** Multiply-adds below which waking the workers costs more than it saves. */
    private static final long PARALLEL_MIN = 1L << 15;
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private AttentionF32() {}

    /** True when this kernel takes the op: float32 q, k, v, and a bool or float32 mask. */
    static boolean accepts(Tensor q, Tensor k, Tensor v, AttentionConfig c) {
        Tensor m = c.attnMask();
        return q.dtype() == DType.FLOAT32 && k.dtype() == DType.FLOAT32 && v.dtype() == DType.FLOAT32
                && (m == null || m.dtype() == DType.BOOL || m.dtype() == DType.FLOAT32);
    }

    /** The output [B, H, Tq, Dv] and log-sum-exp [B, H, Tq]. */
    static AttentionResult forward(Tensor q, Tensor k, Tensor v, AttentionConfig c) {
        View qv = View.of(q);
        View kv = View.of(k);
        View vv = View.of(v);
        int b = q.size(0), h = q.size(1), tq = q.size(2), tk = k.size(2), d = q.size(3), dv = v.size(3);
        Tensor out = Tensors.zeros(Shape.of(b, h, tq, dv), DType.FLOAT32);
        Tensor lse = Tensors.zeros(Shape.of(b, h, tq), DType.FLOAT32);
        float[] o = out.storage().floats();
        float[] l = lse.storage().floats();
        Masks masks = Masks.of(c, b, h, tq, tk);
        forHeads(b * h, (long) tq * tk * (d + dv), (s, e) -> {
            Workspace ws = WORKSPACE.get();
            for (int bh = s; bh < e; bh++) {
                forwardHead(bh / h, bh % h, h, tq, tk, d, dv, qv, kv, vv, masks, c, o, l, ws);
            }
        });
        return new AttentionResult(out, lse);
    }

    private static void forwardHead(int bi, int hi, int heads, int tq, int tk, int d, int dv, View q, View k, View v, Masks masks,
                                    AttentionConfig c, float[] out, float[] lse, Workspace ws) {
        float[] kt = ws.kt(d * tk);
        float[] s = ws.scores();
        float[] acc = ws.row(dv);
        int kBase = k.base(bi, hi);
        transpose(k.data, kBase, k.sT, tk, d, kt);
        int qBase = q.base(bi, hi);
        int vBase = v.base(bi, hi);
        float scale = (float) c.scale();
        float drop = (float) c.dropoutScale();
        long rowIndex0 = ((long) bi * heads + hi) * tq;
        for (int i = 0; i < tq; i++) {
            int qi = qBase + i * q.sT;
            int end = keyEnd(c, i, tk);
            float m = Float.NEGATIVE_INFINITY;
            float sum = 0f;
            java.util.Arrays.fill(acc, 0, dv, 0f);
            for (int j0 = 0; j0 < end; j0 += KEY_TILE) {
                int n = Math.min(KEY_TILE, end - j0);
                rowTimesColumns(q.data, qi, kt, j0, tk, d, n, scale, s);
                if (masks != null) {
                    masks.apply(s, bi, hi, i, j0, n);
                }
                float tileMax = max(s, n);
                if (tileMax == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                float mNew = Math.max(m, tileMax);
                if (m != Float.NEGATIVE_INFINITY && mNew > m) {
                    float alpha = (float) Math.exp(m - mNew);
                    sum *= alpha;
                    scale(alpha, acc, 0, acc, 0, dv);
                }
                m = mNew;
                sum += expShift(s, n, m);
                if (c.dropout()) {
                    long at = (rowIndex0 + i) * tk + j0;
                    for (int j = 0; j < n; j++) {
                        s[j] = c.keeps(at + j) ? s[j] * drop : 0f;
                    }
                }
                accumulateRows(s, n, v.data, vBase + j0 * v.sT, v.sT, dv, acc, 0);
            }
            int row = (int) (rowIndex0 + i);
            if (sum == 0f) {
                lse[row] = Float.NEGATIVE_INFINITY;
            } else {
                scale(1f / sum, acc, 0, out, row * dv, dv);
                lse[row] = m + (float) Math.log(sum);
            }
        }
    }

    /** The gradients {dq, dk, dv}, each contiguous in the shape of its input. */
    static Tensor[] backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor g, AttentionConfig c) {
        View qv = View.of(q);
        View kv = View.of(k);
        View vv = View.of(v);
        View ov = View.of(out);
        View gv = View.of(g);
        Tensor lseDense = lse.isContiguous() ? lse : lse.contiguous();
        float[] l = lseDense.storage().floats();
        int lOff = lseDense.offset();
        int b = q.size(0), h = q.size(1), tq = q.size(2), tk = k.size(2), d = q.size(3), dv = v.size(3);
        Tensor dq = Tensors.zeros(q.shape(), DType.FLOAT32);
        Tensor dk = Tensors.zeros(k.shape(), DType.FLOAT32);
        Tensor dvt = Tensors.zeros(v.shape(), DType.FLOAT32);
        Masks masks = Masks.of(c, b, h, tq, tk);
        float[] dqa = dq.storage().floats();
        float[] dka = dk.storage().floats();
        float[] dva = dvt.storage().floats();
        forHeads(b * h, 2L * tq * tk * (d + dv), (s, e) -> {
            Workspace ws = WORKSPACE.get();
            for (int bh = s; bh < e; bh++) {
                backwardHead(bh / h, bh % h, h, tq, tk, d, dv, qv, kv, vv, ov, gv, l, lOff, masks, c, dqa, dka, dva, ws);
            }
        });
        return new Tensor[] {dq, dk, dvt};
    }

    private static void backwardHead(int bi, int hi, int heads, int tq, int tk, int d, int dv, View q, View k, View v, View o, View g,
                                     float[] lse, int lseOff, Masks masks, AttentionConfig c, float[] dq, float[] dk, float[] dvOut,
                                     Workspace ws) {
        float[] kt = ws.kt(d * tk);
        float[] vt = ws.vt(dv * tk);
        float[] p = ws.scores();
        float[] dp = ws.grads();
        float[] a = ws.dropped();
        float[] dqRow = ws.row(d);
        int kBase = k.base(bi, hi);
        int vBase = v.base(bi, hi);
        transpose(k.data, kBase, k.sT, tk, d, kt);
        transpose(v.data, vBase, v.sT, tk, dv, vt);
        int qBase = q.base(bi, hi);
        int oBase = o.base(bi, hi);
        int gBase = g.base(bi, hi);
        int bh = bi * heads + hi;
        int dkBase = bh * tk * d;
        int dvBase = bh * tk * dv;
        float scale = (float) c.scale();
        float drop = (float) c.dropoutScale();
        long rowIndex0 = (long) bh * tq;
        for (int i = 0; i < tq; i++) {
            int row = (int) (rowIndex0 + i);
            float rowLse = lse[lseOff + row];
            if (rowLse == Float.NEGATIVE_INFINITY) {
                continue;
            }
            int qi = qBase + i * q.sT;
            int gi = gBase + i * g.sT;
            float rowDot = dot(g.data, gi, o.data, oBase + i * o.sT, dv);
            int end = keyEnd(c, i, tk);
            java.util.Arrays.fill(dqRow, 0, d, 0f);
            for (int j0 = 0; j0 < end; j0 += KEY_TILE) {
                int n = Math.min(KEY_TILE, end - j0);
                rowTimesColumns(q.data, qi, kt, j0, tk, d, n, scale, p);
                if (masks != null) {
                    masks.apply(p, bi, hi, i, j0, n);
                }
                expShift(p, n, rowLse);
                rowTimesColumns(g.data, gi, vt, j0, tk, dv, n, 1f, dp);
                float[] weights = p;
                if (c.dropout()) {
                    long at = (rowIndex0 + i) * tk + j0;
                    for (int j = 0; j < n; j++) {
                        float z = c.keeps(at + j) ? drop : 0f;
                        a[j] = p[j] * z;
                        dp[j] *= z;
                    }
                    weights = a;
                }
                addOuter(weights, n, g.data, gi, dv, dvOut, dvBase + j0 * dv, dv);
                softmaxGrad(p, dp, n, rowDot);
                accumulateRows(dp, n, k.data, kBase + j0 * k.sT, k.sT, d, dqRow, 0);
                scale(scale, dp, 0, dp, 0, n);
                addOuter(dp, n, q.data, qi, d, dk, dkBase + j0 * d, d);
            }
            scale(scale, dqRow, 0, dq, row * d, d);
        }
    }

    /** One past the last key query i may see: Tk, or less under a causal mask (0 when it sees none). */
    private static int keyEnd(AttentionConfig c, int i, int tk) {
        if (!c.causal()) {
            return tk;
        }
        long end = (long) i + c.causalOffset() + 1;
        return (int) Math.max(0, Math.min(tk, end));
    }

    private static void forHeads(int heads, long workPerHead, RangeBody body) {
        int grain = (int) Math.max(1, Math.min(heads, PARALLEL_MIN / Math.max(1, workPerHead)));
        Parallel.forRange(heads, grain, body);
    }

    /** {@code mt[p·rows + r] = m[off + r·ld + p]}: a [rows, cols] block stored transposed. */
    private static void transpose(float[] m, int off, int ld, int rows, int cols, float[] mt) {
        for (int r = 0; r < rows; r++) {
            int at = off + r * ld;
            for (int p = 0; p < cols; p++) {
                mt[p * rows + r] = m[at + p];
            }
        }
    }

    private static void rowTimesColumns(float[] x, int xOff, float[] mt, int mtOff, int ld, int depth, int n, float scale, float[] s) {
        if (VECTOR) AttentionRowF32Vector.rowTimesColumns(x, xOff, mt, mtOff, ld, depth, n, scale, s);
        else AttentionRowF32Scalar.rowTimesColumns(x, xOff, mt, mtOff, ld, depth, n, scale, s);
    }

    private static float expShift(float[] s, int n, float shift) {
        return VECTOR ? AttentionRowF32Vector.expShift(s, n, shift) : AttentionRowF32Scalar.expShift(s, n, shift);
    }

    private static void accumulateRows(float[] p, int n, float[] m, int mOff, int ld, int len, float[] o, int oOff) {
        if (VECTOR) AttentionRowF32Vector.accumulateRows(p, n, m, mOff, ld, len, o, oOff);
        else AttentionRowF32Scalar.accumulateRows(p, n, m, mOff, ld, len, o, oOff);
    }

    private static void addOuter(float[] a, int n, float[] x, int xOff, int len, float[] y, int yOff, int ld) {
        if (VECTOR) AttentionRowF32Vector.addOuter(a, n, x, xOff, len, y, yOff, ld);
        else AttentionRowF32Scalar.addOuter(a, n, x, xOff, len, y, yOff, ld);
    }

    private static void softmaxGrad(float[] p, float[] d, int n, float shift) {
        if (VECTOR) AttentionRowF32Vector.softmaxGrad(p, d, n, shift);
        else AttentionRowF32Scalar.softmaxGrad(p, d, n, shift);
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        return VECTOR ? AttentionRowF32Vector.dot(a, aOff, b, bOff, len) : AttentionRowF32Scalar.dot(a, aOff, b, bOff, len);
    }

    private static void scale(float a, float[] x, int xOff, float[] y, int yOff, int len) {
        if (VECTOR) AttentionRowF32Vector.scale(a, x, xOff, y, yOff, len);
        else AttentionRowF32Scalar.scale(a, x, xOff, y, yOff, len);
    }

    private static float max(float[] s, int n) {
        return VECTOR ? AttentionRowF32Vector.max(s, n) : AttentionRowF32Scalar.max(s, n);
    }

    /** A [B, H, T, D] float32 operand read in place: element (b, h, t, x) at {@code off + b·sB + h·sH + t·sT + x}. */
    private record View(float[] data, int off, int sB, int sH, int sT) {
        /** The tensor's own strides when its last one is 1, else those of a contiguous copy. */
        static View of(Tensor x) {
            Tensor t = x.strides()[3] == 1 || x.size(3) <= 1 ? x : x.contiguous();
            int[] st = t.strides();
            return new View(t.storage().floats(), t.offset(), st[0], st[1], st[2]);
        }

        int base(int b, int h) {
            return off + b * sB + h * sH;
        }
    }

    /** The attention mask (bool or float32, broadcast strides) and key padding mask, applied to one tile of scores. */
    private record Masks(boolean[] allow, float[] add, int mOff, int[] ms, boolean[] pad, int pOff, int[] ps) {
        static Masks of(AttentionConfig c, int b, int h, int tq, int tk) {
            Tensor m = c.attnMask();
            Tensor p = c.keyPaddingMask();
            if (m == null && p == null) {
                return null;
            }
            int[] ms = m == null ? null : Strides.broadcast(m, Shape.of(b, h, tq, tk));
            return new Masks(m != null && m.dtype() == DType.BOOL ? m.storage().booleans() : null,
                    m != null && m.dtype() == DType.FLOAT32 ? m.storage().floats() : null, m == null ? 0 : m.offset(), ms,
                    p == null ? null : p.storage().booleans(), p == null ? 0 : p.offset(), p == null ? null : p.strides());
        }

        void apply(float[] s, int bi, int hi, int i, int j0, int n) {
            if (add != null || allow != null) {
                int at = mOff + bi * ms[0] + hi * ms[1] + i * ms[2] + j0 * ms[3];
                int st = ms[3];
                if (add != null) {
                    for (int j = 0; j < n; j++) {
                        s[j] += add[at + j * st];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        if (!allow[at + j * st]) {
                            s[j] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
            if (pad != null) {
                int at = pOff + bi * ps[0] + j0 * ps[1];
                for (int j = 0; j < n; j++) {
                    if (pad[at + j * ps[1]]) {
                        s[j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
    }

    /** Per-thread buffers, grown on demand and reused by every later call. */
    private static final class Workspace {
        private float[] kt = new float[0];
        private float[] vt = new float[0];
        private float[] row = new float[0];
        private final float[] scores = new float[KEY_TILE];
        private final float[] grads = new float[KEY_TILE];
        private final float[] dropped = new float[KEY_TILE];

        float[] kt(int size) {
            if (kt.length < size) {
                kt = new float[size];
            }
            return kt;
        }

        float[] vt(int size) {
            if (vt.length < size) {
                vt = new float[size];
            }
            return vt;
        }

        float[] row(int size) {
            if (row.length < size) {
                row = new float[size];
            }
            return row;
        }

        float[] scores() {
            return scores;
        }

        float[] grads() {
            return grads;
        }

        float[] dropped() {
            return dropped;
        }
    }
}
