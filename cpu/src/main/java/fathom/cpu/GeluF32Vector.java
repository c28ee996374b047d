package fathom.cpu;

import static fathom.cpu.UnaryF32Vector.P0;
import static fathom.cpu.UnaryF32Vector.P1;
import static fathom.cpu.UnaryF32Vector.P10;
import static fathom.cpu.UnaryF32Vector.P2;
import static fathom.cpu.UnaryF32Vector.P3;
import static fathom.cpu.UnaryF32Vector.P4;
import static fathom.cpu.UnaryF32Vector.P5;
import static fathom.cpu.UnaryF32Vector.P6;
import static fathom.cpu.UnaryF32Vector.P7;
import static fathom.cpu.UnaryF32Vector.P8;
import static fathom.cpu.UnaryF32Vector.P9;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact GELU {@code x·Φ(x)} and its derivative {@code Φ(x) + x·φ(x)} in one kernel, as a few Vector API
 * passes over chunks: {@code -x²/2}, its exponential by {@link ExpF32Vector#expShift}, then Φ and φ from that
 * one exponential, each lane as {@link GeluF32Scalar}. The output is bit for bit {@link UnaryF32Vector}'s GELU;
 * autograd saves the derivative, so the backward is a multiply (recomputing it there took 1.7 ms per GPT
 * feed-forward call, where the multiply takes a memory pass). Loaded only when {@link Simd#ENABLED}; the tails
 * run the scalar twin's steps, so every element equals {@link GeluF32Scalar} bit for bit.
 */
final class GeluF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();
    private static final float INV_SQRT_2PI = GeluF32Scalar.INV_SQRT_2PI;

    private GeluF32Vector() {}

    /** As {@link GeluF32Scalar#withDerivative}. */
    static void withDerivative(float[] x, int xOff, float[] out, int outOff, float[] d, int dOff, int n) {
        float[] t = ExpF32Vector.scratch();
        for (int start = 0; start < n; start += ExpF32Vector.CHUNK) {
            int m = Math.min(ExpF32Vector.CHUNK, n - start);
            int xs = xOff + start;
            int os = outOff + start;
            int ds = dOff + start;
            UnaryF32Vector.gaussianExponents(x, xs, t, m);
            ExpF32Vector.expShift(t, 0, 0f, t, 0, m);
            int i = 0;
            for (int bound = F.loopBound(m); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xs + i);
                FloatVector ax = v.abs().max(UnaryF32Scalar.NORMAL_TAIL_TINY).min(UnaryF32Scalar.NORMAL_TAIL_END);
                FloatVector hi = ax.mul(ax);
                FloatVector e = FloatVector.fromArray(F, t, i);
                FloatVector gauss = e.fma(ax.fma(ax, hi.neg()).mul(-0.5f), e)
                        .blend(0f, v.abs().compare(VectorOperators.GT, UnaryF32Scalar.NORMAL_TAIL_END));
                FloatVector u = FloatVector.broadcast(F, 1f).div(ax.fma(UnaryF32Scalar.NORMAL_TAIL_SCALE, 1f));
                FloatVector q = u.fma(P10, P9).fma(u, FloatVector.broadcast(F, P8)).fma(u, FloatVector.broadcast(F, P7))
                        .fma(u, FloatVector.broadcast(F, P6)).fma(u, FloatVector.broadcast(F, P5))
                        .fma(u, FloatVector.broadcast(F, P4)).fma(u, FloatVector.broadcast(F, P3))
                        .fma(u, FloatVector.broadcast(F, P2)).fma(u, FloatVector.broadcast(F, P1))
                        .fma(u, FloatVector.broadcast(F, P0)).mul(0.5f).mul(gauss);
                FloatVector cdf = q.neg().add(1f).blend(q, v.compare(VectorOperators.LT, 0f));
                v.mul(cdf).intoArray(out, os + i);
                v.fma(gauss.mul(INV_SQRT_2PI), cdf).intoArray(d, ds + i);
            }
            for (; i < m; i++) {
                float v = x[xs + i];
                out[os + i] = v * UnaryF32Scalar.normalCdfFromExp(v, t[i]);
                d[ds + i] = GeluF32Scalar.derivativeFromExp(v, t[i]);
            }
        }
    }
}
