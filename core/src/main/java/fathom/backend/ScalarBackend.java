package fathom.backend;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The reference backend: every primitive as a plain loop over element offsets, computing floats in
 * float64 and integers in int64. It is slow on purpose-free code paths and exact enough to be the
 * yardstick that faster backends are compared with; they extend it and override what they speed up.
 */
public class ScalarBackend implements Backend {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = Tensors.zeros(x.shape(), x.dtype());
        Storage in = x.storage();
        Storage o = out.storage();
        int[] off = Strides.offsets(x, x.shape());
        if (x.dtype().isFloating()) {
            for (int i = 0; i < off.length; i++) {
                o.setDouble(i, op.apply(in.getDouble(off[i])));
            }
        } else {
            for (int i = 0; i < off.length; i++) {
                o.setLong(i, op.applyLong(in.getLong(off[i])));
            }
        }
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Shape shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        Tensor out = Tensors.zeros(shape, a.dtype());
        apply(op, a, b, out.storage(), identity(shape.numel()));
        return out;
    }

    @Override
    public void binaryInPlace(BinaryOp op, Tensor a, Tensor b) {
        apply(op, a, b, a.storage(), Strides.offsets(a, a.shape()));
    }

    private static void apply(BinaryOp op, Tensor a, Tensor b, Storage out, int[] outOff) {
        Shape shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        int[] ao = Strides.offsets(a, shape);
        int[] bo = Strides.offsets(b, shape);
        Storage as = a.storage();
        Storage bs = b.storage();
        if (a.dtype().isFloating()) {
            for (int i = 0; i < ao.length; i++) {
                out.setDouble(outOff[i], op.apply(as.getDouble(ao[i]), bs.getDouble(bo[i])));
            }
        } else {
            for (int i = 0; i < ao.length; i++) {
                out.setLong(outOff[i], op.applyLong(as.getLong(ao[i]), bs.getLong(bo[i])));
            }
        }
    }

    @Override
    public Tensor compare(CompareOp op, Tensor a, Tensor b) {
        Shape shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        Tensor out = Tensors.zeros(shape, DType.BOOL);
        boolean[] o = out.storage().booleans();
        int[] ao = Strides.offsets(a, shape);
        int[] bo = Strides.offsets(b, shape);
        Storage as = a.storage();
        Storage bs = b.storage();
        boolean floating = a.dtype().isFloating();
        for (int i = 0; i < o.length; i++) {
            o[i] = floating ? op.test(as.getDouble(ao[i]), bs.getDouble(bo[i])) : op.test(as.getLong(ao[i]), bs.getLong(bo[i]));
        }
        return out;
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        Shape shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = Tensors.zeros(shape, a.dtype());
        Storage o = out.storage();
        int[] co = Strides.offsets(cond, shape);
        int[] ao = Strides.offsets(a, shape);
        int[] bo = Strides.offsets(b, shape);
        boolean[] c = cond.storage().booleans();
        for (int i = 0; i < co.length; i++) {
            if (a.dtype().isFloating()) {
                o.setDouble(i, c[co[i]] ? a.storage().getDouble(ao[i]) : b.storage().getDouble(bo[i]));
            } else {
                o.setLong(i, c[co[i]] ? a.storage().getLong(ao[i]) : b.storage().getLong(bo[i]));
            }
        }
        return out;
    }

    /** The shape with {@code dims} set to 1, and for each element of x the index of its reduced slot. */
    private static int[] reducedSlots(Tensor x, int[] dims, int[] outSizes) {
        int[] zeroed = Shape.of(outSizes).contiguousStrides();
        for (int d : dims) {
            zeroed[d] = 0;
        }
        return Strides.offsets(x.shape(), zeroed, 0);
    }

    private static int[] keptSizes(Tensor x, int[] dims) {
        int[] sizes = x.shape().toArray();
        for (int d : dims) {
            sizes[d] = 1;
        }
        return sizes;
    }

    @Override
    public Tensor sum(Tensor x, int[] dims) {
        int[] sizes = keptSizes(x, dims);
        int[] slot = reducedSlots(x, dims, sizes);
        int[] off = Strides.offsets(x, x.shape());
        Storage in = x.storage();
        if (x.dtype().isFloating()) {
            Tensor out = Tensors.zeros(Shape.of(sizes), x.dtype());
            double[] acc = new double[out.numel()];
            for (int i = 0; i < off.length; i++) {
                acc[slot[i]] += in.getDouble(off[i]);
            }
            for (int i = 0; i < acc.length; i++) {
                out.storage().setDouble(i, acc[i]);
            }
            return out;
        }
        Tensor out = Tensors.zeros(Shape.of(sizes), DType.INT64);
        long[] acc = out.storage().longs();
        for (int i = 0; i < off.length; i++) {
            acc[slot[i]] += in.getLong(off[i]);
        }
        return out;
    }

    @Override
    public Tensor amax(Tensor x, int[] dims) {
        return extreme(x, dims, true);
    }

    @Override
    public Tensor amin(Tensor x, int[] dims) {
        return extreme(x, dims, false);
    }

    private static Tensor extreme(Tensor x, int[] dims, boolean max) {
        int[] sizes = keptSizes(x, dims);
        int[] slot = reducedSlots(x, dims, sizes);
        int[] off = Strides.offsets(x, x.shape());
        Tensor out = Tensors.zeros(Shape.of(sizes), x.dtype());
        double[] best = new double[out.numel()];
        java.util.Arrays.fill(best, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        boolean[] seen = new boolean[best.length];
        for (int i = 0; i < off.length; i++) {
            double v = x.storage().getDouble(off[i]);
            int s = slot[i];
            if (!seen[s] || !Double.isNaN(best[s]) && (Double.isNaN(v) || (max ? v > best[s] : v < best[s]))) {
                best[s] = v;
            }
            seen[s] = true;
        }
        for (int i = 0; i < best.length; i++) {
            out.storage().setDouble(i, best[i]);
        }
        return out;
    }

    @Override
    public Tensor prod(Tensor x, int dim) {
        int[] dims = {dim};
        int[] sizes = keptSizes(x, dims);
        int[] slot = reducedSlots(x, dims, sizes);
        int[] off = Strides.offsets(x, x.shape());
        Tensor out = Tensors.zeros(Shape.of(sizes), x.dtype().isFloating() ? x.dtype() : DType.INT64);
        double[] acc = new double[out.numel()];
        java.util.Arrays.fill(acc, 1);
        for (int i = 0; i < off.length; i++) {
            acc[slot[i]] *= x.storage().getDouble(off[i]);
        }
        for (int i = 0; i < acc.length; i++) {
            out.storage().setDouble(i, acc[i]);
        }
        return out;
    }

    @Override
    public Tensor argmax(Tensor x, int dim) {
        return argExtreme(x, dim, true);
    }

    @Override
    public Tensor argmin(Tensor x, int dim) {
        return argExtreme(x, dim, false);
    }

    private static Tensor argExtreme(Tensor x, int dim, boolean max) {
        int[] dims = {dim};
        int[] sizes = keptSizes(x, dims);
        int[] slot = reducedSlots(x, dims, sizes);
        int[] along = new int[x.dim()];
        along[dim] = 1;
        int[] coord = Strides.offsets(x.shape(), along, 0);
        int[] off = Strides.offsets(x, x.shape());
        Tensor out = Tensors.zeros(Shape.of(sizes), DType.INT64);
        long[] idx = out.storage().longs();
        double[] best = new double[idx.length];
        boolean[] seen = new boolean[idx.length];
        for (int i = 0; i < off.length; i++) {
            double v = x.storage().getDouble(off[i]);
            int s = slot[i];
            boolean better = !seen[s]
                    || !Double.isNaN(best[s]) && (Double.isNaN(v) || (max ? v > best[s] : v < best[s]));
            if (better) {
                best[s] = v;
                idx[s] = coord[i];
            }
            seen[s] = true;
        }
        return out;
    }

    @Override
    public Tensor cumsum(Tensor x, int dim) {
        DType dtype = x.dtype().isFloating() ? x.dtype() : DType.INT64;
        Tensor out = Tensors.zeros(x.shape(), dtype);
        int[] along = new int[x.dim()];
        along[dim] = 1;
        int[] coord = Strides.offsets(x.shape(), along, 0);
        int[] off = Strides.offsets(x, x.shape());
        int step = x.shape().contiguousStrides()[dim];
        Storage o = out.storage();
        for (int i = 0; i < off.length; i++) {
            if (dtype.isFloating()) {
                o.setDouble(i, x.storage().getDouble(off[i]) + (coord[i] > 0 ? o.getDouble(i - step) : 0));
            } else {
                o.setLong(i, x.storage().getLong(off[i]) + (coord[i] > 0 ? o.getLong(i - step) : 0));
            }
        }
        return out;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        boolean batched = a.dim() == 3;
        int batch = batched ? a.size(0) : 1;
        int m = a.size(-2);
        int k = a.size(-1);
        int n = b.size(-1);
        Shape shape = batched ? Shape.of(batch, m, n) : Shape.of(m, n);
        Tensor out = Tensors.zeros(shape, a.dtype());
        int[] as = a.strides();
        int[] bs = b.strides();
        int ab = batched ? as[0] : 0;
        int bb = batched ? bs[0] : 0;
        int r = as.length;
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage o = out.storage();
        int w = 0;
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += sa.getDouble(a.offset() + z * ab + i * as[r - 2] + p * as[r - 1])
                                * sb.getDouble(b.offset() + z * bb + p * bs[r - 2] + j * bs[r - 1]);
                    }
                    o.setDouble(w++, acc);
                }
            }
        }
        return out;
    }

    @Override
    public Tensor gather(Tensor x, int dim, Tensor index) {
        Tensor out = Tensors.zeros(index.shape(), x.dtype());
        int[] xs = x.strides().clone();
        int step = xs[dim];
        xs[dim] = 0;
        int[] base = Strides.offsets(index.shape(), xs, x.offset());
        int[] io = Strides.offsets(index, index.shape());
        int limit = x.size(dim);
        for (int i = 0; i < base.length; i++) {
            long k = checkedIndex(index.storage().getLong(io[i]), limit, dim);
            if (x.dtype().isFloating()) {
                out.storage().setDouble(i, x.storage().getDouble(base[i] + (int) k * step));
            } else {
                out.storage().setLong(i, x.storage().getLong(base[i] + (int) k * step));
            }
        }
        return out;
    }

    @Override
    public Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean accumulate) {
        Tensor out = copy(x, x.dtype());
        int[] os = out.strides().clone();
        int step = os[dim];
        os[dim] = 0;
        int[] base = Strides.offsets(index.shape(), os, 0);
        int[] io = Strides.offsets(index, index.shape());
        int[] so = Strides.offsets(index.shape(), src.strides(), src.offset());
        Storage o = out.storage();
        int limit = x.size(dim);
        for (int i = 0; i < base.length; i++) {
            int at = base[i] + (int) checkedIndex(index.storage().getLong(io[i]), limit, dim) * step;
            if (x.dtype().isFloating()) {
                double v = src.storage().getDouble(so[i]);
                o.setDouble(at, accumulate ? o.getDouble(at) + v : v);
            } else {
                long v = src.storage().getLong(so[i]);
                o.setLong(at, accumulate ? o.getLong(at) + v : v);
            }
        }
        return out;
    }

    /** The index itself, or an {@link IndexOutOfBoundsException} naming it, the dimension and its size. */
    protected static long checkedIndex(long k, int limit, int dim) {
        if (k < 0 || k >= limit) {
            throw new IndexOutOfBoundsException("index " + k + " is out of bounds for dimension " + dim + " with size " + limit);
        }
        return k;
    }

    @Override
    public Tensor copy(Tensor x, DType dtype) {
        Tensor out = Tensors.zeros(x.shape(), dtype);
        copyInto(out, x);
        return out;
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        int[] d = Strides.offsets(dst, dst.shape());
        int[] s = Strides.offsets(src, dst.shape());
        Storage so = src.storage();
        Storage o = dst.storage();
        boolean viaDouble = src.dtype().isFloating() || dst.dtype().isFloating();
        for (int i = 0; i < d.length; i++) {
            if (viaDouble) {
                o.setDouble(d[i], so.getDouble(s[i]));
            } else {
                o.setLong(d[i], so.getLong(s[i]));
            }
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
