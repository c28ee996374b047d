package fathom.cpu;

import fathom.backend.PoolAxis;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling with the contract of {@link MaxPoolF32#forward}, in two passes per output row; loaded
 * only when {@link Simd#ENABLED}.
 *
 * <p>The first pass reduces the window's rows column by column with vectors: the running maximum of
 * each column and the row it came from (a larger value or a NaN takes over, so each column keeps its
 * first maximum, or its last NaN). The second pass, scalar, picks among the window's columns the one
 * PyTorch's row-major scan would end on: the largest value, on a tie the smallest row, then the
 * smallest column (without branches, see {@link #horizontal}); or, when the rows hold a NaN, the
 * largest row, then the largest column. So indices equal the scalar twin's even with exact ties. A
 * k × k window costs k vector steps per column plus k scalar steps per output instead of k² scalar
 * steps. Row numbers are kept as floats, exact below 2^24, so one mask blends both the values and
 * their rows.
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
                    horizontal(x, plane, colMax, colRow, wf, wt, ws, width, out, idx, o, ow);
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
     * The second pass when the row holds no NaN, without branches: each column's candidate becomes a
     * long key, its value's bits made order-preserving (−0 counted as +0, which {@code >} cannot tell
     * apart) in the high half and the complement of its plane index in the low half, so the largest key
     * is the largest value with the smallest row-major index, PyTorch's pick. The value is then read
     * back at that index, keeping the sign of a zero.
     */
    private static void horizontal(float[] x, int plane, float[] colMax, float[] colRow, int[] wf, int[] wt, int ws, int width, float[] out,
            long[] idx, int o, int ow) {
        for (int j = 0; j < ow; j++) {
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

    private static long key(float v, int index) {
        int bits = Float.floatToRawIntBits(v + 0f);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return (long) sortable << 32 | (~index & 0xffffffffL);
    }
}
