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
 * log-sum-exp of each row; the backward recomputes each tile's probabilities from it. The backward
 * keeps one tile of P and dS for a chunk of {@link #QUERY_CHUNK} query rows, then forms dK and dV for the
 * tile's keys as products over the whole chunk, so each of their rows is stored once per chunk instead of
 * once per block of four query rows (the GPT benchmark's attention backward: 2.31 to 1.94 ms).
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
    /** Query rows processed together: each key loaded serves four of them. */
    private static final int ROWS = 4;
    /**
     * Query rows whose P and dS tiles the backward keeps (2 x 16 KiB), so that dK and dV are products over
     * all of them with accumulators in registers ({@link AttentionRowF32Vector#addTransposed4}), stored once
     * per chunk. Adding each block of four rows into dK and dV (a load, four chained FMAs and a store per
     * vector) took half of the GPT benchmark's attention backward. The first chunk that sees a key stores its
     * rows instead of adding to them (dK and dV hold nothing to keep on entry): loading them stalled on memory,
     * as the fresh arrays they were then had been zeroed when allocated and evicted from the cache long before (the GPT benchmark's causal backward, [32, 4, 64,
     * 32], alternating in one JVM: 2.76 to 2.33 ms on two threads, 27 of 30 rounds; 5.14 to 4.33 on one).
     */
    private static final int QUERY_CHUNK = 64;
    /** Keys whose dK and dV rows one {@link #addTransposed} call accumulates. */
    private static final int KEY_GROUP = 4;
    private static final boolean VECTOR = Simd.ENABLED;
    /**
     * Keys are processed in whole vectors: the transposed K and V are padded with zero columns to a multiple
     * of this, and the padding lanes' scores are set to −∞ (probability 0), so no kernel runs a scalar tail.
     */
    private static final int LANES = VECTOR ? UnaryF32Vector.F.length() : 1;
    /** Whether {@link #transpose} moves 8x8 blocks through registers ({@link MatmulPackF32#transposeEightRows}: 256-bit vectors or wider). */
    private static final boolean TRANSPOSE_BLOCKS = VECTOR && MatmulPackF32.TRANSPOSE; // that vector class loads only with vectors on
    /** Multiply-adds below which waking the workers costs more than it saves. */
    private static final long PARALLEL_MIN = 1L << 15;
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private AttentionF32() {}

    /** True when {@link #backward} can write into these gradients: float32, with stride 1 in the last dimension. */
    static boolean writable(Tensor... grads) {
        for (Tensor x : grads) {
            if (x.dtype() != DType.FLOAT32 || x.size(3) > 1 && x.stride(3) != 1) {
                return false;
            }
        }
        return true;
    }

    /** True when this kernel takes the op: float32 q, k, v, and a bool or float32 mask. */
    static boolean accepts(Tensor q, Tensor k, Tensor v, AttentionConfig c) {
        Tensor m = c.attnMask();
        return q.dtype() == DType.FLOAT32 && k.dtype() == DType.FLOAT32 && v.dtype() == DType.FLOAT32
                && (m == null || m.dtype() == DType.BOOL || m.dtype() == DType.FLOAT32);
    }

    /**
     * The output [B, H, Tq, Dv] and log-sum-exp [B, H, Tq]. The output is a transposed view of [B, Tq, H, Dv]
     * memory, as PyTorch's flash attention returns it: multi-head attention merges the heads with
     * {@code transpose(1, 2).reshape(B, Tq, H·Dv)}, which is then a view instead of a copy.
     */
    static AttentionResult forward(Tensor q, Tensor k, Tensor v, AttentionConfig c) {
        View qv = View.of(q);
        View kv = View.of(k);
        View vv = View.of(v);
        int b = q.size(0), h = q.size(1), tq = q.size(2), tk = k.size(2), d = q.size(3), dv = v.size(3);
        Tensor out = headsLast(b, h, tq, dv);
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
        return new AttentionResult(out.transpose(1, 2), lse);
    }

    /** [B, T, H, D], every element to be written: each (batch, head) is T rows of D floats, {@code H·D} apart. */
    private static Tensor headsLast(int b, int h, int t, int d) {
        return Tensors.empty(Shape.of(b, t, h, d), DType.FLOAT32);
    }

    /** Where row {@code t} of head {@code (bi, hi)} starts in [B, T, H, D] memory. */
    private static int headsLastRow(int bi, int hi, int t, int heads, int tLen, int d) {
        return ((bi * tLen + t) * heads + hi) * d;
    }

    private static void forwardHead(int bi, int hi, int heads, int tq, int tk, int d, int dv, View q, View k, View v, Masks masks,
                                    AttentionConfig c, float[] out, float[] lse, Workspace ws) {
        int ld = roundUp(tk, LANES);
        float[] kt = ws.kt(d * ld);
        float[] s = ws.scores;
        float[] acc = ws.acc(ROWS * dv);
        float[] m = ws.max;
        float[] sum = ws.sum;
        int[] qr = ws.rowsA;
        transpose(k.data, k.base(bi, hi), k.sT, tk, d, kt, ld);
        int qBase = q.base(bi, hi);
        int vBase = v.base(bi, hi);
        float scale = (float) c.scale();
        float drop = (float) c.dropoutScale();
        long rowIndex0 = ((long) bi * heads + hi) * tq;
        for (int i0 = 0; i0 < tq; i0 += ROWS) {
            for (int r = 0; r < ROWS; r++) {
                qr[r] = qBase + Math.min(i0 + r, tq - 1) * q.sT;
                m[r] = Float.NEGATIVE_INFINITY;
                sum[r] = 0f;
            }
            java.util.Arrays.fill(acc, 0, ROWS * dv, 0f);
            int end = keyEnd(c, Math.min(i0 + ROWS, tq) - 1, tk);
            for (int j0 = 0; j0 < end; j0 += KEY_TILE) {
                int n = Math.min(KEY_TILE, end - j0);
                int nv = roundUp(n, LANES);
                scores4(q.data, qr[0], qr[1], qr[2], qr[3], kt, j0, ld, d, nv, scale, s, 0, KEY_TILE);
                for (int r = 0; r < ROWS; r++) {
                    int i = i0 + r;
                    int so = r * KEY_TILE;
                    int nr = i < tq ? Math.clamp(keyEnd(c, i, tk) - j0, 0, n) : 0;
                    java.util.Arrays.fill(s, so + nr, so + nv, Float.NEGATIVE_INFINITY);
                    if (masks != null) {
                        masks.apply(s, so, bi, hi, i, j0, nr);
                    }
                    float tileMax = max(s, so, nv);
                    if (tileMax == Float.NEGATIVE_INFINITY) {
                        java.util.Arrays.fill(s, so, so + nv, 0f);
                        continue;
                    }
                    float mNew = Math.max(m[r], tileMax);
                    if (m[r] != Float.NEGATIVE_INFINITY && mNew > m[r]) {
                        float alpha = ExpF32Scalar.exp(m[r] - mNew);
                        sum[r] *= alpha;
                        scale(alpha, acc, r * dv, acc, r * dv, dv);
                    }
                    m[r] = mNew;
                    sum[r] += expShift(s, so, nv, mNew);
                    if (c.dropout()) {
                        long at = (rowIndex0 + i) * tk + j0;
                        for (int j = 0; j < nr; j++) {
                            s[so + j] = c.keeps(at + j) ? s[so + j] * drop : 0f;
                        }
                    }
                }
                accumulate4(s, 0, KEY_TILE, n, v.data, vBase + j0 * v.sT, v.sT, dv, acc, 0, dv);
            }
            for (int r = 0; r < ROWS && i0 + r < tq; r++) {
                int row = (int) (rowIndex0 + i0 + r);
                if (sum[r] == 0f) {
                    // a row that sees no key (every score masked) outputs zeros, as PyTorch's flash attention does
                    int at = headsLastRow(bi, hi, i0 + r, heads, tq, dv);
                    java.util.Arrays.fill(out, at, at + dv, 0f);
                    lse[row] = Float.NEGATIVE_INFINITY;
                } else {
                    scale(1f / sum[r], acc, r * dv, out, headsLastRow(bi, hi, i0 + r, heads, tq, dv), dv);
                    lse[row] = m[r] + (float) Math.log(sum[r]);
                }
            }
        }
    }

    /**
     * The gradients of q, k and v written over {@code dq}, {@code dk} and {@code dv}, float32 views of their shapes whose
     * last dimension has stride 1 ({@link #writable(Tensor...)}); every element is written, so they need not be zeroed first.
     */
    static void backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor lse, Tensor g, AttentionConfig c, Tensor dq, Tensor dk, Tensor dv) {
        View qv = View.of(q);
        View kv = View.of(k);
        View vv = View.of(v);
        View ov = View.of(out);
        View gv = View.of(g);
        Tensor lseDense = lse.isContiguous() ? lse : lse.contiguous();
        float[] l = lseDense.storage().floats();
        int lOff = lseDense.offset();
        View dqv = View.ofDestination(dq);
        View dkv = View.ofDestination(dk);
        View dvv = View.ofDestination(dv);
        int b = q.size(0), h = q.size(1), tq = q.size(2), tk = k.size(2), d = q.size(3), dvLen = v.size(3);
        Masks masks = Masks.of(c, b, h, tq, tk);
        forHeads(b * h, 2L * tq * tk * (d + dvLen), (s, e) -> {
            Workspace ws = WORKSPACE.get();
            for (int bh = s; bh < e; bh++) {
                backwardHead(bh / h, bh % h, h, tq, tk, d, dvLen, qv, kv, vv, ov, gv, l, lOff, masks, c, dqv, dkv, dvv, ws);
            }
        });
    }

    private static void backwardHead(int bi, int hi, int heads, int tq, int tk, int d, int dv, View q, View k, View v, View o, View g,
                                     float[] lse, int lseOff, Masks masks, AttentionConfig c, View dq, View dk, View dvOut,
                                     Workspace ws) {
        int ld = roundUp(tk, LANES);
        float[] kt = ws.kt(d * ld);
        float[] vt = ws.vt(dv * ld);
        float[] p = ws.chunkScores;
        float[] ds = ws.chunkGrads;
        float[] a = c.dropout() ? ws.chunkDropped : p;
        float[] dqAcc = ws.acc(QUERY_CHUNK * d);
        float[] rowDot = ws.rowDot;
        boolean[] live = ws.live;
        int[] qr = ws.rowsA;
        int[] gr = ws.rowsB;
        int kBase = k.base(bi, hi);
        transpose(k.data, kBase, k.sT, tk, d, kt, ld);
        transpose(v.data, v.base(bi, hi), v.sT, tk, dv, vt, ld);
        int qBase = q.base(bi, hi);
        int oBase = o.base(bi, hi);
        int gBase = g.base(bi, hi);
        int dkBase = dk.base(bi, hi);
        int dvBase = dvOut.base(bi, hi);
        int dqBase = dq.base(bi, hi);
        float scale = (float) c.scale();
        float drop = (float) c.dropoutScale();
        long rowIndex0 = ((long) bi * heads + hi) * tq;
        for (int c0 = 0; c0 < tq; c0 += QUERY_CHUNK) {
            int c1 = Math.min(tq, c0 + QUERY_CHUNK);
            for (int i = c0; i < c1; i++) {
                live[i - c0] = lse[lseOff + (int) (rowIndex0 + i)] != Float.NEGATIVE_INFINITY;
                rowDot[i - c0] = live[i - c0] ? dot(g.data, gBase + i * g.sT, o.data, oBase + i * o.sT, dv) : 0f;
            }
            java.util.Arrays.fill(dqAcc, 0, (c1 - c0) * d, 0f);
            int chunkEnd = keyEnd(c, c1 - 1, tk);
            for (int j0 = 0; j0 < chunkEnd; j0 += KEY_TILE) {
                // P (after dropout: A) and dS of this tile for the chunk's rows, and their share of dQ = dS·K
                for (int i0 = c0; i0 < c1; i0 += ROWS) {
                    int blockEnd = keyEnd(c, Math.min(i0 + ROWS, c1) - 1, tk);
                    if (blockEnd <= j0) {
                        continue; // no row of this block sees a key of the tile (causal); phase two reads none of its rows
                    }
                    int n = Math.min(KEY_TILE, blockEnd - j0);
                    int nv = roundUp(n, LANES);
                    int po = (i0 - c0) * KEY_TILE;
                    for (int r = 0; r < ROWS; r++) {
                        int i = Math.min(i0 + r, c1 - 1);
                        qr[r] = qBase + i * q.sT;
                        gr[r] = gBase + i * g.sT;
                    }
                    scores4(q.data, qr[0], qr[1], qr[2], qr[3], kt, j0, ld, d, nv, scale, p, po, KEY_TILE);
                    scores4(g.data, gr[0], gr[1], gr[2], gr[3], vt, j0, ld, dv, nv, 1f, ds, po, KEY_TILE);
                    int width = Math.max(nv, roundUp(n, KEY_GROUP));
                    for (int r = 0; r < ROWS; r++) {
                        int i = i0 + r;
                        int so = po + r * KEY_TILE;
                        if (i >= c1 || !live[i - c0]) {
                            java.util.Arrays.fill(p, so, so + width, 0f);
                            java.util.Arrays.fill(a, so, so + width, 0f);
                            java.util.Arrays.fill(ds, so, so + width, 0f);
                            continue;
                        }
                        int nr = Math.clamp(keyEnd(c, i, tk) - j0, 0, n);
                        java.util.Arrays.fill(p, so + nr, so + nv, Float.NEGATIVE_INFINITY);
                        if (masks != null) {
                            masks.apply(p, so, bi, hi, i, j0, nr);
                        }
                        expShift(p, so, nv, lse[lseOff + (int) (rowIndex0 + i)]);
                        if (c.dropout()) {
                            long at = (rowIndex0 + i) * tk + j0;
                            for (int j = 0; j < nv; j++) {
                                float z = j < nr && c.keeps(at + j) ? drop : 0f;
                                a[so + j] = p[so + j] * z;
                                ds[so + j] *= z;
                            }
                        }
                        softmaxGrad(p, so, ds, nv, rowDot[i - c0], scale);
                        // whole key groups for phase two (only without vectors is nv not a multiple of KEY_GROUP)
                        java.util.Arrays.fill(a, so + nv, so + width, 0f);
                        java.util.Arrays.fill(ds, so + nv, so + width, 0f);
                    }
                    accumulate4(ds, po, KEY_TILE, n, k.data, kBase + j0 * k.sT, k.sT, d, dqAcc, (i0 - c0) * d, d);
                }
                // dV += Aᵀ·dO and dK += dSᵀ·Q for the tile's keys, each key group from the first row that sees it
                int tileKeys = Math.min(KEY_TILE, chunkEnd - j0);
                for (int j = 0; j < tileKeys; j += KEY_GROUP) {
                    int keys = Math.min(KEY_GROUP, tileKeys - j);
                    int first = firstRowSeeing(c, j0 + j, c0);
                    if (first >= c1) {
                        continue;
                    }
                    int ao = (first - c0) * KEY_TILE + j;
                    // the first chunk that sees a key group writes its rows of dK and dV without loading them
                    boolean zeros = firstRowSeeing(c, j0 + j, 0) >= c0;
                    addTransposed(a, ao, KEY_TILE, c1 - first, keys, g.data, gBase + first * g.sT, g.sT, dv, dvOut.data,
                            dvBase + (j0 + j) * dvOut.sT, dvOut.sT, zeros);
                    addTransposed(ds, ao, KEY_TILE, c1 - first, keys, q.data, qBase + first * q.sT, q.sT, d, dk.data,
                            dkBase + (j0 + j) * dk.sT, dk.sT, zeros);
                }
            }
            for (int i = c0; i < c1; i++) {
                System.arraycopy(dqAcc, (i - c0) * d, dq.data, dqBase + i * dq.sT, d);
            }
        }
        // keys no query sees (a causal mask with Tq < Tk upper-left) get no term above: their gradients are zero
        for (int j = tq == 0 ? 0 : keyEnd(c, tq - 1, tk); j < tk; j++) {
            java.util.Arrays.fill(dk.data, dkBase + j * dk.sT, dkBase + j * dk.sT + d, 0f);
            java.util.Arrays.fill(dvOut.data, dvBase + j * dvOut.sT, dvBase + j * dvOut.sT + dv, 0f);
        }
    }

    /** The first query row, from {@code c0} on, that may see key j: all of them, or under a causal mask j − offset on. */
    private static int firstRowSeeing(AttentionConfig c, int j, int c0) {
        return c.causal() ? (int) Math.max(c0, (long) j - c.causalOffset()) : c0;
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

    /**
     * {@code mt[p·ldt + r] = m[off + r·ld + p]}: a [rows, cols] block stored transposed, columns rows..ldt−1 zero.
     * Eight source rows at a time, so that each column gets eight adjacent floats (32 bytes) per step instead
     * of one float in each of {@code cols} cache lines per row: single-threaded, in one-JVM alternation on the
     * GPT benchmark's heads ([64, 32] from rows 384 floats apart), the row-at-a-time loop took about a fifth
     * of the attention forward, and this one made the forward 15% and the backward 13% faster. With 256-bit
     * vectors or wider each 8x8 block then goes through registers ({@link MatmulPackF32#transposeEightRows}) instead
     * of 64 scalar copies: the GPT benchmark's attention forward and backward (8-lane kernels) 1.04-1.07x faster on
     * one thread and 1.06-1.10x on two (medians of the per-round ratios, 70 rounds in two runs alternating in one JVM, faster
     * in 47 of 70 and 54 of 70).
     */
    private static void transpose(float[] m, int off, int ld, int rows, int cols, float[] mt, int ldt) {
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
            int a0 = off + r * ld, a1 = a0 + ld, a2 = a1 + ld, a3 = a2 + ld, a4 = a3 + ld, a5 = a4 + ld, a6 = a5 + ld, a7 = a6 + ld;
            int p = 0;
            if (TRANSPOSE_BLOCKS) {
                p = cols & ~7;
                MatmulPackF32.transposeEightRows(m, a0, ld, p, mt, r, ldt);
            }
            for (; p < cols; p++) {
                int to = p * ldt + r;
                mt[to] = m[a0 + p];
                mt[to + 1] = m[a1 + p];
                mt[to + 2] = m[a2 + p];
                mt[to + 3] = m[a3 + p];
                mt[to + 4] = m[a4 + p];
                mt[to + 5] = m[a5 + p];
                mt[to + 6] = m[a6 + p];
                mt[to + 7] = m[a7 + p];
            }
        }
        for (; r < rows; r++) {
            int at = off + r * ld;
            for (int p = 0; p < cols; p++) {
                mt[p * ldt + r] = m[at + p];
            }
        }
        for (int p = 0; p < cols && ldt > rows; p++) {
            java.util.Arrays.fill(mt, p * ldt + rows, (p + 1) * ldt, 0f);
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    private static void scores4(float[] x, int x0, int x1, int x2, int x3, float[] mt, int mtOff, int ld, int depth, int nv, float scale,
                                float[] s, int sOff, int ls) {
        if (VECTOR) AttentionRowF32Vector.scores4(x, x0, x1, x2, x3, mt, mtOff, ld, depth, nv, scale, s, sOff, ls);
        else AttentionRowF32Scalar.scores4(x, x0, x1, x2, x3, mt, mtOff, ld, depth, nv, scale, s, sOff, ls);
    }

    private static void accumulate4(float[] p, int pOff, int ls, int n, float[] m, int mOff, int ldm, int len, float[] o, int oOff, int ldo) {
        if (VECTOR) AttentionRowF32Vector.accumulate4(p, pOff, ls, n, m, mOff, ldm, len, o, oOff, ldo);
        else AttentionRowF32Scalar.accumulate4(p, pOff, ls, n, m, mOff, ldm, len, o, oOff, ldo);
    }

    private static void addTransposed(float[] a, int aOff, int lda, int rows, int keys, float[] x, int xOff, int ldx, int len, float[] y,
                                      int yOff, int ldy, boolean zeros) {
        if (VECTOR && keys == KEY_GROUP) AttentionRowF32Vector.addTransposed4(a, aOff, lda, rows, x, xOff, ldx, len, y, yOff, ldy, zeros);
        else AttentionRowF32Scalar.addTransposed(a, aOff, lda, rows, keys, x, xOff, ldx, 0, len, y, yOff, ldy, zeros);
    }

    private static float expShift(float[] s, int off, int n, float shift) {
        return VECTOR ? AttentionRowF32Vector.expShift(s, off, n, shift) : AttentionRowF32Scalar.expShift(s, off, n, shift);
    }

    private static void softmaxGrad(float[] p, int off, float[] d, int n, float shift, float scale) {
        if (VECTOR) AttentionRowF32Vector.softmaxGrad(p, off, d, n, shift, scale);
        else AttentionRowF32Scalar.softmaxGrad(p, off, d, n, shift, scale);
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        return VECTOR ? AttentionRowF32Vector.dot(a, aOff, b, bOff, len) : AttentionRowF32Scalar.dot(a, aOff, b, bOff, len);
    }

    private static void scale(float a, float[] x, int xOff, float[] y, int yOff, int len) {
        if (VECTOR) AttentionRowF32Vector.scale(a, x, xOff, y, yOff, len);
        else AttentionRowF32Scalar.scale(a, x, xOff, y, yOff, len);
    }

    private static float max(float[] s, int off, int n) {
        return VECTOR ? AttentionRowF32Vector.max(s, off, n) : AttentionRowF32Scalar.max(s, off, n);
    }

    /** A [B, H, T, D] float32 operand read in place: element (b, h, t, x) at {@code off + b·sB + h·sH + t·sT + x}. */
    private record View(float[] data, int off, int sB, int sH, int sT) {
        /** The tensor's own strides when its last one is 1, else those of a contiguous copy. */
        static View of(Tensor x) {
            Tensor t = x.stride(3) == 1 || x.size(3) <= 1 ? x : x.contiguous();
            int[] st = t.strides();
            return new View(t.storage().floats(), t.offset(), st[0], st[1], st[2]);
        }

        /** A destination, with its own strides (the caller checked {@link AttentionF32#writable(Tensor...)}). */
        static View ofDestination(Tensor x) {
            int[] st = x.strides();
            return new View(x.storage().floats(), x.offset(), st[0], st[1], st[2]);
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

        /** Applies the masks to scores {@code s[so + j]} of query i and keys j0 + j, j < n. */
        void apply(float[] s, int so, int bi, int hi, int i, int j0, int n) {
            if (add != null || allow != null) {
                int at = mOff + bi * ms[0] + hi * ms[1] + i * ms[2] + j0 * ms[3];
                int st = ms[3];
                if (add != null) {
                    for (int j = 0; j < n; j++) {
                        s[so + j] += add[at + j * st];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        if (!allow[at + j * st]) {
                            s[so + j] = Float.NEGATIVE_INFINITY;
                        }
                    }
                }
            }
            if (pad != null) {
                int at = pOff + bi * ps[0] + j0 * ps[1];
                for (int j = 0; j < n; j++) {
                    if (pad[at + j * ps[1]]) {
                        s[so + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
    }

    /** Per-thread buffers, grown on demand and reused by every later call. */
    private static final class Workspace {
        private float[] kt = new float[0];
        private float[] vt = new float[0];
        private float[] acc = new float[0];
        final float[] scores = new float[ROWS * KEY_TILE];
        final float[] max = new float[ROWS];
        final float[] sum = new float[ROWS];
        final int[] rowsA = new int[ROWS];
        final int[] rowsB = new int[ROWS];
        /** The backward's P (or, with dropout, A) and dS tiles of one query chunk, and per-row state. */
        final float[] chunkScores = new float[QUERY_CHUNK * KEY_TILE];
        final float[] chunkGrads = new float[QUERY_CHUNK * KEY_TILE];
        final float[] chunkDropped = new float[QUERY_CHUNK * KEY_TILE];
        final float[] rowDot = new float[QUERY_CHUNK];
        final boolean[] live = new boolean[QUERY_CHUNK];

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

        float[] acc(int size) {
            if (acc.length < size) {
                acc = new float[size];
            }
            return acc;
        }
    }
}
