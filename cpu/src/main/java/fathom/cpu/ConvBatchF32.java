package fathom.cpu;

import java.util.Arrays;

/**
 * Direct float32 2-d convolution vectorized across the batch: the images are taken {@link #LANES} at a
 * time (one vector), each block copied into the layout {@code [channels, rows, cols, LANES]} with its
 * zero padding, so that the vector at a pixel holds that pixel of every image of the block. A convolution
 * is then the matmul micro-kernel's pattern with the kernel taps as the reduction
 * ({@link ConvBatchF32Vector}): no im2col matrix, no padding logic in the loops, and none of the wasted
 * positions of {@link ConvDirectF32}, which vectorizes along an image row and computes (pitch − width)
 * throw-away columns per row (1.6x the useful work on LeNet's 10x10 outputs). Any stride and dilation work
 * the same way: they only change which pixel vector a tap reads.
 *
 * <p>Sizes as {@link ConvF32.Dims}. The forward writes y from the block's output rows; the input gradient
 * of a stride-1 layer is the forward of its own convolution ({@link ConvDirectF32#transposedDims}); the weight
 * gradient sums per lane over pixels and blocks and adds the lanes once at the end. The
 * layout copies cost a pass over each input and output, small next to the kH·kW·C/G multiply-adds per
 * output value. Blocks run in parallel (and groups, for grouped layers); a last block with fewer
 * images has zero lanes, which cost time but add nothing.
 *
 * <p>Only with {@link Simd#ENABLED}; with vectors off the other paths of {@link ConvF32} run. When it
 * is taken, and the measurements behind that, are in {@link #acceptsForward}. The copies transpose 8x8
 * blocks in registers ({@link MatmulPackF32#transposeEightRows}): done element by element they took 0.41 of
 * LeNet's second-layer forward's 1.33 ms.
 */
final class ConvBatchF32 {
    /** Images per block: one vector's lanes. */
    static final int LANES = Simd.ENABLED ? ConvBatchF32Vector.LANES : 1;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private ConvBatchF32() {}

    /**
     * Whether the forward of {@code d} takes this path: where {@link ConvDirectF32} would, but it does at least
     * half again this path's work, and the reduction is deep enough ({@code k ≥ 64}) to repay the layout
     * copies. The direct path computes {@code span} positions per output plane (its rows padded to the input's
     * pitch) with every kernel row; this one computes the output plane with the kernel rows that read real
     * input rows ({@link RowTaps}). Measured on one thread by its CPU time, alternating with the other paths
     * in one JVM ({@code LenetStepTiming}), ms per call, im2col / direct / this:
     * <pre>
     * LeNet conv2 6→16 5x5, 14x14, N 128: forward 3.09 / 1.65 / 1.29, weight gradient 3.33 / 2.31 / 1.66,
     *                                     input gradient 3.40 / 2.68 / 1.86
     * LeNet conv1 1→6 5x5 pad 2, 28x28:   forward 1.59 / 0.94 / 1.21, weight gradient 1.93 / 0.79 / 1.19
     * 3x3 "same", N 32, 8→8 28x28:        forward 1.37 / 0.64 / 0.89, weight gradient 1.24 / 1.23 / 1.05,
     *                                     input gradient 1.27 / 0.65 / 0.71
     *                       16→16 28x28:  forward 3.14 / 2.14 / 2.83, weight gradient 3.14 / 3.14 / 3.58,
     *                                     input gradient 2.91 / 2.21 / 2.29
     *                       32→32 14x14:  forward 2.52 / 2.52 / 2.55, weight gradient 2.53 / 2.52 / 3.46
     *                       64→64 7x7:    forward 2.32 / 2.32 / 2.52, weight gradient 2.29 / 2.27 / 3.78
     * </pre>
     * It wins where the direct path computes many throw-away columns (10x10 outputs in rows of 14) or
     * multiplies much padding (LeNet's second layer's input gradient: 14x14 outputs from gradients padded by
     * 4, where the direct path does 1.8 times this path's work), and loses where its copies weigh more than
     * the multiply-adds (LeNet's first layer: 25 taps) or the packed matmul's cache blocking matters (many
     * channels).
     */
    static boolean acceptsForward(ConvF32.Dims d) {
        if (!fullBlock(d) || !ConvDirectF32.acceptsForward(d) || d.k() < 64) {
            return false;
        }
        long direct = (long) ConvDirectF32.Padded.of(d).span() * d.kh();
        long batch = 0;
        for (int oh = 0; oh < d.ho(); oh++) {
            long rows = RowTaps.keptRows(d, oh);
            batch += (long) d.wo() * ((int) rows - (int) (rows >> 32));
        }
        return direct >= 1.5 * batch;
    }

    /** Whether the input gradient of {@code d} takes this path: when the forward that computes it does ({@link ConvDirectF32#transposedDims}). */
    static boolean acceptsTransposed(ConvF32.Dims d) {
        return ConvDirectF32.acceptsTransposed(d) && acceptsForward(ConvDirectF32.transposedDims(d));
    }

    /** Whether the weight gradient of {@code d} takes this path: at most 8 input channels per group and {@code k ≥ 64} (see {@link #acceptsForward}). */
    static boolean acceptsWeightGrad(ConvF32.Dims d) {
        return fullBlock(d) && d.c() / d.groups() <= 8 && d.k() >= 64;
    }

    /** Vectors on, at least one full block of images, and something to compute. */
    private static boolean fullBlock(ConvF32.Dims d) {
        return Simd.ENABLED && d.n() >= LANES && d.ho() > 0 && d.wo() > 0 && d.k() > 0 && d.o() > 0;
    }

    /**
     * The padded input of one block and its taps: channel c, row r, column q at {@code ((c·rows + r)·cols +
     * q)·LANES}, input pixel (h, w) at row h + padH, column w + padW; tap t = (c·kH + i)·kW + j reads
     * {@code taps[t]} past the output pixel's corner. Only the rows and columns the convolution reads
     * are kept.
     */
    private record Input(int channels, int rows, int cols, int[] taps) {
        static Input of(ConvF32.Dims d) {
            var g = d.g();
            int cg = d.c() / g.groups();
            int rows = (d.ho() - 1) * g.strideH() + (d.kh() - 1) * g.dilationH() + 1;
            int cols = (d.wo() - 1) * g.strideW() + (d.kw() - 1) * g.dilationW() + 1;
            int[] taps = new int[d.k()];
            for (int c = 0, t = 0; c < cg; c++) {
                for (int i = 0; i < d.kh(); i++) {
                    for (int j = 0; j < d.kw(); j++, t++) {
                        taps[t] = ((c * rows + i * g.dilationH()) * cols + j * g.dilationW()) * LANES;
                    }
                }
            }
            return new Input(cg, rows, cols, taps);
        }

        int size() {
            return channels * rows * cols * LANES;
        }

        /** Copies channels of {@code images} images (x from {@code at}, images {@code inImage} apart) into {@code buf}, zeros around. */
        void fill(ConvF32.Dims d, float[] x, int at, int inImage, int images, float[] buf) {
            Arrays.fill(buf, 0, size(), 0f);
            int padH = d.g().padH();
            int padW = d.g().padW();
            int h0 = Math.max(0, -padH), h1 = Math.min(d.h(), rows - padH);
            int w0 = Math.max(0, -padW), w1 = Math.min(d.w(), cols - padW);
            boolean transpose = images == LANES && MatmulPackF32.TRANSPOSE;
            for (int c = 0; c < channels; c++) {
                for (int r = h0; r < h1; r++) {
                    int from = at + (c * d.h() + r) * d.w();
                    int to = ((c * rows + r + padH) * cols + padW) * LANES;
                    int q = w0;
                    if (transpose) {
                        int blocks = Math.max(0, w1 - w0) & ~7;
                        for (int l = 0; l < LANES; l += 8) { // eight images at a time: one 8x8 transpose's rows
                            MatmulPackF32.transposeEightRows(x, from + l * inImage + w0, inImage, blocks, buf, to + w0 * LANES + l, LANES);
                        }
                        q += blocks;
                    }
                    for (int l = 0; l < images; l++) {
                        for (int j = q; j < w1; j++) {
                            buf[to + j * LANES + l] = x[from + l * inImage + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * For each output row, the taps that read real input rows and their weights ({@code [o, taps]}), or null
     * weights where that is every tap: the rows at the top and bottom of a padded layer leave out the kernel
     * rows that would read only the zero padding. The input gradient of LeNet's second layer, a forward over
     * gradients padded by 4 on every side, thereby skips 20 of its 70 kernel rows per column of outputs
     * (2.41 to 1.86 ms per call on one thread). A skipped tap would have added {@code 0·w}, which leaves a
     * finite sum as it was, so the sums of finite weights are bit for bit those of every tap.
     */
    private record RowTaps(int[][] taps, float[][] weights) {
        static RowTaps of(ConvF32.Dims d, Input in, float[] wt, int wOff) {
            int kh = d.kh();
            int kw = d.kw();
            int[][] taps = new int[d.ho()][];
            float[][] weights = new float[d.ho()][];
            long previous = -1;
            for (int oh = 0; oh < d.ho(); oh++) {
                long rows = keptRows(d, oh);
                int i0 = (int) (rows >> 32), i1 = (int) rows;
                if (i0 == 0 && i1 == kh) {
                    taps[oh] = in.taps();
                } else if (rows == previous) {
                    taps[oh] = taps[oh - 1];
                    weights[oh] = weights[oh - 1];
                } else {
                    int kr = in.channels() * (i1 - i0) * kw;
                    int[] t = new int[kr];
                    float[] w = new float[d.o() * kr];
                    for (int c = 0, at = 0; c < in.channels(); c++) {
                        for (int i = i0; i < i1; i++) {
                            for (int j = 0; j < kw; j++, at++) {
                                int tap = (c * kh + i) * kw + j;
                                t[at] = in.taps()[tap];
                                for (int o = 0; o < d.o(); o++) {
                                    w[o * kr + at] = wt[wOff + o * d.k() + tap];
                                }
                            }
                        }
                    }
                    taps[oh] = t;
                    weights[oh] = w;
                }
                previous = rows;
            }
            return new RowTaps(taps, weights);
        }

        /** The kernel rows [i0, i1) whose input row {@code oh·sH + i·dH − padH} lies in [0, h), as {@code i0 << 32 | i1}. */
        static long keptRows(ConvF32.Dims d, int oh) {
            var g = d.g();
            int i0 = 0, i1 = d.kh();
            while (i0 < i1 && oh * g.strideH() + i0 * g.dilationH() - g.padH() < 0) {
                i0++;
            }
            while (i1 > i0 && oh * g.strideH() + (i1 - 1) * g.dilationH() - g.padH() >= d.h()) {
                i1--;
            }
            return (long) i0 << 32 | i1;
        }
    }

    /** {@link ConvF32#forward} for a layer that {@link #acceptsForward}: y [n, o, ho, wo] overwritten. */
    static void forward(ConvF32.Dims d, float[] x, int xOff, float[] wt, int wOff, float[] bias, int bOff, float[] y) {
        Input in = Input.of(d);
        int groups = d.groups();
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        int blocks = Math.ceilDiv(d.n(), LANES);
        var g = d.g();
        RowTaps rows = RowTaps.of(d, in, wt, wOff);
        Parallel.forRange(blocks * groups, 1, (s, e) -> {
            Workspace ws = WORKSPACE.get();
            float[] xt = ws.input(in.size());
            float[] yt = ws.output(og * plane * LANES);
            for (int unit = s; unit < e; unit++) {
                int b0 = unit / groups * LANES;
                int grp = unit % groups;
                int images = Math.min(LANES, d.n() - b0);
                in.fill(d, x, xOff + b0 * inImage + grp * in.channels() * d.h() * d.w(), inImage, images, xt);
                for (int oh = 0; oh < d.ho(); oh++) {
                    int[] taps = rows.taps()[oh];
                    int kr = taps.length;
                    float[] w = rows.weights()[oh];
                    ConvBatchF32Vector.forwardRow(xt, taps, kr, in.cols(), g.strideH(), g.strideW(), oh, d.ho(), d.wo(),
                            w == null ? wt : w, w == null ? wOff + grp * og * k : grp * og * kr, bias, bOff + grp * og, og, yt);
                }
                scatterOutput(yt, images, og * plane, y, (b0 * d.o() + grp * og) * plane, d.o() * plane);
            }
        });
    }

    /**
     * {@link ConvF32#transposed} for a layer that {@link #acceptsTransposed}, x [n, c, h, w] overwritten: the forward
     * convolution of the output gradient that {@link ConvDirectF32#transposed} also runs.
     */
    static void transposed(ConvF32.Dims d, float[] gy, int gyOff, float[] wt, int wOff, float[] x) {
        forward(ConvDirectF32.transposedDims(d), gy, gyOff, ConvDirectF32.flippedWeights(d, wt, wOff), 0, null, 0, x);
    }

    /**
     * {@link ConvF32#weightGrad} for a layer that {@link #acceptsWeightGrad}: gW [o, c/g, kh, kw] overwritten. Parts of
     * the batch (four per thread, claimed by whichever thread is free) each sum into their own per-lane
     * accumulators, whose lanes are added in order when the part ends; the parts are added in a fixed
     * order, so the result does not depend on which thread ran what.
     */
    static void weightGrad(ConvF32.Dims d, float[] x, int xOff, float[] gy, int gyOff, float[] gw) {
        int size = d.o() * d.k();
        Arrays.fill(gw, 0, size, 0f);
        Input in = Input.of(d);
        int groups = d.groups();
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        int outImage = d.o() * plane;
        int blocks = Math.ceilDiv(d.n(), LANES);
        int threads = Parallel.threads();
        int parts = Math.min(blocks, threads == 1 ? 1 : 4 * threads);
        float[][] partials = new float[parts][];
        var g = d.g();
        Parallel.forRange(parts, 1, (s, e) -> {
            Workspace ws = WORKSPACE.get();
            float[] xt = ws.input(in.size());
            float[] gt = ws.output(og * plane * LANES);
            float[] lanes = ws.lanes(size * LANES);
            for (int part = s; part < e; part++) {
                Arrays.fill(lanes, 0, size * LANES, 0f);
                int first = (int) ((long) blocks * part / parts);
                int last = (int) ((long) blocks * (part + 1) / parts);
                for (int blk = first; blk < last; blk++) {
                    int b0 = blk * LANES;
                    int images = Math.min(LANES, d.n() - b0);
                    for (int grp = 0; grp < groups; grp++) {
                        in.fill(d, x, xOff + b0 * inImage + grp * in.channels() * d.h() * d.w(), inImage, images, xt);
                        gatherOutput(gy, gyOff + b0 * outImage + grp * og * plane, outImage, images, og * plane, gt);
                        ConvBatchF32Vector.weightGrad(xt, in.taps(), k, in.cols(), g.strideH(), g.strideW(), d.ho(), d.wo(), gt, og,
                                lanes, grp * og * k * LANES);
                    }
                }
                float[] acc = part == 0 ? gw : new float[size];
                ConvDirectF32Vector.sumLanes(lanes, acc, size);
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

    /** {@code gt[i·LANES + l] = gy[at + l·stride + i]} for i < count, l < images; lanes past images zero. */
    private static void gatherOutput(float[] gy, int at, int stride, int images, int count, float[] gt) {
        int i = 0;
        if (images == LANES && MatmulPackF32.TRANSPOSE) {
            i = count & ~7;
            for (int l = 0; l < LANES; l += 8) {
                MatmulPackF32.transposeEightRows(gy, at + l * stride, stride, i, gt, l, LANES);
            }
        } else {
            Arrays.fill(gt, 0, count * LANES, 0f);
        }
        for (int l = 0; l < images; l++) {
            int from = at + l * stride;
            for (int j = i; j < count; j++) {
                gt[j * LANES + l] = gy[from + j];
            }
        }
    }

    /** {@code y[at + l·stride + i] = yt[i·LANES + l]} for i < count, l < images: a block's outputs back to [n, ...] rows. */
    private static void scatterOutput(float[] yt, int images, int count, float[] y, int at, int stride) {
        int i = 0;
        if (images == LANES && MatmulPackF32.TRANSPOSE) {
            for (; i + 8 <= count; i += 8) {
                for (int l = 0; l < LANES; l += 8) {
                    MatmulPackF32.transposeEightRows(yt, i * LANES + l, LANES, 8, y, at + i + l * stride, stride);
                }
            }
        }
        for (int l = 0; l < images; l++) {
            int to = at + l * stride;
            for (int j = i; j < count; j++) {
                y[to + j] = yt[j * LANES + l];
            }
        }
    }

    /** Per-thread buffers, grown on demand and reused by later calls. */
    private static final class Workspace {
        private float[] input = new float[0];
        private float[] output = new float[0];
        private float[] lanes = new float[0];

        float[] input(int size) {
            if (input.length < size) {
                input = new float[size];
            }
            return input;
        }

        float[] output(int size) {
            if (output.length < size) {
                output = new float[size];
            }
            return output;
        }

        float[] lanes(int size) {
            if (lanes.length < size) {
                lanes = new float[size];
            }
            return lanes;
        }
    }
}
