package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;
import java.util.Arrays;

/** Reductions over dimensions (sum, mean, var, max, prod, norm, logSumExp), cumsum and softmax. */
final class Reductions {
    private Reductions() {}

    /** {@code dims} normalized, sorted and checked for repeats; null means every dimension. */
    static int[] dims(Tensor x, int[] dims) {
        int rank = x.dim();
        if (dims == null) {
            int[] all = new int[rank];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = Shape.normalizeDim(dims[i], rank);
        }
        Arrays.sort(d);
        for (int i = 1; i < d.length; i++) {
            if (d[i] == d[i - 1]) {
                throw new ShapeException("dimension " + d[i] + " appears twice in " + Arrays.toString(dims));
            }
        }
        return rank == 0 ? new int[0] : d;
    }

    /** The kept-dims result of a reduction, with the reduced dims removed unless keepDim. */
    static Tensor finish(Tensor kept, int[] d, boolean keepDim) {
        if (keepDim) {
            return kept;
        }
        int[] sizes = new int[kept.dim() - d.length];
        for (int i = 0, j = 0, k = 0; i < kept.dim(); i++) {
            if (k < d.length && d[k] == i) {
                k++;
            } else {
                sizes[j++] = kept.size(i);
            }
        }
        return kept.reshape(sizes);
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        int[] d = dims(x, dims);
        Tensor kept = Backends.current().sum(x, d);
        if (x.dtype().isFloating()) {
            Autograd.record(new Op.Sum(d), kept, x);
        }
        return finish(kept, d, keepDim);
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        if (!x.dtype().isFloating()) {
            throw new DTypeException("mean needs a floating tensor, got " + x.dtype() + "; convert with to(DType.FLOAT32)");
        }
        return sum(x, dims, keepDim).div(count(x, dims(x, dims)));
    }

    private static int count(Tensor x, int[] d) {
        int n = 1;
        for (int i : d) {
            n *= x.size(i);
        }
        return n;
    }

    static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        int[] d = dims(x, dims);
        Tensor centered = x.sub(mean(x, d, true));
        return sum(centered.square(), d, keepDim).div(Math.max(0, count(x, d) - correction));
    }

    static Tensor amax(Tensor x, int[] dims, boolean keepDim) {
        int[] d = dims(x, dims);
        for (int i : d) {
            if (x.size(i) == 0) {
                throw new ShapeException("max of an empty dimension " + i + " of shape " + x.shape());
            }
        }
        Tensor kept = Backends.current().amax(x, d);
        if (x.dtype().isFloating()) {
            Autograd.record(new Op.Amax(d), kept, x);
        }
        return finish(kept, d, keepDim);
    }

    static ValuesAndIndices maxAlong(Tensor x, int dim, boolean keepDim, boolean max) {
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return new ValuesAndIndices(x, Tensors.scalar(0, DType.INT64));
        }
        Tensor idx = max ? Backends.current().argmax(x, d) : Backends.current().argmin(x, d);
        Tensor values = x.gather(d, idx);
        int[] ds = {d};
        return new ValuesAndIndices(finish(values, ds, keepDim), finish(idx, ds, keepDim));
    }

    static Tensor argExtreme(Tensor x, Integer dim, boolean keepDim, boolean max) {
        if (dim == null) {
            Tensor flat = x.detach().reshape(-1);
            Tensor i = max ? Backends.current().argmax(flat, 0) : Backends.current().argmin(flat, 0);
            return i.reshape();
        }
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return Tensors.scalar(0, DType.INT64);
        }
        Tensor i = max ? Backends.current().argmax(x, d) : Backends.current().argmin(x, d);
        return finish(i, new int[] {d}, keepDim);
    }

    /** m + log Σ exp(x − m) with m the (detached) maximum, so exp never overflows; an infinite m counts as 0. */
    static Tensor logSumExp(Tensor x, int[] dims, boolean keepDim) {
        int[] d = dims(x, dims);
        Tensor m = amax(x.detach(), d, true);
        m = Tensor.where(m.isFinite(), m, Elementwise.scalarLike(m, 0));
        Tensor r = sum(x.sub(m).exp(), d, true).log().add(m);
        return finish(r, d, keepDim);
    }

    static Tensor prod(Tensor x, int dim, boolean keepDim) {
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return x;
        }
        Tensor kept = Backends.current().prod(x, d);
        if (x.dtype().isFloating()) {
            Autograd.record(new Op.Prod(d), kept, x);
        }
        return finish(kept, new int[] {d}, keepDim);
    }

    static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
        if (p == 2) {
            return sum(x.square(), dims, keepDim).sqrt();
        }
        if (p == 1) {
            return sum(x.abs(), dims, keepDim);
        }
        if (p == Double.POSITIVE_INFINITY) {
            return amax(x.abs(), dims, keepDim);
        }
        if (!(p > 0)) {
            throw new IllegalArgumentException("norm: p must be positive or infinity, got " + p);
        }
        return sum(x.abs().pow(p), dims, keepDim).pow(1 / p);
    }

    static Tensor cumsum(Tensor x, int dim) {
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() == 0) {
            return x.clone();
        }
        Tensor out = Backends.current().cumsum(x, d);
        return x.dtype().isFloating() ? Autograd.record(new Op.Cumsum(d), out, x) : out;
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        if (!x.dtype().isFloating()) {
            x = x.to(DType.FLOAT32);
        }
        if (x.dim() == 0) {
            return log ? x.mul(0) : x.mul(0).add(1);
        }
        int d = Shape.normalizeDim(dim, x.dim());
        if (log) {
            return Autograd.record(new Op.LogSoftmax(d), Backends.current().logSoftmax(x, d), x);
        }
        return Autograd.record(new Op.Softmax(d), Backends.current().softmax(x, d), x);
    }
}
