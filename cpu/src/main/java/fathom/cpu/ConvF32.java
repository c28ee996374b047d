package fathom.cpu;

import fathom.backend.BinaryOp;
import fathom.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Float32 2-d convolution, forward and both backward passes, as column matrices ({@link ConvColumnsF32})
 * times the packed matmul ({@link MatmulF32}), over row-major arrays.
 *
 * <p>Every pass relates an input side {@code x [N, C, H, W]} and an output side {@code y [N, O, Ho, Wo]}
 * through a weight {@code [O, C/G, kH, kW]} ({@link Dims}): {@link #forward} computes y from x,
 * {@link #transposed} x from y (conv2d's input gradient, and conv_transpose2d's forward), and
 * {@link #weightGrad} the weight from both. Per group, a tile of the batch becomes {@code col [C/G·kH·kW,
 * columns]} and the pass is one product: {@code y = W·col}, {@code col = Wᵀ·y} then col2im, or
 * {@code gW += y·colᵀ}.
 *
 * <p>Why this strategy. Timings are rough: a shared 2-core AVX2 machine with a load of 5 to 8, so
 * strategies were compared on one thread by that thread's CPU time, alternating A and B in one JVM
 * (scratch harnesses; {@code ConvTiming} prints the wall-clock figures). The matmul already reaches
 * most of the FMA peak on large operands (about 75 GFLOP/s on one core for 128x1152x196), so the work
 * is to hand it good shapes with bounded memory, and im2col costs kH·kW copies of the input, small next
 * to the kH·kW·O multiply-adds per input element. That holds for deep layers; for stride-1 layers with few
 * channels per group (LeNet's two convolutions, narrow ResNet stages) the forward and the weight gradient
 * take a direct kernel instead, {@link ConvDirectF32}, whose Javadoc has the measurements and thresholds,
 * or, where that kernel wastes much of its work on small images (LeNet's second layer), one vectorized
 * across the batch, {@link ConvBatchF32}; the overloads that take a {@link Tiling} always run the im2col path.
 * <ul>
 * <li>Several images per product while an image has fewer than {@value #MIN_COLUMNS} output pixels:
 *     one product per 7x7 image runs ragged 4x16 micro-tiles and repacks the weights 128 times. ResNet
 *     128→128 3x3 on 7x7, batch 128, forward: 145 ms per image, 53 ms with 256 columns per product, 41
 *     ms with 1024; 64→64 on 7x7: 40 → 12 ms; 32→32 on 14x14: 20 → 13 ms; LeNet's 6→16 on 10x10
 *     outputs: 5.5 → 3.5 ms. The weight gradient hardly changes (its products are deep already).</li>
 * <li>Tasks (whole images, or bands of rows of one large image) run in parallel, one single-threaded
 *     product each, at least four tasks per thread when the batch allows; a batch too small for that
 *     runs its products one after another, each split across the threads by the matmul itself.</li>
 * <li>Column matrices are capped at {@value #COLUMN_LIMIT} floats per thread, so memory stays bounded
 *     whatever the batch (a quarter of it had held the 128-channel 7x7 layer to 4 images per product,
 *     twice it gained nothing more); an image too large for that is cut into bands of output rows.</li>
 * <li>A single-image tile needs no copies: the product writes into y, and reads y in place for the
 *     gradients; several images are staged through a buffer (a copy of O/G·columns floats).</li>
 * <li>Products with at most {@value #THIN} rows or depth run row by row ({@link #product}): LeNet's first
 *     layer forward went from 32 to 7 µs per image.</li>
 * </ul>
 * The result is within noise of one plain product of the same size (ConvTiming's yardstick line) for
 * the ResNet shapes. The bias is fused into the forward (added to each tile while it is in cache); its
 * gradient is two block reductions (see {@code ConvGradients}): summing [128, 16, 28, 28] over {0, 2, 3}
 * at once took 11.7 ms through the general reduction, over {2, 3} then {0} 0.37 ms.
 */
final class ConvF32 {
    /** Below this many output pixels per image, a tile groups several images. */
    static final int MIN_COLUMNS = 1024;
    /** The most floats a column matrix holds (4 MiB): bounds the memory each thread keeps. */
    static final int COLUMN_LIMIT = 1 << 20;
    /** Products this thin (rows or depth) skip packing; see {@link #product}. */
    private static final int THIN = 8;
    /**
     * Whether the passes that {@link ConvDirectF32} accepts take the direct path: a switch for timing the two
     * paths against each other in one JVM ({@code LenetStepTiming}); always true otherwise.
     */
    static volatile boolean DIRECT = true;
    /** Whether the passes that {@link ConvBatchF32} accepts take that path (before the direct one): a switch for timing, as {@link #DIRECT}. */
    static volatile boolean ACROSS_BATCH = true;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private ConvF32() {}

    /**
     * The sizes of one pass: input side [n, c, h, w], output side [n, o, ho, wo], weight [o, c/groups,
     * kh, kw], placed by {@code g}.
     */
    record Dims(int n, int c, int h, int w, int o, int kh, int kw, int ho, int wo, ConvGeometry g) {
        int groups() {
            return g.groups();
        }

        /** Rows of one group's column matrix: (C/G)·kH·kW. */
        int k() {
            return c / g.groups() * kh * kw;
        }

        int outPlane() {
            return ho * wo;
        }
    }

    /**
     * How the batch is cut: tasks of {@code images} whole images (the last may hold fewer), or of one
     * image in bands of {@code rows} output rows.
     */
    record Tiling(int images, int rows, int tasks) {
        /** The tiling for this machine's thread count and the class's limits. */
        static Tiling of(Dims d) {
            return of(d, MIN_COLUMNS, COLUMN_LIMIT, Parallel.threads());
        }

        /** Several images per task while they have fewer than {@code minColumns} output pixels, at most {@code columnLimit} column entries. */
        static Tiling of(Dims d, int minColumns, int columnLimit, int threads) {
            long perImage = (long) d.k() * d.outPlane();
            if (perImage > columnLimit) {
                int rows = (int) Math.max(1, columnLimit / ((long) d.k() * d.wo()));
                return new Tiling(1, Math.min(rows, d.ho()), d.n());
            }
            int images = 1;
            if (d.outPlane() < minColumns) {
                int wanted = Math.ceilDiv(minColumns, Math.max(1, d.outPlane()));
                int fit = (int) Math.max(1, columnLimit / Math.max(1, perImage));
                // keep at least four tasks per thread when the batch allows, for balance on a busy machine
                int spread = Math.max(1, d.n() / (4 * threads));
                images = Math.max(1, Math.min(wanted, Math.min(fit, spread)));
            }
            return new Tiling(images, d.ho(), Math.ceilDiv(d.n(), images));
        }
    }

    /** y = W ⋆ x + bias: x [n, c, h, w], weight [o, c/g, kh, kw], bias [o] or null, into y [n, o, ho, wo] (overwritten). */
    static void forward(Dims d, float[] x, int xOff, float[] wt, int wOff, float[] bias, int bOff, float[] y) {
        if (ACROSS_BATCH && ConvBatchF32.acceptsForward(d)) {
            ConvBatchF32.forward(d, x, xOff, wt, wOff, bias, bOff, y);
            return;
        }
        if (DIRECT && d.n() > 0 && d.o() > 0 && ConvDirectF32.acceptsForward(d)) {
            ConvDirectF32.forward(d, x, xOff, wt, wOff, bias, bOff, y);
            return;
        }
        forward(d, Tiling.of(d), x, xOff, wt, wOff, bias, bOff, y);
    }

    /** {@link #forward} cut as {@code t} says. */
    static void forward(Dims d, Tiling t, float[] x, int xOff, float[] wt, int wOff, float[] bias, int bOff, float[] y) {
        if (d.n() == 0 || d.outPlane() == 0 || d.o() == 0) {
            return;
        }
        Parallel.forRange(t.tasks(), 1, (s, e) -> {
            for (int task = s; task < e; task++) {
                int b0 = task * t.images();
                forwardTask(d, t, b0, Math.min(t.images(), d.n() - b0), x, xOff, wt, wOff, bias, bOff, y);
            }
        });
    }

    private static void forwardTask(Dims d, Tiling t, int b0, int images, float[] x, int xOff, float[] wt, int wOff,
                                    float[] bias, int bOff, float[] y) {
        Workspace ws = WORKSPACE.get();
        int groups = d.groups();
        int cg = d.c() / groups;
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        for (int oh0 = 0; oh0 < d.ho(); oh0 += t.rows()) {
            int oh1 = Math.min(d.ho(), oh0 + t.rows());
            int cols = images * (oh1 - oh0) * d.wo();
            float[] col = ws.col(k * cols);
            float[] out = images > 1 ? ws.out(og * cols) : null;
            for (int grp = 0; grp < groups; grp++) {
                ConvColumnsF32.im2col(x, xOff + b0 * inImage + grp * cg * d.h() * d.w(), inImage, images, cg, d.h(), d.w(),
                        d.kh(), d.kw(), d.g(), oh0, oh1, d.wo(), col, cols);
                int yAt = (b0 * d.o() + grp * og) * plane + oh0 * d.wo();
                if (out == null) {
                    // one image: the product writes straight into y, each output channel's band of rows
                    product(og, cols, k, wt, wOff + grp * og * k, k, 1, col, 0, cols, 1, y, yAt, plane, false);
                } else {
                    product(og, cols, k, wt, wOff + grp * og * k, k, 1, col, 0, cols, 1, out, 0, cols, false);
                    for (int b = 0; b < images; b++) {
                        for (int o = 0; o < og; o++) {
                            System.arraycopy(out, o * cols + b * plane, y, yAt + (b * d.o() + o) * plane, plane);
                        }
                    }
                }
            }
            if (bias != null) {
                for (int b = 0; b < images; b++) {
                    for (int o = 0; o < d.o(); o++) {
                        int at = ((b0 + b) * d.o() + o) * plane + oh0 * d.wo();
                        addScalar(y, at, (oh1 - oh0) * d.wo(), bias[bOff + o]);
                    }
                }
            }
        }
    }

    /**
     * x = Wᵀ ⋆ y (the adjoint of {@link #forward} without bias): y [n, o, ho, wo], weight [o, c/g, kh, kw],
     * into x [n, c, h, w], which must hold zeros (the im2col path adds into it, the direct one overwrites it).
     */
    static void transposed(Dims d, float[] y, int yOff, float[] wt, int wOff, float[] x) {
        if (ACROSS_BATCH && ConvBatchF32.acceptsTransposed(d)) {
            ConvBatchF32.transposed(d, y, yOff, wt, wOff, x);
            return;
        }
        if (DIRECT && d.n() > 0 && ConvDirectF32.acceptsTransposed(d)) {
            ConvDirectF32.transposed(d, y, yOff, wt, wOff, x);
            return;
        }
        transposed(d, Tiling.of(d), y, yOff, wt, wOff, x);
    }

    /** {@link #transposed} on the im2col path, cut as {@code t} says, adding into x. */
    static void transposed(Dims d, Tiling t, float[] y, int yOff, float[] wt, int wOff, float[] x) {
        if (d.n() == 0 || d.outPlane() == 0 || d.c() == 0) {
            return;
        }
        Parallel.forRange(t.tasks(), 1, (s, e) -> {
            for (int task = s; task < e; task++) {
                int b0 = task * t.images();
                transposedTask(d, t, b0, Math.min(t.images(), d.n() - b0), y, yOff, wt, wOff, x);
            }
        });
    }

    private static void transposedTask(Dims d, Tiling t, int b0, int images, float[] y, int yOff, float[] wt, int wOff, float[] x) {
        Workspace ws = WORKSPACE.get();
        int groups = d.groups();
        int cg = d.c() / groups;
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        for (int oh0 = 0; oh0 < d.ho(); oh0 += t.rows()) {
            int oh1 = Math.min(d.ho(), oh0 + t.rows());
            int cols = images * (oh1 - oh0) * d.wo();
            float[] col = ws.col(k * cols);
            for (int grp = 0; grp < groups; grp++) {
                int yAt = yOff + (b0 * d.o() + grp * og) * plane + oh0 * d.wo();
                float[] src = y;
                int srcAt = yAt;
                int ld = plane;
                if (images > 1) {
                    src = gatherRows(d, ws, y, yAt, images, og, cols);
                    srcAt = 0;
                    ld = cols;
                }
                // col [k, cols] = W_gᵀ [k, og] · y_g [og, cols]; Wᵀ is read through strides, not copied
                product(k, cols, og, wt, wOff + grp * og * k, 1, k, src, srcAt, ld, 1, col, 0, cols, false);
                ConvColumnsF32.col2im(col, cols, x, b0 * inImage + grp * cg * d.h() * d.w(), inImage, images, cg, d.h(), d.w(),
                        d.kh(), d.kw(), d.g(), oh0, oh1, d.wo());
            }
        }
    }

    /**
     * gW [o, c/g, kh, kw] = Σ over the batch of y ⋆ x (overwritten): x [n, c, h, w], y [n, o, ho, wo]. Each
     * thread sums its share of the batch into its own partial; the partials are added in a fixed order, so
     * the result does not depend on which thread ran what.
     */
    static void weightGrad(Dims d, float[] x, int xOff, float[] y, int yOff, float[] gw) {
        if (ACROSS_BATCH && ConvBatchF32.acceptsWeightGrad(d)) {
            ConvBatchF32.weightGrad(d, x, xOff, y, yOff, gw);
            return;
        }
        if (DIRECT && ConvDirectF32.acceptsWeightGrad(d)) {
            ConvDirectF32.weightGrad(d, x, xOff, y, yOff, gw);
            return;
        }
        weightGrad(d, Tiling.of(d), x, xOff, y, yOff, gw);
    }

    /** {@link #weightGrad} cut as {@code t} says. */
    static void weightGrad(Dims d, Tiling t, float[] x, int xOff, float[] y, int yOff, float[] gw) {
        int size = d.o() * d.k();
        Arrays.fill(gw, 0, size, 0f);
        if (d.n() == 0 || d.outPlane() == 0 || size == 0) {
            return;
        }
        int parts = Math.min(t.tasks(), Parallel.threads());
        float[][] partials = new float[parts][];
        Parallel.forRange(parts, 1, (s, e) -> {
            for (int part = s; part < e; part++) {
                float[] acc = part == 0 ? gw : new float[size];
                int first = (int) ((long) t.tasks() * part / parts);
                int last = (int) ((long) t.tasks() * (part + 1) / parts);
                for (int task = first; task < last; task++) {
                    int b0 = task * t.images();
                    weightGradTask(d, t, b0, Math.min(t.images(), d.n() - b0), x, xOff, y, yOff, acc);
                }
                partials[part] = acc;
            }
        });
        for (int part = 1; part < parts; part++) {
            float[] p = partials[part];
            for (int i = 0; i < size; i++) {
                gw[i] += p[i];
            }
        }
    }

    private static void weightGradTask(Dims d, Tiling t, int b0, int images, float[] x, int xOff, float[] y, int yOff, float[] acc) {
        Workspace ws = WORKSPACE.get();
        int groups = d.groups();
        int cg = d.c() / groups;
        int og = d.o() / groups;
        int k = d.k();
        int plane = d.outPlane();
        int inImage = d.c() * d.h() * d.w();
        for (int oh0 = 0; oh0 < d.ho(); oh0 += t.rows()) {
            int oh1 = Math.min(d.ho(), oh0 + t.rows());
            int cols = images * (oh1 - oh0) * d.wo();
            float[] col = ws.col(k * cols);
            for (int grp = 0; grp < groups; grp++) {
                ConvColumnsF32.im2col(x, xOff + b0 * inImage + grp * cg * d.h() * d.w(), inImage, images, cg, d.h(), d.w(),
                        d.kh(), d.kw(), d.g(), oh0, oh1, d.wo(), col, cols);
                int yAt = yOff + (b0 * d.o() + grp * og) * plane + oh0 * d.wo();
                float[] src = y;
                int srcAt = yAt;
                int ld = plane;
                if (images > 1) {
                    src = gatherRows(d, ws, y, yAt, images, og, cols);
                    srcAt = 0;
                    ld = cols;
                }
                // gW_g [og, k] += y_g [og, cols] · colᵀ [cols, k]; colᵀ is read through strides
                product(og, k, cols, src, srcAt, ld, 1, col, 0, 1, cols, acc, grp * og * k, k, true);
            }
        }
    }

    /**
     * {@link MatmulF32#gemm}, except that a product with at most {@value #THIN} rows or a depth of at most
     * {@value #THIN} runs row by row on the unpacked row kernel: with so few rows (LeNet's 6 filters)
     * or so shallow a sum (its input gradient over 6 channels), the packed path's 4x16 tiles are mostly
     * edge or mostly loads and stores of C. Measured on one thread: 2.5 to 4.5 times faster for LeNet's
     * first layer, equal at 8 rows, slower beyond.
     */
    private static void product(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        if (m > THIN && k > THIN) {
            MatmulF32.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
            return;
        }
        for (int i = 0; i < m; i++) {
            MatmulF32.gemm(1, n, k, a, aOff + i * ars, ars, acs, b, bOff, brs, bcs, c, cOff + i * ldc, ldc, accumulate);
        }
    }

    /** The og output channels of {@code images} images starting at yAt, laid side by side as [og, images·plane]. */
    private static float[] gatherRows(Dims d, Workspace ws, float[] y, int yAt, int images, int og, int cols) {
        int plane = d.outPlane();
        float[] buf = ws.out(og * cols);
        for (int b = 0; b < images; b++) {
            for (int o = 0; o < og; o++) {
                System.arraycopy(y, yAt + (b * d.o() + o) * plane, buf, o * cols + b * plane, plane);
            }
        }
        return buf;
    }

    /** {@code a[at + t] += v} for t < n. */
    static void addScalar(float[] a, int at, int n, float v) {
        ElementwiseF32.binary(BinaryOp.ADD, a, at, 1, new float[] {v}, 0, 0, a, at, n);
    }

    /** Per-thread column and staging buffers, grown on demand and reused by later calls. */
    private static final class Workspace {
        private float[] col = new float[0];
        private float[] out = new float[0];

        float[] col(int size) {
            if (col.length < size) {
                col = new float[size];
            }
            return col;
        }

        float[] out(int size) {
            if (out.length < size) {
                out = new float[size];
            }
            return out;
        }
    }
}
