package fathom.cpu;

import fathom.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Direct float32 2-d convolution, forward, input gradient and weight gradient, for stride-1 layers with
 * few channels per group: {@code y[o, p] = bias[o] + Σ_t w[o, t] · xp[p + tap(t)]} and {@code gW[o, t] = Σ over
 * images and positions of gy[o, p] · xp[p + tap(t)]}, where xp is a zero-padded copy of one image's group
 * of channels, p = oh·P + ow an output pixel in rows of the padded pitch P, and {@code tap(t)} the offset
 * of kernel tap t = (c·kH + i)·kW + j ({@link Padded}). Sizes as {@link ConvF32.Dims}.
 *
 * <p>Why. With a short reduction (LeNet's first layer: 1·5·5 = 25 taps, 6 filters) the im2col path of
 * {@link ConvF32} is mostly memory movement: the column matrix is 25 shifted copies of the image, the
 * padding means zeroing edges row by row, and a product with 6 rows is too thin for the packed matmul.
 * Here each output vector is a sum of shifted input vectors times broadcast weights, read from a padded
 * copy with no edge logic, several output channels per pass ({@link ConvDirectF32Vector}). The cost is
 * the (P − wo) columns per row computed and thrown away, which grows as images shrink.
 *
 * <p>Thresholds, measured on one thread by its CPU time, alternating with the im2col path in one JVM
 * ({@code LenetStepTiming}; a 2-core machine shared with other jobs, so ±10 % and more between runs),
 * ms per call, im2col / direct:
 * <pre>
 * layer (3x3 "same" unless named)      forward        input gradient   weight gradient
 * LeNet conv1 1→6 5x5 pad 2, 28x28, N 128   1.86 / 1.06    (not needed)     2.10 / 1.13
 * LeNet conv2 6→16 5x5, 14x14, N 128        3.43 / 1.79    3.70 / 2.83      3.70 / 3.01
 * 8→8 28x28, N 32                           1.55 / 0.77    1.52 / 0.74      1.33 / 1.49
 * 16→16 28x28, N 32                         3.53 / 2.62    3.52 / 2.55      3.64 / 3.3-5.2
 * 32→32 14x14, N 32                         2.80 / 2.48    -                2.78 / 3.6-5.3
 * 64→64 7x7, N 32                           2.59 / 2.75    -                2.58 / 5.5
 * 128→128 7x7, N 32                         8.59 / 10.2    -                8.24 / 23.2
 * </pre>
 * So the forward goes direct up to {@value #FORWARD_MAX_GROUP_CHANNELS} input channels per group (the
 * 32-channel gain is small and the 7x7 layers lose), the input gradient ({@link #transposed}, a forward
 * over the output gradient) up to as many output channels per group, and the weight gradient up to
 * {@value #WEIGHT_GRAD_MAX_GROUP_CHANNELS} input channels per group (its kernel streams the gradient and
 * input rows once per two filters and four taps, where the packed matmul keeps its panels in cache, so it
 * loses as soon as there are many taps). Only stride 1: with a stride the shifted rows are no longer
 * contiguous vectors.
 */
final class ConvDirectF32 {
    /** The most input channels per group for which the forward takes the direct path (see the table). */
    static final int FORWARD_MAX_GROUP_CHANNELS = 16;
    /** The most input channels per group for which the weight gradient takes the direct path (see the table). */
    static final int WEIGHT_GRAD_MAX_GROUP_CHANNELS = 6;
    /** Positions a kernel pass covers at most (four vectors): the flat runs are rounded up to it. */
    static final int POSITION_BLOCK = 4 * (Simd.ENABLED ? Simd.BITS / 32 : 1);

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private ConvDirectF32() {}

    /** Whether the forward of {@code d} takes the direct path: strides 1, at most {@value #FORWARD_MAX_GROUP_CHANNELS} channels per group. */
    static boolean acceptsForward(ConvF32.Dims d) {
        return accepts(d, FORWARD_MAX_GROUP_CHANNELS);
    }

    /**
     * Whether the weight gradient of {@code d} takes the direct path: strides 1, at most
     * {@value #WEIGHT_GRAD_MAX_GROUP_CHANNELS} input channels per group.
     */
    static boolean acceptsWeightGrad(ConvF32.Dims d) {
        return accepts(d, WEIGHT_GRAD_MAX_GROUP_CHANNELS);
    }

    /**
     * Whether the input gradient of {@code d} takes the direct path ({@link #transposed}): strides 1, at most
     * {@value #FORWARD_MAX_GROUP_CHANNELS} output channels per group (the reduction's channels), padding at most
     * dilation·(kernel − 1), and x exactly the size the convolution reads.
     */
    static boolean acceptsTransposed(ConvF32.Dims d) {
        ConvF32.Dims t = transposedDims(d);
        return t != null && d.c() > 0 && accepts(t, FORWARD_MAX_GROUP_CHANNELS) && t.ho() == d.h() && t.wo() == d.w();
    }

    /** The forward convolution that computes d's input gradient from its output gradient, or null if its padding would be negative. */
    static ConvF32.Dims transposedDims(ConvF32.Dims d) {
        ConvGeometry g = d.g();
        int padH = g.dilationH() * (d.kh() - 1) - g.padH();
        int padW = g.dilationW() * (d.kw() - 1) - g.padW();
        if (padH < 0 || padW < 0 || g.strideH() != 1 || g.strideW() != 1) {
            return null;
        }
        ConvGeometry t = new ConvGeometry(1, 1, padH, padW, g.dilationH(), g.dilationW(), g.groups());
        return new ConvF32.Dims(d.n(), d.o(), d.ho(), d.wo(), d.c(), d.kh(), d.kw(), t.outputHeight(d.ho(), d.kh()),
                t.outputWidth(d.wo(), d.kw()), t);
    }

    private static boolean accepts(ConvF32.Dims d, int maxGroupChannels) {
        ConvGeometry g = d.g();
        return g.strideH() == 1 && g.strideW() == 1 && d.c() / g.groups() <= maxGroupChannels && d.ho() > 0 && d.wo() > 0 && d.k() > 0;
    }

    /**
     * The padded copy of one image's group, and the flat layout the kernels run on: {@code channels}
     * planes of {@code rows} rows of pitch {@code pitch}, input pixel (r, c) at row r + padH, column c +
     * padW, zeros elsewhere. Output pixel (oh, ow) is position p = oh·pitch + ow, and tap t reads p +
     * {@code taps[t]}; the kernels run over all positions below {@code span} (ho·pitch rounded up to
     * {@link #POSITION_BLOCK}), one long run with no row ends, and positions with ow ≥ wo are discarded
     * (forward) or meet a zero gradient (weight gradient). The copy is {@link #size} long, so every
     * read is inside it.
     */
    record Padded(int channels, int rows, int pitch, int span, int[] taps) {
        static Padded of(ConvF32.Dims d) {
            ConvGeometry g = d.g();
            int cg = d.c() / g.groups();
            int rows = d.ho() + (d.kh() - 1) * g.dilationH();
            int pitch = d.wo() + (d.kw() - 1) * g.dilationW();
            int span = Math.ceilDiv(d.ho() * pitch, POSITION_BLOCK) * POSITION_BLOCK;
            int[] taps = new int[d.k()];
            for (int c = 0, t = 0; c < cg; c++) {
                for (int i = 0; i < d.kh(); i++) {
                    for (int j = 0; j < d.kw(); j++, t++) {
                        taps[t] = (c * rows + i * g.dilationH()) * pitch + j * g.dilationW();
                    }
                }
            }
            return new Padded(cg, rows, pitch, span, taps);
        }

        int size() {
            return Math.max(channels * rows * pitch, taps[taps.length - 1] + span);
        }

        /** Copies the group's channels of one image (x from {@code at}, planes h·w apart) into {@code buf}, zeros around. */
        void fill(ConvF32.Dims d, float[] x, int at, float[] buf) {
            Arrays.fill(buf, 0, size(), 0f);
            int padH = d.g().padH();
            int padW = d.g().padW();
            int r1 = Math.min(d.h(), rows - padH);
            int cols = Math.min(d.w(), pitch - padW);
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < r1; r++) {
                    System.arraycopy(x, at + (c * d.h() + r) * d.w(), buf, (c * rows + r + padH) * pitch + padW, cols);
                }
            }
        }
    }

    /** {@link ConvF32#forward} for a layer that {@link #acceptsForward}: y [n, o, ho, wo] overwritten. */
    static void forward(ConvF32.Dims d, float[] x, int xOff, float[] wt, int wOff, float[] bias, int bOff, float[] y) {
        Padded p = Padded.of(d);
        int groups = d.groups();
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        Parallel.forRange(d.n() * groups, 1, (s, e) -> {
            Workspace ws = WORKSPACE.get();
            float[] xp = ws.padded(p.size());
            float[] yp = ws.positions(og * p.span());
            for (int unit = s; unit < e; unit++) {
                int b = unit / groups;
                int grp = unit % groups;
                p.fill(d, x, xOff + b * inImage + grp * p.channels() * d.h() * d.w(), xp);
                if (Simd.ENABLED) {
                    ConvDirectF32Vector.forward(xp, p.taps(), k, p.span(), wt, wOff + grp * og * k, bias, bOff + grp * og, og, yp);
                } else {
                    ConvDirectF32Scalar.forward(xp, p.taps(), k, p.span(), wt, wOff + grp * og * k, bias, bOff + grp * og, og, yp);
                }
                int yAt = (b * d.o() + grp * og) * plane;
                for (int o = 0; o < og; o++) {
                    for (int oh = 0; oh < d.ho(); oh++) {
                        System.arraycopy(yp, o * p.span() + oh * p.pitch(), y, yAt + o * plane + oh * d.wo(), d.wo());
                    }
                }
            }
        });
    }

    /**
     * {@link ConvF32#transposed} for a layer that {@link #acceptsTransposed}, x [n, c, h, w] overwritten: with
     * stride 1 the input gradient is itself a convolution, of the output gradient padded by dilation·(kernel −
     * 1) − padding with the weight flipped in both spatial dimensions and its two channel dimensions swapped,
     * so it runs on {@link #forward}.
     */
    static void transposed(ConvF32.Dims d, float[] gy, int gyOff, float[] wt, int wOff, float[] x) {
        forward(transposedDims(d), gy, gyOff, flippedWeights(d, wt, wOff), 0, null, 0, x);
    }

    /**
     * The weight of the convolution {@link #transposedDims} describes: [C, O/G, kH, kW], for input channel c of
     * group grp the group's output filters flipped in both spatial dimensions.
     */
    static float[] flippedWeights(ConvF32.Dims d, float[] wt, int wOff) {
        int groups = d.groups();
        int og = d.o() / groups;
        int cg = d.c() / groups;
        int taps = d.kh() * d.kw();
        float[] flipped = new float[d.c() * og * taps];
        for (int grp = 0; grp < groups; grp++) {
            for (int o = 0; o < og; o++) {
                for (int c = 0; c < cg; c++) {
                    int from = wOff + ((grp * og + o) * cg + c) * taps;
                    int to = ((grp * cg + c) * og + o) * taps;
                    for (int t = 0; t < taps; t++) {
                        flipped[to + taps - 1 - t] = wt[from + t];
                    }
                }
            }
        }
        return flipped;
    }

    /**
     * {@link ConvF32#weightGrad} for a layer that {@link #acceptsWeightGrad}: gW [o, c/g, kh, kw] overwritten. Each
     * part of the batch is summed into its own partial, the partials added in a fixed order after. The vector
     * kernel reads the gradient from a copy laid out as the positions, zero where ow ≥ wo; an image with
     * an infinity or NaN takes the scalar twin instead, which reads only real positions (zero times
     * infinity would leak a NaN into taps that never see that pixel).
     */
    static void weightGrad(ConvF32.Dims d, float[] x, int xOff, float[] gy, int gyOff, float[] gw) {
        int size = d.o() * d.k();
        Arrays.fill(gw, 0, size, 0f);
        if (d.n() == 0 || size == 0) {
            return;
        }
        Padded p = Padded.of(d);
        int groups = d.groups();
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        // four parts per thread, claimed by whichever thread is free, so a thread slowed by another process does
        // not hold the others up; each part's sum depends only on its images, so the result not on the claiming
        int threads = Parallel.threads();
        int parts = Math.min(d.n(), threads == 1 ? 1 : 4 * threads);
        float[][] partials = new float[parts][];
        Parallel.forRange(parts, 1, (s, e) -> {
            Workspace ws = WORKSPACE.get();
            float[] xp = ws.padded(p.size());
            float[] gp = Simd.ENABLED ? ws.positions(og * p.span()) : null;
            if (gp != null) {
                Arrays.fill(gp, 0, og * p.span(), 0f);
            }
            for (int part = s; part < e; part++) {
                float[] acc = part == 0 ? gw : new float[size];
                float[] lanes = gp == null ? null : new float[size * ConvDirectF32Vector.lanes()];
                int first = (int) ((long) d.n() * part / parts);
                int last = (int) ((long) d.n() * (part + 1) / parts);
                for (int b = first; b < last; b++) {
                    for (int grp = 0; grp < groups; grp++) {
                        p.fill(d, x, xOff + b * inImage + grp * p.channels() * d.h() * d.w(), xp);
                        int gAt = gyOff + (b * d.o() + grp * og) * plane;
                        if (gp != null && ConvDirectF32Vector.finite(xp, p.size())) {
                            for (int o = 0; o < og; o++) {
                                for (int oh = 0; oh < d.ho(); oh++) {
                                    System.arraycopy(gy, gAt + o * plane + oh * d.wo(), gp, o * p.span() + oh * p.pitch(), d.wo());
                                }
                            }
                            ConvDirectF32Vector.weightGrad(xp, p.taps(), k, p.span(), gp, og, lanes, grp * og * k);
                        } else {
                            ConvDirectF32Scalar.weightGrad(xp, p.pitch(), p.taps(), k, gy, gAt, og, d.ho(), d.wo(), acc, grp * og * k);
                        }
                    }
                }
                if (lanes != null) {
                    ConvDirectF32Vector.sumLanes(lanes, acc, size);
                }
                partials[part] = acc;
            }
        });
        for (int part = 1; part < parts; part++) {
            float[] q = partials[part];
            for (int i = 0; i < size; i++) {
                gw[i] += q[i];
            }
        }
    }

    /** Per-thread buffers, grown on demand and reused by later calls. */
    private static final class Workspace {
        private float[] padded = new float[0];
        private float[] positions = new float[0];

        float[] padded(int size) {
            if (padded.length < size) {
                padded = new float[size];
            }
            return padded;
        }

        float[] positions(int size) {
            if (positions.length < size) {
                positions = new float[size];
            }
            return positions;
        }
    }
}
