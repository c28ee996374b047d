package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels of {@link ConvDirectF32} over one image's group of channels in the flat layout
 * of {@link ConvDirectF32.Padded}: positions p below {@code span} (a multiple of four vectors), tap t
 * reading {@code xp[p + taps[t]]}. Loaded only when {@link Simd#ENABLED}.
 *
 * <p>Register blocking. Zen 3 and its kind issue two FMAs a cycle with a latency of four, so eight
 * independent accumulators keep them busy. The forward takes four output channels by two vectors of
 * positions (each input load feeds four FMAs, each broadcast weight two), two channels left over by four
 * vectors, a last one alone by four vectors (LeNet's 6-channel layers: 4 + 2). Six channels by two
 * vectors (twelve accumulators) measured within noise of that (0 to 9 % on LeNet's layers), so it was
 * not kept. The weight gradient takes two channels by four taps (each gradient load feeds four FMAs,
 * each input load two), leftover taps and channels with fewer, and keeps its sums as vectors across the
 * batch (one horizontal sum per weight per call, not per image: conv1's weight gradient 1.78 → 1.53 ms).
 * Runs have no row ends and no masks: a first version that went row by row with masked stores and loads
 * at each row's end was slower than im2col (LeNet conv1 forward 2.06 against 1.76 ms, one thread).
 */
final class ConvDirectF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private ConvDirectF32Vector() {}

    /** yp[o·span + p] = bias[bOff + o] (0 without bias) + Σ_t wt[wOff + o·k + t] · xp[p + taps[t]], for o < og, p < span. */
    static void forward(float[] xp, int[] taps, int k, int span, float[] wt, int wOff, float[] bias, int bOff, int og, float[] yp) {
        int o = 0;
        for (; o + 4 <= og; o += 4) {
            FloatVector b0 = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o]);
            FloatVector b1 = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o + 1]);
            FloatVector b2 = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o + 2]);
            FloatVector b3 = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o + 3]);
            int w0 = wOff + o * k;
            int y0 = o * span;
            for (int p = 0; p < span; p += 2 * L) {
                FloatVector a0 = b0;
                FloatVector a1 = b1;
                FloatVector a2 = b2;
                FloatVector a3 = b3;
                FloatVector c0 = b0;
                FloatVector c1 = b1;
                FloatVector c2 = b2;
                FloatVector c3 = b3;
                for (int t = 0; t < k; t++) {
                    int src = p + taps[t];
                    FloatVector u = FloatVector.fromArray(F, xp, src);
                    FloatVector v = FloatVector.fromArray(F, xp, src + L);
                    FloatVector w = FloatVector.broadcast(F, wt[w0 + t]);
                    a0 = u.fma(w, a0);
                    c0 = v.fma(w, c0);
                    w = FloatVector.broadcast(F, wt[w0 + k + t]);
                    a1 = u.fma(w, a1);
                    c1 = v.fma(w, c1);
                    w = FloatVector.broadcast(F, wt[w0 + 2 * k + t]);
                    a2 = u.fma(w, a2);
                    c2 = v.fma(w, c2);
                    w = FloatVector.broadcast(F, wt[w0 + 3 * k + t]);
                    a3 = u.fma(w, a3);
                    c3 = v.fma(w, c3);
                }
                a0.intoArray(yp, y0 + p);
                c0.intoArray(yp, y0 + p + L);
                a1.intoArray(yp, y0 + span + p);
                c1.intoArray(yp, y0 + span + p + L);
                a2.intoArray(yp, y0 + 2 * span + p);
                c2.intoArray(yp, y0 + 2 * span + p + L);
                a3.intoArray(yp, y0 + 3 * span + p);
                c3.intoArray(yp, y0 + 3 * span + p + L);
            }
        }
        if (o + 2 <= og) {
            FloatVector b0 = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o]);
            FloatVector b1 = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o + 1]);
            int w0 = wOff + o * k;
            int y0 = o * span;
            for (int p = 0; p < span; p += 4 * L) {
                FloatVector a0 = b0;
                FloatVector a1 = b0;
                FloatVector a2 = b0;
                FloatVector a3 = b0;
                FloatVector c0 = b1;
                FloatVector c1 = b1;
                FloatVector c2 = b1;
                FloatVector c3 = b1;
                for (int t = 0; t < k; t++) {
                    int src = p + taps[t];
                    FloatVector u0 = FloatVector.fromArray(F, xp, src);
                    FloatVector u1 = FloatVector.fromArray(F, xp, src + L);
                    FloatVector u2 = FloatVector.fromArray(F, xp, src + 2 * L);
                    FloatVector u3 = FloatVector.fromArray(F, xp, src + 3 * L);
                    FloatVector w = FloatVector.broadcast(F, wt[w0 + t]);
                    a0 = u0.fma(w, a0);
                    a1 = u1.fma(w, a1);
                    a2 = u2.fma(w, a2);
                    a3 = u3.fma(w, a3);
                    w = FloatVector.broadcast(F, wt[w0 + k + t]);
                    c0 = u0.fma(w, c0);
                    c1 = u1.fma(w, c1);
                    c2 = u2.fma(w, c2);
                    c3 = u3.fma(w, c3);
                }
                a0.intoArray(yp, y0 + p);
                a1.intoArray(yp, y0 + p + L);
                a2.intoArray(yp, y0 + p + 2 * L);
                a3.intoArray(yp, y0 + p + 3 * L);
                c0.intoArray(yp, y0 + span + p);
                c1.intoArray(yp, y0 + span + p + L);
                c2.intoArray(yp, y0 + span + p + 2 * L);
                c3.intoArray(yp, y0 + span + p + 3 * L);
            }
            o += 2;
        }
        for (; o < og; o++) {
            FloatVector b = FloatVector.broadcast(F, bias == null ? 0f : bias[bOff + o]);
            int w0 = wOff + o * k;
            int y0 = o * span;
            for (int p = 0; p < span; p += 4 * L) {
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector a2 = b;
                FloatVector a3 = b;
                for (int t = 0; t < k; t++) {
                    int src = p + taps[t];
                    FloatVector w = FloatVector.broadcast(F, wt[w0 + t]);
                    a0 = FloatVector.fromArray(F, xp, src).fma(w, a0);
                    a1 = FloatVector.fromArray(F, xp, src + L).fma(w, a1);
                    a2 = FloatVector.fromArray(F, xp, src + 2 * L).fma(w, a2);
                    a3 = FloatVector.fromArray(F, xp, src + 3 * L).fma(w, a3);
                }
                a0.intoArray(yp, y0 + p);
                a1.intoArray(yp, y0 + p + L);
                a2.intoArray(yp, y0 + p + 2 * L);
                a3.intoArray(yp, y0 + p + 3 * L);
            }
        }
    }

    /**
     * gw[gwOff + o·k + t] += Σ_{p < span} gp[o·span + p] · xp[p + taps[t]], for o < og, kept as L partial sums:
     * {@code lanes[(gwOff + o·k + t)·L + lane]} ({@link #lanes()} of them per weight), so the horizontal sum is
     * done once per batch ({@link #sumLanes}) rather than once per image.
     */
    static void weightGrad(float[] xp, int[] taps, int k, int span, float[] gp, int og, float[] gw, int gwOff) {
        int o = 0;
        for (; o + 2 <= og; o += 2) {
            int g0 = o * span;
            int t = 0;
            for (; t + 4 <= k; t += 4) {
                gradTwoByFour(xp, taps, t, span, gp, g0, gw, gwOff + o * k + t, k);
            }
            for (; t < k; t++) {
                gradTwoByOne(xp, taps[t], span, gp, g0, gw, gwOff + o * k + t, k);
            }
        }
        if (o < og) {
            int g0 = o * span;
            int t = 0;
            for (; t + 4 <= k; t += 4) {
                gradOneByFour(xp, taps, t, span, gp, g0, gw, gwOff + o * k + t);
            }
            for (; t < k; t++) {
                gradOneByOne(xp, taps[t], span, gp, g0, gw, gwOff + o * k + t);
            }
        }
    }

    /** Channels o, o+1 (gradients at g0, g0 + span) by taps t..t+3, into gw[at + {0,1,2,3}] and gw[at + k + {0,1,2,3}]. */
    private static void gradTwoByFour(float[] xp, int[] taps, int t, int span, float[] gp, int g0, float[] gw, int at, int k) {
        int t0 = taps[t];
        int t1 = taps[t + 1];
        int t2 = taps[t + 2];
        int t3 = taps[t + 3];
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = FloatVector.zero(F);
        FloatVector s02 = FloatVector.zero(F);
        FloatVector s03 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F);
        FloatVector s11 = FloatVector.zero(F);
        FloatVector s12 = FloatVector.zero(F);
        FloatVector s13 = FloatVector.zero(F);
        for (int p = 0; p < span; p += L) {
            FloatVector y0 = FloatVector.fromArray(F, gp, g0 + p);
            FloatVector y1 = FloatVector.fromArray(F, gp, g0 + span + p);
            FloatVector x = FloatVector.fromArray(F, xp, p + t0);
            s00 = y0.fma(x, s00);
            s10 = y1.fma(x, s10);
            x = FloatVector.fromArray(F, xp, p + t1);
            s01 = y0.fma(x, s01);
            s11 = y1.fma(x, s11);
            x = FloatVector.fromArray(F, xp, p + t2);
            s02 = y0.fma(x, s02);
            s12 = y1.fma(x, s12);
            x = FloatVector.fromArray(F, xp, p + t3);
            s03 = y0.fma(x, s03);
            s13 = y1.fma(x, s13);
        }
        s00.add(FloatVector.fromArray(F, gw, at * L)).intoArray(gw, at * L);
        s01.add(FloatVector.fromArray(F, gw, (at + 1) * L)).intoArray(gw, (at + 1) * L);
        s02.add(FloatVector.fromArray(F, gw, (at + 2) * L)).intoArray(gw, (at + 2) * L);
        s03.add(FloatVector.fromArray(F, gw, (at + 3) * L)).intoArray(gw, (at + 3) * L);
        s10.add(FloatVector.fromArray(F, gw, (at + k) * L)).intoArray(gw, (at + k) * L);
        s11.add(FloatVector.fromArray(F, gw, (at + k + 1) * L)).intoArray(gw, (at + k + 1) * L);
        s12.add(FloatVector.fromArray(F, gw, (at + k + 2) * L)).intoArray(gw, (at + k + 2) * L);
        s13.add(FloatVector.fromArray(F, gw, (at + k + 3) * L)).intoArray(gw, (at + k + 3) * L);
    }

    /** Channels o, o+1 by one tap (offset tap), into gw[at] and gw[at + k]; two accumulators per channel for latency. */
    private static void gradTwoByOne(float[] xp, int tap, int span, float[] gp, int g0, float[] gw, int at, int k) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector r0 = FloatVector.zero(F);
        FloatVector r1 = r0;
        for (int p = 0; p < span; p += 2 * L) {
            FloatVector x = FloatVector.fromArray(F, xp, p + tap);
            FloatVector z = FloatVector.fromArray(F, xp, p + L + tap);
            s0 = FloatVector.fromArray(F, gp, g0 + p).fma(x, s0);
            s1 = FloatVector.fromArray(F, gp, g0 + span + p).fma(x, s1);
            r0 = FloatVector.fromArray(F, gp, g0 + p + L).fma(z, r0);
            r1 = FloatVector.fromArray(F, gp, g0 + span + p + L).fma(z, r1);
        }
        s0.add(r0).add(FloatVector.fromArray(F, gw, at * L)).intoArray(gw, at * L);
        s1.add(r1).add(FloatVector.fromArray(F, gw, (at + k) * L)).intoArray(gw, (at + k) * L);
    }

    /** One channel (gradients at g0) by taps t..t+3, into gw[at + {0,1,2,3}]. */
    private static void gradOneByFour(float[] xp, int[] taps, int t, int span, float[] gp, int g0, float[] gw, int at) {
        int t0 = taps[t];
        int t1 = taps[t + 1];
        int t2 = taps[t + 2];
        int t3 = taps[t + 3];
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        for (int p = 0; p < span; p += L) {
            FloatVector y0 = FloatVector.fromArray(F, gp, g0 + p);
            s0 = y0.fma(FloatVector.fromArray(F, xp, p + t0), s0);
            s1 = y0.fma(FloatVector.fromArray(F, xp, p + t1), s1);
            s2 = y0.fma(FloatVector.fromArray(F, xp, p + t2), s2);
            s3 = y0.fma(FloatVector.fromArray(F, xp, p + t3), s3);
        }
        s0.add(FloatVector.fromArray(F, gw, at * L)).intoArray(gw, at * L);
        s1.add(FloatVector.fromArray(F, gw, (at + 1) * L)).intoArray(gw, (at + 1) * L);
        s2.add(FloatVector.fromArray(F, gw, (at + 2) * L)).intoArray(gw, (at + 2) * L);
        s3.add(FloatVector.fromArray(F, gw, (at + 3) * L)).intoArray(gw, (at + 3) * L);
    }

    /** One channel by one tap, into gw[at]; four accumulators for latency. */
    private static void gradOneByOne(float[] xp, int tap, int span, float[] gp, int g0, float[] gw, int at) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = s1;
        FloatVector s3 = s1;
        for (int p = 0; p < span; p += 4 * L) {
            s0 = FloatVector.fromArray(F, gp, g0 + p).fma(FloatVector.fromArray(F, xp, p + tap), s0);
            s1 = FloatVector.fromArray(F, gp, g0 + p + L).fma(FloatVector.fromArray(F, xp, p + L + tap), s1);
            s2 = FloatVector.fromArray(F, gp, g0 + p + 2 * L).fma(FloatVector.fromArray(F, xp, p + 2 * L + tap), s2);
            s3 = FloatVector.fromArray(F, gp, g0 + p + 3 * L).fma(FloatVector.fromArray(F, xp, p + 3 * L + tap), s3);
        }
        s0.add(s1).add(s2.add(s3)).add(FloatVector.fromArray(F, gw, at * L)).intoArray(gw, at * L);
    }

    /** The partial sums {@link #weightGrad} keeps per weight: the vector length. */
    static int lanes() {
        return L;
    }

    /** {@code gw[i] += Σ_lane lanes[i·L + lane]} for i < n, lanes in order. */
    static void sumLanes(float[] lanes, float[] gw, int n) {
        for (int i = 0; i < n; i++) {
            float s = 0f;
            for (int lane = 0; lane < L; lane++) {
                s += lanes[i * L + lane];
            }
            gw[i] += s;
        }
    }

    /** Whether a[0, n) holds no infinity or NaN. */
    static boolean finite(float[] a, int n) {
        FloatVector bad = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            bad = bad.add(v.sub(v)); // x − x is 0 for finite x, NaN otherwise
        }
        float tail = 0f;
        for (; i < n; i++) {
            tail += a[i] - a[i];
        }
        return bad.reduceLanes(VectorOperators.ADD) + tail == 0f;
    }
}
