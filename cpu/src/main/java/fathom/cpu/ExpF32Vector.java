package fathom.cpu;

import static fathom.cpu.ExpF32Scalar.C2;
import static fathom.cpu.ExpF32Scalar.C3;
import static fathom.cpu.ExpF32Scalar.C4;
import static fathom.cpu.ExpF32Scalar.C5;
import static fathom.cpu.ExpF32Scalar.C6;
import static fathom.cpu.ExpF32Scalar.LN2_HI;
import static fathom.cpu.ExpF32Scalar.LN2_LO;
import static fathom.cpu.ExpF32Scalar.LOG2E;
import static fathom.cpu.ExpF32Scalar.SHIFTER;
import static fathom.cpu.ExpF32Scalar.X_MAX;
import static fathom.cpu.ExpF32Scalar.X_MIN;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fathom's float32 exponential over arrays, {@code out[outOff + i] = e^(x[xOff + i] − shift)}, lane for
 * lane bit-identical to {@link ExpF32Scalar#exp}, which documents the method and its accuracy. Used in
 * place of {@code lanewise(EXP)}, whose result depends on the JIT tier: this uses only exactly rounded
 * lane operations, which the Vector API's C2 intrinsics and its Java fallback compute alike. Loaded
 * only when {@link Simd#ENABLED}.
 *
 * <p>Why an array kernel and not a {@code FloatVector exp(FloatVector)} helper: a helper call that C2
 * does not inline boxes its vectors (an allocation per call, several times slower), and C2 stops
 * inlining ordinary methods once a compilation passes about 18,000 IR nodes while parsing
 * ({@code NodeCountInliningCutoff}); one exponential is some 30 Vector API calls, about 12,000 nodes,
 * so a kernel with two of them, or one inlined into a bigger caller, lost the second (measured with
 * {@code -XX:+LogCompilation} on the LSTM, GRU, GELU and softmax kernels). Here the exponential is
 * written once, inline in the loop below, where only the Vector API's own force-inlined methods are
 * called; the method is too large for C2 to inline into its callers, so it always gets a compilation
 * of its own. Functions built on exp (sigmoid, tanh, GELU, the recurrent gates) run it as one pass
 * between cheap elementwise passes, over chunks of {@link #CHUNK} that stay in L1.
 */
final class ExpF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();
    /** Elements per pass of the kernels that need a scratch row: 1,024 floats, 4 KiB, stays in L1 with its input and output. */
    static final int CHUNK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    private ExpF32Vector() {}

    /**
     * This thread's scratch row of {@link #CHUNK} floats, for a kernel that itself calls nothing else
     * that takes it (only {@link #expShift}, which does not).
     */
    static float[] scratch() {
        return SCRATCH.get();
    }

    /**
     * {@code out[outOff + i] = e^(x[xOff + i] − shift)} for {@code i < n}; returns the sum of the
     * outputs (vector lanes, then lane by lane in order, then the tail), so that softmax gets its
     * normalizer in the same pass. {@code out} may be {@code x} at the same offset; with shift 0 this is
     * plain {@code e^x} ({@code x − 0 = x} for every float).
     */
    static float expShift(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        FloatVector vShift = FloatVector.broadcast(F, shift);
        FloatVector lnHi = FloatVector.broadcast(F, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(F, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(F, C2);
        FloatVector c3 = FloatVector.broadcast(F, C3);
        FloatVector c4 = FloatVector.broadcast(F, C4);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).sub(vShift);
            // The steps of ExpF32Scalar.exp, operation for operation.
            FloatVector xc = v.blend(X_MAX, v.compare(VectorOperators.GT, X_MAX));
            xc = xc.blend(X_MIN, xc.compare(VectorOperators.LT, X_MIN));
            FloatVector t = xc.fma(LOG2E, SHIFTER);
            FloatVector k = t.sub(SHIFTER);
            FloatVector r = k.fma(lnHi, xc);
            r = k.fma(lnLo, r);
            FloatVector q = r.fma(C6, C5).fma(r, c4).fma(r, c3).fma(r, c2);
            FloatVector p = q.fma(r, one).fma(r, one);
            IntVector bits = t.reinterpretAsInts();
            IntVector half = bits.lanewise(VectorOperators.LSHR, 1).lanewise(VectorOperators.LSHL, 23);
            FloatVector e = p.mul(half.reinterpretAsFloats()).mul(bits.lanewise(VectorOperators.LSHL, 23).sub(half).reinterpretAsFloats());
            e.intoArray(out, outOff + i);
            acc = acc.add(e);
        }
        float sum = 0f;
        for (int lane = 0; lane < L; lane++) sum += acc.lane(lane);
        for (; i < n; i++) {
            float e = ExpF32Scalar.exp(x[xOff + i] - shift);
            out[outOff + i] = e;
            sum += e;
        }
        return sum;
    }
}
