package fathom.cpu;

import fathom.backend.PoolAxis;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import java.util.stream.IntStream;

/**
 * Max pooling with the contract of {@link MaxPoolF32#forward}, in two passes per output row; loaded
 * only when {@link Simd#ENABLED}.
 *
 * <p>The first pass reduces the window's rows column by column with vectors: the running maximum of
 * each column and the row it came from (a larger value or a NaN takes over, so each column keeps its
 * first maximum, or its last NaN). The second pass picks among the window's columns the one PyTorch's
 * row-major scan would end on: the largest value, on a tie the smallest row, then the smallest column
 * (with gathered vectors where the windows are complete and evenly spaced, else one output at a time
 * without branches; see {@link #horizontal}); or, when the rows hold a NaN, the largest row, then the
 * largest column. So indices equal the scalar twin's even with exact ties. A k × k window costs k
 * vector steps per column plus k steps per output instead of k² scalar steps (3×3/2 windows measured
 * about 6 times faster than the twin, on a busy machine). Row numbers are kept as floats, exact below
 * 2^24, so one mask blends both the values and their rows.
 */
final class MaxPoolF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private MaxPoolF32Vector() {}

    static void forward(float[] x, int xOff, int planes, int height, int width, PoolAxis h, PoolAxis w, float[] out, long[] idx, int outOff) {
        int oh = h.outSize();
        int ow = w.outSize();
        int[] hf = h.first();
        int[] ht = h.taps();
        int[] wf = w.first();
        int[] wt = w.taps();
        int hs = h.step();
        int ws = w.step();
        float[] colMax = new float[width];
        float[] colRow = new float[width];
        int[] scratch = new int[L];
        Interior interior = Interior.of(w);
        int bound = F.loopBound(width);
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            int o = outOff + p * oh * ow;
            for (int i = 0; i < oh; i++, o += ow) {
                if (ht[i] == 0) {
                    Arrays.fill(out, o, o + ow, Float.NEGATIVE_INFINITY);
                    Arrays.fill(idx, o, o + ow, -1);
                    continue;
                }
                int r0 = hf[i];
                System.arraycopy(x, plane + r0 * width, colMax, 0, width);
                Arrays.fill(colRow, r0);
                boolean nan = false;
                for (int c = 0; c < width; c++) {
                    nan |= colMax[c] != colMax[c];
                }
                for (int a = 1; a < ht[i]; a++) {
                    int r = r0 + a * hs;
                    int row = plane + r * width;
                    FloatVector vr = FloatVector.broadcast(F, r);
                    int c = 0;
                    for (; c < bound; c += L) {
                        FloatVector v = FloatVector.fromArray(F, x, row + c);
                        FloatVector best = FloatVector.fromArray(F, colMax, c);
                        VectorMask<Float> isNan = v.test(VectorOperators.IS_NAN);
                        VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(isNan);
                        best.blend(v, take).intoArray(colMax, c);
                        nan |= isNan.anyTrue();
                        FloatVector.fromArray(F, colRow, c).blend(vr, take).intoArray(colRow, c);
                    }
                    for (; c < width; c++) {
                        float v = x[row + c];
                        nan |= v != v;
                        if (v > colMax[c] || v != v) {
                            colMax[c] = v;
                            colRow[c] = r;
                        }
                    }
                }
                if (!nan) {
                    horizontal(x, plane, colMax, colRow, w, interior, width, out, idx, o, scratch);
                    continue;
                }
                for (int j = 0; j < ow; j++) {
                    if (wt[j] == 0) {
                        out[o + j] = Float.NEGATIVE_INFINITY;
                        idx[o + j] = -1;
                        continue;
                    }
                    int c = wf[j];
                    float best = colMax[c];
                    float bestRow = colRow[c];
                    int bestCol = c;
                    for (int b = 1; b < wt[j]; b++) {
                        c += ws;
                        float v = colMax[c];
                        float r = colRow[c];
                        boolean take = best != best ? v != v && r >= bestRow : v != v || v > best || v == best && r < bestRow;
                        if (take) {
                            best = v;
                            bestRow = r;
                            bestCol = c;
                        }
                    }
                    out[o + j] = best;
                    idx[o + j] = (long) bestRow * width + bestCol;
                }
            }
        }
    }

    /**
     * The second pass when the row holds no NaN. Over {@link Interior} outputs, L at a time: each tap's
     * column candidates are gathered (lane n reads the column of output j + n), and a candidate takes over
     * when larger, or equal with a smaller row (the smaller column comes first). Elsewhere one output at
     * a time without branches: each candidate becomes a long key, its value's bits made order-preserving
     * (−0 counted as +0, which {@code >} cannot tell apart) in the high half and the complement of its
     * plane index in the low half, so the largest key is the largest value with the smallest row-major
     * index, PyTorch's pick; the value is then read back at that index, keeping the sign of a zero.
     */
    private static void horizontal(float[] x, int plane, float[] colMax, float[] colRow, PoolAxis w, Interior in, int width, float[] out,
            long[] idx, int o, int[] scratch) {
        int[] wf = w.first();
        int[] wt = w.taps();
        int ws = w.step();
        int vectorEnd = in.lo + F.loopBound(in.hi - in.lo);
        for (int j = in.lo; j < vectorEnd; j += L) {
            int c = wf[j];
            FloatVector best = FloatVector.fromArray(F, colMax, c, in.map, 0);
            FloatVector bestRow = FloatVector.fromArray(F, colRow, c, in.map, 0);
            FloatVector bestCol = in.laneCols.add(c);
            for (int b = 1; b < in.taps; b++) {
                c += ws;
                FloatVector v = FloatVector.fromArray(F, colMax, c, in.map, 0);
                FloatVector r = FloatVector.fromArray(F, colRow, c, in.map, 0);
                VectorMask<Float> take = v.compare(VectorOperators.GT, best)
                        .or(v.compare(VectorOperators.EQ, best).and(r.compare(VectorOperators.LT, bestRow)));
                best = best.blend(v, take);
                bestRow = bestRow.blend(r, take);
                bestCol = bestCol.blend(in.laneCols.add(c), take);
            }
            best.intoArray(out, o + j);
            IntVector at = ((IntVector) bestRow.convert(VectorOperators.F2I, 0)).mul(width).add((IntVector) bestCol.convert(VectorOperators.F2I, 0));
            at.intoArray(scratch, 0);
            for (int n = 0; n < L; n++) {
                idx[o + j + n] = scratch[n];
            }
        }
        for (int j = 0; j < w.outSize(); j++) {
            if (j == in.lo && vectorEnd > j) {
                j = vectorEnd - 1; // done above
                continue;
            }
            if (wt[j] == 0) {
                out[o + j] = Float.NEGATIVE_INFINITY;
                idx[o + j] = -1;
                continue;
            }
            long best = Long.MIN_VALUE;
            for (int b = 0, c = wf[j]; b < wt[j]; b++, c += ws) {
                best = Math.max(best, key(colMax[c], (int) colRow[c] * width + c));
            }
            int at = ~(int) best;
            out[o + j] = x[plane + at];
            idx[o + j] = at;
        }
    }

    /**
     * The outputs {@code [lo, hi)} whose windows along the row all have {@code taps} taps and start
     * {@code stride} apart, with the gather map {@code n·stride} and its float twin; an empty range when
     * fewer than L such windows are in a row.
     */
    private record Interior(int lo, int hi, int taps, int[] map, FloatVector laneCols) {
        static Interior of(PoolAxis w) {
            int[] wf = w.first();
            int[] wt = w.taps();
            int k = w.maxTaps();
            int lo = 0;
            while (lo < wt.length && wt[lo] != k) {
                lo++;
            }
            int hi = Math.min(lo + 1, wt.length);
            int stride = hi < wt.length && wt[hi] == k ? wf[hi] - wf[lo] : 0;
            while (hi < wt.length && wt[hi] == k && wf[hi] - wf[hi - 1] == stride) {
                hi++;
            }
            int[] map = new int[L];
            float[] cols = new float[L];
            for (int n = 0; n < L; n++) {
                map[n] = n * stride;
                cols[n] = n * stride;
            }
            return hi - lo < L || stride <= 0 ? new Interior(0, 0, 0, map, null) : new Interior(lo, hi, k, map, FloatVector.fromArray(F, cols, 0));
        }
    }

    /** Lane n reads lane 2n of the pair (this, next vector): the even columns of 2L consecutive ones. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, n -> 2 * n);
    /** Lane n reads lane 2n + 1 of the pair: the odd columns. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, n -> 2 * n + 1);
    /** 2n in lane n: each output's first input column, relative to the first of the L. */
    private static final IntVector TWICE_LANE = IntVector.fromArray(VectorSpecies.of(int.class, F.vectorShape()),
            IntStream.range(0, L).map(n -> 2 * n).toArray(), 0);

    /**
     * {@link MaxPoolF32#forwardPairs}: L outputs at a time, the even and odd columns of two input rows split
     * out by two-vector shuffles, then the four taps in row-major order, each taking over when larger or NaN,
     * its offset in the window ({@code 0, 1, width, width + 1}, exact as a float below 2^24) blended along;
     * a row's last L outputs are computed as one vector overlapping the previous one, and a row of fewer
     * than L outputs as one vector partly wasted ({@link #shortRow}). The general kernel spends its time on
     * per-row setup, a NaN scan and gathers that a window this small does not repay, and a scalar loop is
     * worse still: its branches follow random data (the twin is for vectors off, not for speed). Measured on one thread by its CPU time
     * ({@code LenetStepTiming}, a busy machine): LeNet's first pooling ([128, 6, 28, 28] into 14x14) general
     * 1.57 to 1.76 ms, scalar 2.95 ms, this kernel 0.32 ms; its second ([128, 16, 10, 10] into 5x5, rows
     * shorter than a vector) general 0.88 ms, this kernel 0.21 ms.
     */
    static void forwardPairs(float[] x, int xOff, int planes, int height, int width, int oh, int ow, float[] out, long[] idx, int outOff) {
        if ((long) height * width >= 1 << 24) {
            forward(x, xOff, planes, height, width, PoolAxis.sliding(height, oh, 2, 2, 0, 1), PoolAxis.sliding(width, ow, 2, 2, 0, 1), out, idx,
                    outOff);
            return;
        }
        FloatVector off1 = FloatVector.broadcast(F, 1f);
        FloatVector off2 = FloatVector.broadcast(F, (float) width);
        FloatVector off3 = FloatVector.broadcast(F, (float) (width + 1));
        int[] scratch = new int[L];
        int outEnd = outOff + planes * oh * ow;
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            for (int i = 0; i < oh; i++) {
                int r0 = plane + 2 * i * width;
                int r1 = r0 + width;
                int o = outOff + (p * oh + i) * ow;
                if (ow < L) {
                    shortRow(x, r0, r1, width, i, ow, out, idx, o, outEnd, scratch);
                    continue;
                }
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int j = Math.min(j0, ow - L); // the last L outputs of the row overlap the ones before: recomputed, same values
                    int c = 2 * j;
                    FloatVector a0 = FloatVector.fromArray(F, x, r0 + c);
                    FloatVector a1 = FloatVector.fromArray(F, x, r0 + c + L);
                    FloatVector b0 = FloatVector.fromArray(F, x, r1 + c);
                    FloatVector b1 = FloatVector.fromArray(F, x, r1 + c + L);
                    FloatVector best = a0.rearrange(EVEN, a1);
                    FloatVector off = FloatVector.zero(F);
                    FloatVector v = a0.rearrange(ODD, a1);
                    VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                    best = best.blend(v, take);
                    off = off.blend(off1, take);
                    v = b0.rearrange(EVEN, b1);
                    take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                    best = best.blend(v, take);
                    off = off.blend(off2, take);
                    v = b0.rearrange(ODD, b1);
                    take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                    best = best.blend(v, take);
                    off = off.blend(off3, take);
                    best.intoArray(out, o + j);
                    ((IntVector) off.convert(VectorOperators.F2I, 0)).add(TWICE_LANE).add(2 * i * width + c).intoArray(scratch, 0);
                    for (int n = 0; n < L; n++) {
                        idx[o + j + n] = scratch[n];
                    }
                }
            }
        }
    }

    /**
     * One output row of {@code ow < L} outputs at {@code o}, from input rows r0 and r1 (row i of its plane): one
     * vector whose lanes past ow read the next rows and are dropped. Its store runs past the row into the next
     * one, written after, except at the end of this call's outputs, where it is masked; a row whose reads would
     * leave the array takes the scalar twin.
     */
    private static void shortRow(float[] x, int r0, int r1, int width, int i, int ow, float[] out, long[] idx, int o, int outEnd,
                                 int[] scratch) {
        if (r1 + 2 * L > x.length) {
            for (int j = 0; j < ow; j++) {
                int c = 2 * j;
                float best = x[r0 + c];
                int at = c;
                float v = x[r0 + c + 1];
                if (v > best || v != v) {
                    best = v;
                    at = c + 1;
                }
                v = x[r1 + c];
                if (v > best || v != v) {
                    best = v;
                    at = width + c;
                }
                v = x[r1 + c + 1];
                if (v > best || v != v) {
                    best = v;
                    at = width + c + 1;
                }
                out[o + j] = best;
                idx[o + j] = 2L * i * width + at;
            }
            return;
        }
        FloatVector a0 = FloatVector.fromArray(F, x, r0);
        FloatVector a1 = FloatVector.fromArray(F, x, r0 + L);
        FloatVector b0 = FloatVector.fromArray(F, x, r1);
        FloatVector b1 = FloatVector.fromArray(F, x, r1 + L);
        FloatVector best = a0.rearrange(EVEN, a1);
        FloatVector off = FloatVector.zero(F);
        FloatVector v = a0.rearrange(ODD, a1);
        VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
        best = best.blend(v, take);
        off = off.blend(1f, take);
        v = b0.rearrange(EVEN, b1);
        take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
        best = best.blend(v, take);
        off = off.blend((float) width, take);
        v = b0.rearrange(ODD, b1);
        take = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
        best = best.blend(v, take);
        off = off.blend((float) (width + 1), take);
        if (o + L <= outEnd) {
            best.intoArray(out, o);
        } else {
            best.intoArray(out, o, F.indexInRange(0, ow));
        }
        ((IntVector) off.convert(VectorOperators.F2I, 0)).add(TWICE_LANE).add(2 * i * width).intoArray(scratch, 0);
        for (int n = 0; n < ow; n++) {
            idx[o + n] = scratch[n];
        }
    }

    private static long key(float v, int index) {
        int bits = Float.floatToRawIntBits(v + 0f);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return (long) sortable << 32 | (~index & 0xffffffffL);
    }
}
