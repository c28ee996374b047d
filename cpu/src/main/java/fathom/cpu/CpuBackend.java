package fathom.cpu;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.ActivationResult;
import fathom.backend.AttentionConfig;
import fathom.backend.AttentionResult;
import fathom.backend.NormResult;
import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import fathom.backend.ConvGeometry;
import fathom.backend.PoolAxis;
import fathom.backend.RecurrentMode;
import fathom.backend.RecurrentStates;
import fathom.backend.ScalarBackend;
import fathom.backend.Strides;
import fathom.backend.UnaryOp;

/**
 * The fast CPU backend: float32 primitives run on the Vector API kernels ({@link ElementwiseF32},
 * {@link ReduceF32}, {@link SoftmaxF32}, {@link MatmulF32}), split across the shared {@link Parallel}
 * pool; every other dtype and layout falls back to the scalar reference it extends.
 *
 * <p>Strided and broadcast operands are collapsed into rows ({@link Layout}) so that a transposed or
 * broadcast operand costs one kernel call per row rather than a copy. Work below {@link #GRAIN}
 * elements runs on the calling thread: handing it to the pool costs more than it saves.
 */
public final class CpuBackend extends ScalarBackend {
    /** Elements per parallel task; below it one thread does the work. */
    static final int GRAIN = 1 << 15;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 10;
    }

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) {
            if (t.dtype() != DType.FLOAT32) {
                return false;
            }
        }
        return true;
    }

    /** x itself when contiguous, else a contiguous float32 copy. */
    private Tensor dense(Tensor x) {
        return x.isContiguous() ? x : copy(x, DType.FLOAT32);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        if (!f32(x)) {
            return super.unary(op, x);
        }
        Tensor src = dense(x);
        Tensor out = Tensors.empty(x.shape(), DType.FLOAT32);
        float[] in = src.storage().floats();
        float[] o = out.storage().floats();
        int off = src.offset();
        Parallel.forRange(x.numel(), GRAIN, (s, e) -> ElementwiseF32.unary(op, in, off + s, o, s, e - s));
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a, b)) {
            return super.binary(op, a, b);
        }
        Shape shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        Tensor out = Tensors.empty(shape, DType.FLOAT32);
        if (!binaryInto(op, a, b, out)) {
            return super.binary(op, a, b);
        }
        return out;
    }

    @Override
    public void binaryInPlace(BinaryOp op, Tensor a, Tensor b) {
        if (!f32(a, b) || !binaryInto(op, a, b, a)) {
            super.binaryInPlace(op, a, b);
        }
    }

    @Override
    public void addScaledInPlace(Tensor a, Tensor b, double alpha) {
        if (!f32(a, b) || !a.isContiguous() || !b.isContiguous() || a.numel() != b.numel()) {
            super.addScaledInPlace(a, b, alpha);
            return;
        }
        float[] y = a.storage().floats();
        float[] x = b.storage().floats();
        int ao = a.offset();
        int bo = b.offset();
        float al = (float) alpha;
        Parallel.forRange(a.numel(), GRAIN, (s, e) -> ElementwiseF32.axpy(al, x, bo + s, y, ao + s, e - s));
    }

    /** One pass over contiguous float32 arrays ({@link OptimizerStepF32}), the same values as the composed default. */
    @Override
    public void sgdMomentumStep(Tensor p, Tensor buf, Tensor d, double momentum, double dampening, double lr) {
        if (!f32(p, buf, d) || !contiguousAlike(p, buf, d)) {
            super.sgdMomentumStep(p, buf, d, momentum, dampening, lr);
            return;
        }
        float[] x = p.storage().floats();
        float[] b = buf.storage().floats();
        float[] g = d.storage().floats();
        int po = p.offset();
        int bo = buf.offset();
        int go = d.offset();
        float mu = (float) momentum;
        float gScale = (float) (1 - dampening);
        float alpha = (float) -lr;
        Parallel.forRange(p.numel(), GRAIN, (s, e) -> OptimizerStepF32.sgdMomentum(x, po + s, b, bo + s, g, go + s, mu, gScale, alpha, e - s));
    }

    /** One pass over contiguous float32 arrays ({@link OptimizerStepF32}), the same values as the composed default. */
    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, double beta1, double beta2, double eps,
                         double stepSize, double biasCorrection2) {
        if (!f32(p, g, m, v) || !contiguousAlike(p, g, m, v)) {
            super.adamStep(p, g, m, v, beta1, beta2, eps, stepSize, biasCorrection2);
            return;
        }
        float[] x = p.storage().floats();
        float[] gr = g.storage().floats();
        float[] m1 = m.storage().floats();
        float[] m2 = v.storage().floats();
        int po = p.offset();
        int go = g.offset();
        int mo = m.offset();
        int vo = v.offset();
        float b1 = (float) beta1;
        float c1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float c2 = (float) (1 - beta2);
        float root = (float) Math.sqrt(biasCorrection2);
        float e = (float) eps;
        float scale = (float) -stepSize;
        Parallel.forRange(p.numel(), GRAIN, (s, end) -> OptimizerStepF32.adam(x, po + s, gr, go + s, m1, mo + s, m2, vo + s,
                b1, c1, b2, c2, root, e, scale, end - s));
    }

    /** Whether p and the others are contiguous, each with p's number of elements. */
    private static boolean contiguousAlike(Tensor p, Tensor... others) {
        if (!p.isContiguous()) {
            return false;
        }
        for (Tensor t : others) {
            if (!t.isContiguous() || t.numel() != p.numel()) {
                return false;
            }
        }
        return true;
    }

    /** out = op(a, b) over out's shape; false (nothing written) when the layout needs the scalar path. */
    private static boolean binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        float[] o = out.storage().floats();
        int n = out.numel();
        if (n == 0) {
            return true;
        }
        if (out.isContiguous() && a.isContiguous() && (b.isContiguous() && b.numel() == n || b.numel() == 1)
                && a.numel() == n) {
            int ao = a.offset();
            int bo = b.offset();
            int bs = b.numel() == 1 ? 0 : 1;
            int oo = out.offset();
            Parallel.forRange(n, GRAIN, (s, e) -> ElementwiseF32.binary(op, x, ao + s, 1, y, bo + s * bs, bs, o, oo + s, e - s));
            return true;
        }
        Shape shape = out.shape();
        Layout l = Layout.of(shape, new int[][] {Strides.broadcast(a, shape), Strides.broadcast(b, shape), out.strides()},
                new int[] {a.offset(), b.offset(), out.offset()});
        if (!l.unitStrides() || l.innerStrides()[2] != 1) {
            return false;
        }
        int sa = l.innerStrides()[0];
        int sb = l.innerStrides()[1];
        forRows(l, (r, s, e) -> ElementwiseF32.binary(op, x, l.rowOffsets()[0][r] + s * sa, sa, y, l.rowOffsets()[1][r] + s * sb, sb,
                o, l.rowOffsets()[2][r] + s, e - s));
        return true;
    }

    /** A kernel call over elements [s, e) of row r. */
    private interface RowBody {
        void run(int row, int start, int end);
    }

    /** Runs body over every row of the layout, in parallel over rows, or over one long row's elements. */
    private static void forRows(Layout l, RowBody body) {
        int len = l.length();
        if (l.rows() == 1) {
            Parallel.forRange(len, GRAIN, (s, e) -> body.run(0, s, e));
        } else {
            Parallel.forRange(l.rows(), Math.max(1, GRAIN / Math.max(1, len)), (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    body.run(r, 0, len);
                }
            });
        }
    }

    @Override
    public Tensor compare(CompareOp op, Tensor a, Tensor b) {
        if (!f32(a, b)) {
            return super.compare(op, a, b);
        }
        Shape shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        Layout l = Layout.of(shape, new int[][] {Strides.broadcast(a, shape), Strides.broadcast(b, shape), shape.contiguousStrides()},
                new int[] {a.offset(), b.offset(), 0});
        if (!l.unitStrides()) {
            return super.compare(op, a, b);
        }
        Tensor out = Tensors.zeros(shape, DType.BOOL);
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        boolean[] o = out.storage().booleans();
        int sa = l.innerStrides()[0];
        int sb = l.innerStrides()[1];
        forRows(l, (r, s, e) -> ElementwiseF32.compare(op, x, l.rowOffsets()[0][r] + s * sa, sa, y, l.rowOffsets()[1][r] + s * sb, sb,
                o, l.rowOffsets()[2][r] + s, e - s));
        return out;
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (!f32(a, b)) {
            return super.where(cond, a, b);
        }
        Shape shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Layout l = Layout.of(shape, new int[][] {Strides.broadcast(cond, shape), Strides.broadcast(a, shape), Strides.broadcast(b, shape),
            shape.contiguousStrides()}, new int[] {cond.offset(), a.offset(), b.offset(), 0});
        if (!l.unitStrides()) {
            return super.where(cond, a, b);
        }
        Tensor out = Tensors.zeros(shape, DType.FLOAT32);
        boolean[] c = cond.storage().booleans();
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        float[] o = out.storage().floats();
        int[] st = l.innerStrides();
        int[][] ro = l.rowOffsets();
        forRows(l, (r, s, e) -> ElementwiseF32.where(c, ro[0][r] + s * st[0], st[0], x, ro[1][r] + s * st[1], st[1],
                y, ro[2][r] + s * st[2], st[2], o, ro[3][r] + s, e - s));
        return out;
    }

    @Override
    public Tensor sum(Tensor x, int[] dims) {
        return f32(x) && isBlock(dims) && dims.length > 0 ? reduce(x, dims, true) : super.sum(x, dims);
    }

    @Override
    public Tensor amax(Tensor x, int[] dims) {
        return f32(x) && isBlock(dims) && dims.length > 0 ? reduce(x, dims, false) : super.amax(x, dims);
    }

    private static boolean isBlock(int[] dims) {
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] != dims[i - 1] + 1) {
                return false;
            }
        }
        return true;
    }

    /** Sum or max over the consecutive dims, seen as [outer, R, inner]: rows when inner is 1, columns otherwise. */
    private Tensor reduce(Tensor x, int[] dims, boolean sum) {
        Tensor src = dense(x);
        int lo = dims[0];
        int hi = dims[dims.length - 1];
        int outer = 1;
        int r = 1;
        int inner = 1;
        int[] kept = x.shape().toArray();
        for (int d = 0; d < x.dim(); d++) {
            if (d < lo) {
                outer *= kept[d];
            } else if (d <= hi) {
                r *= kept[d];
                kept[d] = 1;
            } else {
                inner *= kept[d];
            }
        }
        if (r == 0) {
            return sum ? super.sum(x, dims) : super.amax(x, dims);
        }
        Tensor out = Tensors.zeros(Shape.of(kept), DType.FLOAT32);
        float[] in = src.storage().floats();
        float[] o = out.storage().floats();
        int off = src.offset();
        int rows = outer;
        int cols = r;
        if (inner == 1) {
            Parallel.forRange(rows, Math.max(1, GRAIN / cols), (s, e) -> {
                if (sum) {
                    ReduceF32.sumRows(in, off + s * cols, e - s, cols, o, s);
                } else {
                    ReduceF32.maxRows(in, off + s * cols, e - s, cols, o, s);
                }
            });
        } else if (sum && outer == 1) {
            // one [R, inner] matrix, as for a bias gradient: the threads split its columns
            ReduceF32.sumColumnsParallel(in, off, cols, inner, o, 0, false);
        } else {
            int block = r * inner;
            int in2 = inner;
            Parallel.forRange(outer, Math.max(1, GRAIN / block), (s, e) -> {
                for (int q = s; q < e; q++) {
                    if (sum) {
                        ReduceF32.sumColumns(in, off + q * block, cols, in2, o, q * in2, false);
                    } else {
                        ReduceF32.maxColumns(in, off + q * block, cols, in2, o, q * in2);
                    }
                }
            });
        }
        return out;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        if (!f32(a, b)) {
            return super.matmul(a, b);
        }
        int[] as = a.strides();
        int[] bs = b.strides();
        int m = a.size(-2);
        int k = a.size(-1);
        int n = b.size(-1);
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        if (a.dim() == 2) {
            Tensor out = Tensors.empty(Shape.of(m, n), DType.FLOAT32);
            MatmulF32.gemm(m, n, k, x, a.offset(), as[0], as[1], y, b.offset(), bs[0], bs[1], out.storage().floats(), 0, n, false);
            return out;
        }
        int batch = a.size(0);
        Tensor out = Tensors.empty(Shape.of(batch, m, n), DType.FLOAT32);
        MatmulF32.batched(batch, m, n, k, x, a.offset(), as[0], as[1], as[2], y, b.offset(), bs[0], bs[1], bs[2],
                out.storage().floats(), 0, m * n, n, false);
        return out;
    }

    /** The packed product writes (or adds) onto out's rows directly, with no temporary. */
    @Override
    public void matmulInto(Tensor out, Tensor a, Tensor b, boolean accumulate) {
        if (!f32(out, a, b) || out.stride(1) != 1 && out.size(1) > 1) {
            super.matmulInto(out, a, b, accumulate);
            return;
        }
        int[] as = a.strides();
        int[] bs = b.strides();
        MatmulF32.gemm(out.size(0), out.size(1), a.size(1), a.storage().floats(), a.offset(), as[0], as[1],
                b.storage().floats(), b.offset(), bs[0], bs[1], out.storage().floats(), out.offset(), out.stride(0), accumulate);
    }

    /** The bias is added in the matmul's micro-kernel ({@link MatmulF32#gemmPlusBias}), without a pass of its own over the output. */
    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linearKernelTakes(x, weight, bias) ? linearThen(x, weight, bias, null) : super.linear(x, weight, bias);
    }

    /**
     * The product of {@link #linear} with the GELU of {@link #geluWithDerivative} as its epilogue: each block of the
     * product goes through GELU on the thread that computed it, while it is in cache, and the product itself is never
     * a tensor. The same numbers as the two calls.
     */
    @Override
    public ActivationResult linearGeluWithDerivative(Tensor x, Tensor weight, Tensor bias) {
        if (!linearKernelTakes(x, weight, bias)) {
            return super.linearGeluWithDerivative(x, weight, bias);
        }
        Tensor derivative = Tensors.empty(Shape.of(x.size(0), weight.size(0)), DType.FLOAT32);
        float[] d = derivative.storage().floats();
        Tensor out = linearThen(x, weight, bias, (c, off, ldc, rows, cols) -> {
            for (int r = 0; r < rows; r++) {
                int at = off + r * ldc;
                if (Simd.ENABLED) GeluF32Vector.withDerivative(c, at, c, at, d, at, cols);
                else GeluF32Scalar.withDerivative(c, at, c, at, d, at, cols);
            }
        });
        return new ActivationResult(out, derivative);
    }

    /**
     * The product of {@link #linear} with the residual added to each block of it as its epilogue, on the thread
     * that computed the block, while it is in cache: the product is never a tensor of its own, and the sum is not
     * a second pass over memory. The same numbers as the two calls ({@code residual + y}, each element rounded once).
     */
    @Override
    public Tensor addLinear(Tensor residual, Tensor x, Tensor weight, Tensor bias) {
        if (!f32(residual) || !linearKernelTakes(x, weight, bias)) {
            return super.addLinear(residual, x, weight, bias);
        }
        Tensor res = dense(residual);
        float[] r = res.storage().floats();
        int rOff = res.offset();
        return linearThen(x, weight, bias, (c, off, ldc, rows, cols) -> {
            for (int i = 0; i < rows; i++) {
                int at = off + i * ldc;
                ElementwiseF32.binary(BinaryOp.ADD, r, rOff + at, 1, c, at, 1, c, at, cols);
            }
        });
    }

    /** Whether {@link #linearThen} takes these operands: float32, with a contiguous bias or none. */
    private static boolean linearKernelTakes(Tensor x, Tensor weight, Tensor bias) {
        return f32(x, weight) && (bias == null || f32(bias) && bias.isContiguous());
    }

    /** {@code x·Wᵀ (+ bias)} into a new [M, N] tensor, each finished block then through {@code epilogue} (null for none). */
    private static Tensor linearThen(Tensor x, Tensor weight, Tensor bias, MatmulF32.Epilogue epilogue) {
        int n = weight.size(0);
        Tensor out = Tensors.empty(Shape.of(x.size(0), n), DType.FLOAT32);
        int[] xs = x.strides();
        int[] ws = weight.strides();
        MatmulF32.gemmPlusBias(x.size(0), n, x.size(1), x.storage().floats(), x.offset(), xs[0], xs[1], weight.storage().floats(), weight.offset(),
                ws[1], ws[0], bias == null ? null : bias.storage().floats(), bias == null ? 0 : bias.offset(), out.storage().floats(), 0, n,
                epilogue);
        return out;
    }

    @Override
    public Tensor softmax(Tensor x, int dim) {
        return f32(x) && dim == x.dim() - 1 ? rows(x, null, false, false) : super.softmax(x, dim);
    }

    @Override
    public Tensor logSoftmax(Tensor x, int dim) {
        return f32(x) && dim == x.dim() - 1 ? rows(x, null, true, false) : super.logSoftmax(x, dim);
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor g, int dim) {
        return f32(y, g) && dim == y.dim() - 1 ? rows(y, g, false, true) : super.softmaxBackward(y, g, dim);
    }

    @Override
    public Tensor logSoftmaxBackward(Tensor y, Tensor g, int dim) {
        return f32(y, g) && dim == y.dim() - 1 ? rows(y, g, true, true) : super.logSoftmaxBackward(y, g, dim);
    }

    /** (log-)softmax or its backward along the last dimension, in parallel over rows. */
    private Tensor rows(Tensor x, Tensor g, boolean log, boolean backward) {
        Tensor xs = dense(x);
        Tensor gs = g == null ? null : dense(g);
        int cols = x.dim() == 0 ? 1 : x.size(-1);
        int rows = cols == 0 ? 0 : x.numel() / cols;
        Tensor out = Tensors.empty(x.shape(), DType.FLOAT32); // every row is written in full
        float[] in = xs.storage().floats();
        float[] gr = gs == null ? null : gs.storage().floats();
        float[] o = out.storage().floats();
        int xo = xs.offset();
        int go = gs == null ? 0 : gs.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (s, e) -> {
            int at = s * cols;
            if (!backward && !log) {
                SoftmaxF32.softmaxRows(in, xo + at, e - s, cols, o, at);
            } else if (!backward) {
                SoftmaxF32.logSoftmaxRows(in, xo + at, e - s, cols, o, at);
            } else if (!log) {
                SoftmaxF32.softmaxBackwardRows(in, xo + at, gr, go + at, e - s, cols, o, at);
            } else {
                SoftmaxF32.logSoftmaxBackwardRows(in, xo + at, gr, go + at, e - s, cols, o, at);
            }
        });
        return out;
    }

    @Override
    public Tensor copy(Tensor x, DType dtype) {
        if (!f32(x) || dtype != DType.FLOAT32) {
            return super.copy(x, dtype);
        }
        Tensor out = Tensors.empty(x.shape(), DType.FLOAT32);
        copyInto(out, x);
        return out;
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        if (!f32(dst, src)) {
            super.copyInto(dst, src);
            return;
        }
        if (dst.numel() == 0) {
            // nothing to copy; the row layout is not built for empty shapes (it read past a float[0] once)
            return;
        }
        Shape shape = dst.shape();
        Layout l = Layout.of(shape, new int[][] {Strides.broadcast(src, shape), dst.strides()}, new int[] {src.offset(), dst.offset()});
        float[] s = src.storage().floats();
        float[] d = dst.storage().floats();
        int ss = l.innerStrides()[0];
        int ds = l.innerStrides()[1];
        forRows(l, (r, a, e) -> {
            int so = l.rowOffsets()[0][r] + a * ss;
            int dOff = l.rowOffsets()[1][r] + a * ds;
            int n = e - a;
            if (ss == 1 && ds == 1) {
                System.arraycopy(s, so, d, dOff, n);
            } else if (ss == 0 && ds == 1) {
                // a fill (zeroGrad(false), fillInPlace): the strided loop ran at a third of this speed
                java.util.Arrays.fill(d, dOff, dOff + n, s[so]);
            } else {
                for (int i = 0; i < n; i++) {
                    d[dOff + i * ds] = s[so + i * ss];
                }
            }
        });
    }

    @Override
    public Tensor full(Shape shape, DType dtype, double value) {
        if (dtype != DType.FLOAT32) {
            return super.full(shape, dtype, value);
        }
        Tensor out = Tensors.zeros(shape, dtype);
        java.util.Arrays.fill(out.storage().floats(), (float) value);
        return out;
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvGeometry g) {
        if (!f32(x, weight) || bias != null && !f32(bias)) {
            return super.conv2d(x, weight, bias, g);
        }
        ConvF32.Dims d = new ConvF32.Dims(x.size(0), x.size(1), x.size(2), x.size(3), weight.size(0), weight.size(2), weight.size(3),
                g.outputHeight(x.size(2), weight.size(2)), g.outputWidth(x.size(3), weight.size(3)), g);
        Tensor out = Tensors.zeros(Shape.of(d.n(), d.o(), d.ho(), d.wo()), DType.FLOAT32);
        Tensor xs = dense(x);
        Tensor ws = dense(weight);
        Tensor bs = bias == null ? null : dense(bias);
        ConvF32.forward(d, xs.storage().floats(), xs.offset(), ws.storage().floats(), ws.offset(),
                bs == null ? null : bs.storage().floats(), bs == null ? 0 : bs.offset(), out.storage().floats());
        return out;
    }

    @Override
    public Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvGeometry g, int outH, int outW) {
        if (!f32(x, weight) || bias != null && !f32(bias)) {
            return super.convTranspose2d(x, weight, bias, g, outH, outW);
        }
        // the conv2d this transposes maps [N, outC, outH, outW] to x's [N, C, H, W]
        int outC = weight.size(1) * g.groups();
        ConvF32.Dims d = new ConvF32.Dims(x.size(0), outC, outH, outW, x.size(1), weight.size(2), weight.size(3), x.size(2), x.size(3), g);
        Tensor out = Tensors.zeros(Shape.of(d.n(), outC, outH, outW), DType.FLOAT32);
        Tensor xs = dense(x);
        Tensor ws = dense(weight);
        float[] o = out.storage().floats();
        ConvF32.transposed(d, xs.storage().floats(), xs.offset(), ws.storage().floats(), ws.offset(), o);
        if (bias != null) {
            Tensor bs = dense(bias);
            float[] b = bs.storage().floats();
            int plane = outH * outW;
            Parallel.forRange(d.n() * outC, Math.max(1, GRAIN / Math.max(1, plane)), (s, e) -> {
                for (int r = s; r < e; r++) {
                    ConvF32.addScalar(o, r * plane, plane, b[bs.offset() + r % outC]);
                }
            });
        }
        return out;
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor x, Tensor gradOutput, int kernelH, int kernelW, ConvGeometry g) {
        if (!f32(x, gradOutput)) {
            return super.conv2dWeightGrad(x, gradOutput, kernelH, kernelW, g);
        }
        ConvF32.Dims d = new ConvF32.Dims(x.size(0), x.size(1), x.size(2), x.size(3), gradOutput.size(1), kernelH, kernelW,
                gradOutput.size(2), gradOutput.size(3), g);
        Tensor out = Tensors.zeros(Shape.of(d.o(), d.c() / g.groups(), kernelH, kernelW), DType.FLOAT32);
        Tensor xs = dense(x);
        Tensor gs = dense(gradOutput);
        ConvF32.weightGrad(d, xs.storage().floats(), xs.offset(), gs.storage().floats(), gs.offset(), out.storage().floats());
        return out;
    }

    @Override
    public AttentionResult attention(Tensor q, Tensor k, Tensor v, AttentionConfig config) {
        return AttentionF32.accepts(q, k, v, config) ? AttentionF32.forward(q, k, v, config) : super.attention(q, k, v, config);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor output, Tensor logSumExp, Tensor g, AttentionConfig config,
                                  Tensor dq, Tensor dk, Tensor dv) {
        if (AttentionF32.accepts(q, k, v, config) && f32(output, g) && AttentionF32.writable(dq, dk, dv)) {
            AttentionF32.backward(q, k, v, output, logSumExp, g, config, dq, dk, dv);
        } else {
            super.attentionBackward(q, k, v, output, logSumExp, g, config, dq, dk, dv);
        }
    }

    @Override
    public NormResult layerNorm(Tensor x, Tensor weight, Tensor bias, int normalizedDims, double eps) {
        return f32(x) && (weight == null || f32(weight, bias)) ? LayerNormF32.forward(x, weight, bias, normalizedDims, eps)
                : super.layerNorm(x, weight, bias, normalizedDims, eps);
    }

    @Override
    public Tensor[] layerNormBackward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor g, int normalizedDims, boolean affineGrads) {
        return f32(x, mean, rstd, g) && (weight == null || f32(weight))
                ? LayerNormF32.backward(x, weight, mean, rstd, g, normalizedDims, affineGrads)
                : super.layerNormBackward(x, weight, mean, rstd, g, normalizedDims, affineGrads);
    }

    @Override
    public Tensor reluBackward(Tensor x, Tensor g) {
        return f32(x, g) && x.shape().equals(g.shape()) ? pointwiseGradient(x, g, ElementwiseF32::reluBackward) : super.reluBackward(x, g);
    }

    @Override
    public ActivationResult geluWithDerivative(Tensor x) {
        if (!f32(x)) {
            return super.geluWithDerivative(x);
        }
        Tensor src = dense(x);
        Tensor out = Tensors.empty(x.shape(), DType.FLOAT32);
        Tensor derivative = Tensors.empty(x.shape(), DType.FLOAT32);
        float[] in = src.storage().floats();
        float[] o = out.storage().floats();
        float[] d = derivative.storage().floats();
        int off = src.offset();
        Parallel.forRange(x.numel(), GRAIN, (s, e) -> {
            if (Simd.ENABLED) GeluF32Vector.withDerivative(in, off + s, o, s, d, s, e - s);
            else GeluF32Scalar.withDerivative(in, off + s, o, s, d, s, e - s);
        });
        return new ActivationResult(out, derivative);
    }

    @Override
    public Tensor reluBackwardInPlace(Tensor x, Tensor g) {
        return f32(x, g) && x.shape().equals(g.shape()) && g.isContiguous() ? pointwiseGradientInto(x, g, ElementwiseF32::reluBackward, g)
                : super.reluBackwardInPlace(x, g);
    }

    /** A kernel {@code out[i] = f(x[i], g[i])} over {@code n} elements. */
    private interface PointwiseGradientKernel {
        void run(float[] x, int xOff, float[] g, int gOff, float[] out, int outOff, int n);
    }

    /** An activation's input gradient from its input x and output gradient g (float32, one shape), in parallel chunks. */
    private Tensor pointwiseGradient(Tensor x, Tensor g, PointwiseGradientKernel kernel) {
        return pointwiseGradientInto(x, g, kernel, Tensors.empty(x.shape(), DType.FLOAT32));
    }

    /**
     * {@link #pointwiseGradient} into {@code out}, contiguous, which may be g itself: each kernel reads an element of
     * g before it writes that element of out.
     */
    private Tensor pointwiseGradientInto(Tensor x, Tensor g, PointwiseGradientKernel kernel, Tensor out) {
        Tensor xs = dense(x);
        Tensor gs = dense(g);
        float[] xa = xs.storage().floats();
        float[] ga = gs.storage().floats();
        float[] o = out.storage().floats();
        int xo = xs.offset();
        int go = gs.offset();
        int oo = out.offset();
        Parallel.forRange(x.numel(), GRAIN, (s, e) -> kernel.run(xa, xo + s, ga, go + s, o, oo + s, e - s));
        return out;
    }

    // ---- pooling and batch normalization (float32 kernels in SpatialF32) ----

    @Override
    public Tensor[] maxPool2d(Tensor x, PoolAxis h, PoolAxis w) {
        return f32(x) ? SpatialF32.maxPool2d(dense(x), h, w) : super.maxPool2d(x, h, w);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor g, Tensor indices, Shape inputShape) {
        return f32(g) && indices.isContiguous() ? SpatialF32.maxPool2dBackward(dense(g), indices, inputShape)
                : super.maxPool2dBackward(g, indices, inputShape);
    }

    @Override
    public Tensor avgPool2d(Tensor x, PoolAxis h, PoolAxis w, double[] divisor) {
        return f32(x) ? SpatialF32.avgPool2d(dense(x), h, w, divisor) : super.avgPool2d(x, h, w, divisor);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor g, PoolAxis h, PoolAxis w, double[] divisor, Shape inputShape) {
        return f32(g) ? SpatialF32.avgPool2dBackward(dense(g), h, w, divisor, inputShape) : super.avgPool2dBackward(g, h, w, divisor, inputShape);
    }

    @Override
    public Tensor[] batchNormStats(Tensor x) {
        return f32(x) ? SpatialF32.batchNormStats(dense(x)) : super.batchNormStats(x);
    }

    @Override
    public Tensor batchNormForward(Tensor x, Tensor mean, Tensor invStd, Tensor weight, Tensor bias) {
        return f32(x, mean, invStd) ? SpatialF32.batchNormForward(dense(x), mean, invStd, weight, bias)
                : super.batchNormForward(x, mean, invStd, weight, bias);
    }

    @Override
    public Tensor[] batchNormBackward(Tensor g, Tensor x, Tensor mean, Tensor invStd, Tensor weight, boolean batchStats) {
        return f32(g, x, mean, invStd) ? SpatialF32.batchNormBackward(dense(g), dense(x), mean, invStd, weight, batchStats)
                : super.batchNormBackward(g, x, mean, invStd, weight, batchStats);
    }

    @Override
    public Tensor lstmCell(Tensor gates, Tensor c) {
        return f32(gates, c) ? RecurrentF32.lstmCell(dense(gates), dense(c)) : super.lstmCell(gates, c);
    }

    @Override
    public Tensor[] lstmCellBackward(Tensor gates, Tensor c, Tensor hc, Tensor g) {
        return f32(gates, c, hc, g) ? RecurrentF32.lstmCellBackward(dense(gates), dense(c), dense(hc), dense(g))
                : super.lstmCellBackward(gates, c, hc, g);
    }

    @Override
    public Tensor gruCell(Tensor xg, Tensor hg, Tensor h) {
        return f32(xg, hg, h) ? RecurrentF32.gruCell(dense(xg), dense(hg), dense(h)) : super.gruCell(xg, hg, h);
    }

    @Override
    public Tensor[] gruCellBackward(Tensor xg, Tensor hg, Tensor h, Tensor g) {
        return f32(xg, hg, h, g) ? RecurrentF32.gruCellBackward(dense(xg), dense(hg), dense(h), dense(g))
                : super.gruCellBackward(xg, hg, h, g);
    }

    @Override
    public RecurrentStates recurrence(RecurrentMode mode, Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0,
                                      int[] lengths, boolean reverse) {
        boolean lstm = mode == RecurrentMode.LSTM;
        if (!f32(xg, wHh, bHh, h0) || lstm && !f32(c0)) {
            return super.recurrence(mode, xg, wHh, bHh, h0, c0, lengths, reverse);
        }
        // a batch-first input arrives as a [T, B, G·H] view of [B, T, G·H]: read in place when rows are unit-stride
        Tensor x = xg.size(2) <= 1 || xg.stride(2) == 1 ? xg : dense(xg);
        return RecurrentF32.recurrence(mode, x, dense(wHh), dense(bHh), dense(h0), lstm ? dense(c0) : null, lengths, reverse);
    }

    @Override
    public Tensor[] recurrenceBackward(RecurrentMode mode, Tensor g, Tensor wHh, Tensor h0, Tensor c0, Tensor states,
                                       Tensor saved, int[] lengths, boolean reverse) {
        boolean lstm = mode == RecurrentMode.LSTM;
        if (!f32(g, wHh, h0, states, saved) || lstm && !f32(c0)) {
            return super.recurrenceBackward(mode, g, wHh, h0, c0, states, saved, lengths, reverse);
        }
        // an RNN saves nothing: its [T, B, 0] activations need no copy
        return RecurrentF32.recurrenceBackward(mode, dense(g), dense(wHh), dense(h0), lstm ? dense(c0) : null, dense(states),
                saved.numel() == 0 ? saved : dense(saved), lengths, reverse);
    }

    @Override
    public Tensor gather(Tensor x, int dim, Tensor index) {
        return f32(x) && RowsF32.isRowIndex(x, dim, index) ? RowsF32.gather(x, index) : super.gather(x, dim, index);
    }

    @Override
    public Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean accumulate) {
        boolean rows = accumulate && f32(x, src) && RowsF32.isRowIndex(x, dim, index) && index.shape().equals(src.shape())
                && (src.size(1) <= 1 || src.stride(1) == 1);
        return rows ? RowsF32.scatterAdd(x, index, src) : super.scatter(x, dim, index, src, accumulate);
    }
}
