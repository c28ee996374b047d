package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels of {@link ConvBatchF32}: every vector holds one value for {@link #LANES} images of
 * a block, so a convolution is the matmul micro-kernel's pattern with the taps as the reduction: each
 * input vector loaded serves four output channels (broadcast weights; two, or one, for the channels left
 * over, which then take four or eight pixels at a time), and eight accumulators cover the FMA latency of
 * two pipes. Arrays are in the block layout {@code [channels, rows, cols, LANES]}; taps are
 * offsets in floats into the padded input. Loaded only when {@link Simd#ENABLED}.
 */
final class ConvBatchF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    /** Images per block: one vector. */
    static final int LANES = F.length();

    private ConvBatchF32Vector() {}

    /**
     * One output row of one block: {@code yt[((o·ho + oh)·wo + ow)·LANES + l] = bias[o] + Σ_t w[o·k + t] ·
     * xt[((oh·sH)·wp + ow·sW)·LANES + taps[t] + l]} for o < og, ow < wo, every lane.
     */
    static void forwardRow(float[] xt, int[] taps, int k, int wp, int sH, int sW, int oh, int ho, int wo,
                           float[] w, int wOff, float[] bias, int bOff, int og, float[] yt) {
        int rowBase = oh * sH * wp * LANES;
        int step = sW * LANES;
        int o = 0;
        for (; o + 4 <= og; o += 4) {
            int w0 = wOff + o * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
            float b0 = bias == null ? 0f : bias[bOff + o], b1 = bias == null ? 0f : bias[bOff + o + 1];
            float b2 = bias == null ? 0f : bias[bOff + o + 2], b3 = bias == null ? 0f : bias[bOff + o + 3];
            int y0 = ((o * ho + oh) * wo) * LANES, plane = ho * wo * LANES;
            int ow = 0;
            for (; ow + 2 <= wo; ow += 2) {
                int x0 = rowBase + ow * step;
                int x1 = x0 + step;
                FloatVector a0 = FloatVector.broadcast(F, b0), a1 = a0;
                FloatVector c0 = FloatVector.broadcast(F, b1), c1 = c0;
                FloatVector d0 = FloatVector.broadcast(F, b2), d1 = d0;
                FloatVector e0 = FloatVector.broadcast(F, b3), e1 = e0;
                for (int t = 0; t < k; t++) {
                    int tap = taps[t];
                    FloatVector v0 = FloatVector.fromArray(F, xt, x0 + tap);
                    FloatVector v1 = FloatVector.fromArray(F, xt, x1 + tap);
                    FloatVector s = FloatVector.broadcast(F, w[w0 + t]);
                    a0 = v0.fma(s, a0);
                    a1 = v1.fma(s, a1);
                    s = FloatVector.broadcast(F, w[w1 + t]);
                    c0 = v0.fma(s, c0);
                    c1 = v1.fma(s, c1);
                    s = FloatVector.broadcast(F, w[w2 + t]);
                    d0 = v0.fma(s, d0);
                    d1 = v1.fma(s, d1);
                    s = FloatVector.broadcast(F, w[w3 + t]);
                    e0 = v0.fma(s, e0);
                    e1 = v1.fma(s, e1);
                }
                int at = y0 + ow * LANES;
                a0.intoArray(yt, at);
                a1.intoArray(yt, at + LANES);
                c0.intoArray(yt, at + plane);
                c1.intoArray(yt, at + plane + LANES);
                d0.intoArray(yt, at + 2 * plane);
                d1.intoArray(yt, at + 2 * plane + LANES);
                e0.intoArray(yt, at + 3 * plane);
                e1.intoArray(yt, at + 3 * plane + LANES);
            }
            for (; ow < wo; ow++) {
                int x0 = rowBase + ow * step;
                FloatVector a0 = FloatVector.broadcast(F, b0), c0 = FloatVector.broadcast(F, b1);
                FloatVector d0 = FloatVector.broadcast(F, b2), e0 = FloatVector.broadcast(F, b3);
                for (int t = 0; t < k; t++) {
                    FloatVector v0 = FloatVector.fromArray(F, xt, x0 + taps[t]);
                    a0 = v0.fma(FloatVector.broadcast(F, w[w0 + t]), a0);
                    c0 = v0.fma(FloatVector.broadcast(F, w[w1 + t]), c0);
                    d0 = v0.fma(FloatVector.broadcast(F, w[w2 + t]), d0);
                    e0 = v0.fma(FloatVector.broadcast(F, w[w3 + t]), e0);
                }
                int at = y0 + ow * LANES;
                a0.intoArray(yt, at);
                c0.intoArray(yt, at + plane);
                d0.intoArray(yt, at + 2 * plane);
                e0.intoArray(yt, at + 3 * plane);
            }
        }
        for (; o + 2 <= og; o += 2) {
            // two channels: four pixels at a time, so that eight accumulators still cover the FMA latency; a row
            // whose width is not a multiple of four ends with a group that overlaps the one before it and stores
            // the same values again (a single pixel would be two chains of k dependent FMAs)
            int w0 = wOff + o * k, w1 = w0 + k;
            float b0 = bias == null ? 0f : bias[bOff + o], b1 = bias == null ? 0f : bias[bOff + o + 1];
            int y0 = ((o * ho + oh) * wo) * LANES, plane = ho * wo * LANES;
            for (int next = 0; next < wo && wo >= 4; next += 4) {
                int ow = Math.min(next, wo - 4);
                int x0 = rowBase + ow * step;
                FloatVector a0 = FloatVector.broadcast(F, b0), a1 = a0, a2 = a0, a3 = a0;
                FloatVector c0 = FloatVector.broadcast(F, b1), c1 = c0, c2 = c0, c3 = c0;
                for (int t = 0; t < k; t++) {
                    int at = x0 + taps[t];
                    FloatVector v0 = FloatVector.fromArray(F, xt, at);
                    FloatVector v1 = FloatVector.fromArray(F, xt, at + step);
                    FloatVector v2 = FloatVector.fromArray(F, xt, at + 2 * step);
                    FloatVector v3 = FloatVector.fromArray(F, xt, at + 3 * step);
                    FloatVector s = FloatVector.broadcast(F, w[w0 + t]);
                    a0 = v0.fma(s, a0);
                    a1 = v1.fma(s, a1);
                    a2 = v2.fma(s, a2);
                    a3 = v3.fma(s, a3);
                    s = FloatVector.broadcast(F, w[w1 + t]);
                    c0 = v0.fma(s, c0);
                    c1 = v1.fma(s, c1);
                    c2 = v2.fma(s, c2);
                    c3 = v3.fma(s, c3);
                }
                int at = y0 + ow * LANES;
                a0.intoArray(yt, at);
                a1.intoArray(yt, at + LANES);
                a2.intoArray(yt, at + 2 * LANES);
                a3.intoArray(yt, at + 3 * LANES);
                c0.intoArray(yt, at + plane);
                c1.intoArray(yt, at + plane + LANES);
                c2.intoArray(yt, at + plane + 2 * LANES);
                c3.intoArray(yt, at + plane + 3 * LANES);
            }
            for (int ow = 0; ow < wo && wo < 4; ow++) {
                int x0 = rowBase + ow * step;
                FloatVector a0 = FloatVector.broadcast(F, b0), c0 = FloatVector.broadcast(F, b1);
                for (int t = 0; t < k; t++) {
                    FloatVector v0 = FloatVector.fromArray(F, xt, x0 + taps[t]);
                    a0 = v0.fma(FloatVector.broadcast(F, w[w0 + t]), a0);
                    c0 = v0.fma(FloatVector.broadcast(F, w[w1 + t]), c0);
                }
                a0.intoArray(yt, y0 + ow * LANES);
                c0.intoArray(yt, y0 + ow * LANES + plane);
            }
        }
        for (; o < og; o++) {
            // a lone channel: eight pixels at a time, so that eight accumulators still cover the FMA latency
            int w0 = wOff + o * k;
            float b0 = bias == null ? 0f : bias[bOff + o];
            int y0 = ((o * ho + oh) * wo) * LANES;
            int ow = 0;
            for (; ow + 8 <= wo; ow += 8) {
                int x0 = rowBase + ow * step;
                FloatVector a0 = FloatVector.broadcast(F, b0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                for (int t = 0; t < k; t++) {
                    int at = x0 + taps[t];
                    FloatVector s = FloatVector.broadcast(F, w[w0 + t]);
                    a0 = FloatVector.fromArray(F, xt, at).fma(s, a0);
                    a1 = FloatVector.fromArray(F, xt, at + step).fma(s, a1);
                    a2 = FloatVector.fromArray(F, xt, at + 2 * step).fma(s, a2);
                    a3 = FloatVector.fromArray(F, xt, at + 3 * step).fma(s, a3);
                    a4 = FloatVector.fromArray(F, xt, at + 4 * step).fma(s, a4);
                    a5 = FloatVector.fromArray(F, xt, at + 5 * step).fma(s, a5);
                    a6 = FloatVector.fromArray(F, xt, at + 6 * step).fma(s, a6);
                    a7 = FloatVector.fromArray(F, xt, at + 7 * step).fma(s, a7);
                }
                int at = y0 + ow * LANES;
                a0.intoArray(yt, at);
                a1.intoArray(yt, at + LANES);
                a2.intoArray(yt, at + 2 * LANES);
                a3.intoArray(yt, at + 3 * LANES);
                a4.intoArray(yt, at + 4 * LANES);
                a5.intoArray(yt, at + 5 * LANES);
                a6.intoArray(yt, at + 6 * LANES);
                a7.intoArray(yt, at + 7 * LANES);
            }
            for (; ow < wo; ow++) {
                int x0 = rowBase + ow * step;
                FloatVector a0 = FloatVector.broadcast(F, b0);
                for (int t = 0; t < k; t++) {
                    a0 = FloatVector.fromArray(F, xt, x0 + taps[t]).fma(FloatVector.broadcast(F, w[w0 + t]), a0);
                }
                a0.intoArray(yt, y0 + ow * LANES);
            }
        }
    }

    /**
     * One block's share of the weight gradient, per lane: {@code acc[(o·k + t)·LANES + l] += Σ_{oh, ow}
     * gt[((o·ho + oh)·wo + ow)·LANES + l] · xt[((oh·sH)·wp + ow·sW)·LANES + taps[t] + l]} for o < og, t < k.
     * The lanes are summed once, after the last block ({@link ConvBatchF32}). {@code acc} starts at {@code accOff}.
     */
    static void weightGrad(float[] xt, int[] taps, int k, int wp, int sH, int sW, int ho, int wo, float[] gt, int og, float[] acc,
                           int accOff) {
        int plane = ho * wo * LANES;
        int o = 0;
        for (; o + 4 <= og; o += 4) {
            int g0 = o * plane;
            int t = 0;
            for (; t + 2 <= k; t += 2) {
                int tap0 = taps[t], tap1 = taps[t + 1];
                FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0, e0 = a0, e1 = a0;
                for (int oh = 0; oh < ho; oh++) {
                    int xRow = oh * sH * wp * LANES;
                    int gRow = g0 + oh * wo * LANES;
                    for (int ow = 0; ow < wo; ow++) {
                        int xb = xRow + ow * sW * LANES;
                        int gb = gRow + ow * LANES;
                        FloatVector v0 = FloatVector.fromArray(F, xt, xb + tap0);
                        FloatVector v1 = FloatVector.fromArray(F, xt, xb + tap1);
                        FloatVector s = FloatVector.fromArray(F, gt, gb);
                        a0 = v0.fma(s, a0);
                        a1 = v1.fma(s, a1);
                        s = FloatVector.fromArray(F, gt, gb + plane);
                        c0 = v0.fma(s, c0);
                        c1 = v1.fma(s, c1);
                        s = FloatVector.fromArray(F, gt, gb + 2 * plane);
                        d0 = v0.fma(s, d0);
                        d1 = v1.fma(s, d1);
                        s = FloatVector.fromArray(F, gt, gb + 3 * plane);
                        e0 = v0.fma(s, e0);
                        e1 = v1.fma(s, e1);
                    }
                }
                int at = accOff + (o * k + t) * LANES;
                int row = k * LANES;
                // written out, not a helper taking vectors: see MatmulTileF32 on boxing
                FloatVector.fromArray(F, acc, at).add(a0).intoArray(acc, at);
                FloatVector.fromArray(F, acc, at + LANES).add(a1).intoArray(acc, at + LANES);
                FloatVector.fromArray(F, acc, at + row).add(c0).intoArray(acc, at + row);
                FloatVector.fromArray(F, acc, at + row + LANES).add(c1).intoArray(acc, at + row + LANES);
                FloatVector.fromArray(F, acc, at + 2 * row).add(d0).intoArray(acc, at + 2 * row);
                FloatVector.fromArray(F, acc, at + 2 * row + LANES).add(d1).intoArray(acc, at + 2 * row + LANES);
                FloatVector.fromArray(F, acc, at + 3 * row).add(e0).intoArray(acc, at + 3 * row);
                FloatVector.fromArray(F, acc, at + 3 * row + LANES).add(e1).intoArray(acc, at + 3 * row + LANES);
            }
            for (; t < k; t++) {
                for (int r = 0; r < 4; r++) {
                    oneTap(xt, taps[t], wp, sH, sW, ho, wo, gt, (o + r) * plane, acc, accOff + ((o + r) * k + t) * LANES);
                }
            }
        }
        for (; o < og; o++) {
            int t = 0;
            for (; t + 8 <= k; t += 8) {
                eightTaps(xt, taps, t, wp, sH, sW, ho, wo, gt, o * plane, acc, accOff + (o * k + t) * LANES);
            }
            for (; t < k; t++) {
                oneTap(xt, taps[t], wp, sH, sW, ho, wo, gt, o * plane, acc, accOff + (o * k + t) * LANES);
            }
        }
    }

    /** {@link #weightGrad} for one output channel and taps t0..t0+7: eight accumulators, each gradient vector loaded once. */
    private static void eightTaps(float[] xt, int[] taps, int t0, int wp, int sH, int sW, int ho, int wo, float[] gt, int g0, float[] acc,
                                  int at) {
        int p0 = taps[t0], p1 = taps[t0 + 1], p2 = taps[t0 + 2], p3 = taps[t0 + 3];
        int p4 = taps[t0 + 4], p5 = taps[t0 + 5], p6 = taps[t0 + 6], p7 = taps[t0 + 7];
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int oh = 0; oh < ho; oh++) {
            int xRow = oh * sH * wp * LANES;
            int gRow = g0 + oh * wo * LANES;
            for (int ow = 0; ow < wo; ow++) {
                int xb = xRow + ow * sW * LANES;
                FloatVector s = FloatVector.fromArray(F, gt, gRow + ow * LANES);
                a0 = FloatVector.fromArray(F, xt, xb + p0).fma(s, a0);
                a1 = FloatVector.fromArray(F, xt, xb + p1).fma(s, a1);
                a2 = FloatVector.fromArray(F, xt, xb + p2).fma(s, a2);
                a3 = FloatVector.fromArray(F, xt, xb + p3).fma(s, a3);
                a4 = FloatVector.fromArray(F, xt, xb + p4).fma(s, a4);
                a5 = FloatVector.fromArray(F, xt, xb + p5).fma(s, a5);
                a6 = FloatVector.fromArray(F, xt, xb + p6).fma(s, a6);
                a7 = FloatVector.fromArray(F, xt, xb + p7).fma(s, a7);
            }
        }
        FloatVector.fromArray(F, acc, at).add(a0).intoArray(acc, at);
        FloatVector.fromArray(F, acc, at + LANES).add(a1).intoArray(acc, at + LANES);
        FloatVector.fromArray(F, acc, at + 2 * LANES).add(a2).intoArray(acc, at + 2 * LANES);
        FloatVector.fromArray(F, acc, at + 3 * LANES).add(a3).intoArray(acc, at + 3 * LANES);
        FloatVector.fromArray(F, acc, at + 4 * LANES).add(a4).intoArray(acc, at + 4 * LANES);
        FloatVector.fromArray(F, acc, at + 5 * LANES).add(a5).intoArray(acc, at + 5 * LANES);
        FloatVector.fromArray(F, acc, at + 6 * LANES).add(a6).intoArray(acc, at + 6 * LANES);
        FloatVector.fromArray(F, acc, at + 7 * LANES).add(a7).intoArray(acc, at + 7 * LANES);
    }

    /** {@link #weightGrad} for one output channel and one tap. */
    private static void oneTap(float[] xt, int tap, int wp, int sH, int sW, int ho, int wo, float[] gt, int g0, float[] acc, int at) {
        FloatVector a0 = FloatVector.zero(F);
        for (int oh = 0; oh < ho; oh++) {
            int xRow = oh * sH * wp * LANES + tap;
            int gRow = g0 + oh * wo * LANES;
            for (int ow = 0; ow < wo; ow++) {
                a0 = FloatVector.fromArray(F, xt, xRow + ow * sW * LANES).fma(FloatVector.fromArray(F, gt, gRow + ow * LANES), a0);
            }
        }
        FloatVector.fromArray(F, acc, at).add(a0).intoArray(acc, at);
    }
}
