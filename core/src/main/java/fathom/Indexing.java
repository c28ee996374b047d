package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;

/** Index-driven ops: gather, scatter (with or without accumulation), indexSelect, oneHot, embedding. */
final class Indexing {
    private Indexing() {}

    private static void checkIndex(String op, Tensor index) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new DTypeException(op + ": the index must be int64 or int32, got " + index.dtype());
        }
    }

    private static void checkSameRank(String op, Tensor x, Tensor index, int dim) {
        if (index.dim() != x.dim()) {
            throw new ShapeException(op + ": index " + index.shape() + " must have the rank of the input " + x.shape());
        }
        for (int d = 0; d < x.dim(); d++) {
            if (d != dim && index.size(d) > x.size(d)) {
                throw new ShapeException(op + ": index " + index.shape() + " is larger than the input " + x.shape()
                        + " in dimension " + d);
            }
        }
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        checkIndex("gather", index);
        int d = Shape.normalizeDim(dim, x.dim());
        checkSameRank("gather", x, index, d);
        return Autograd.record(new Op.Gather(d), Backends.current().gather(x, d, index), x, index);
    }

    static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean accumulate) {
        String op = accumulate ? "scatterAdd" : "scatter";
        checkIndex(op, index);
        int d = Shape.normalizeDim(dim, x.dim());
        checkSameRank(op, x, index, d);
        for (int k = 0; k < index.dim(); k++) {
            if (index.size(k) > src.size(k)) {
                throw new ShapeException(op + ": index " + index.shape() + " is larger than src " + src.shape() + " in dimension " + k);
            }
        }
        src = src.to(x.dtype());
        return Autograd.record(new Op.Scatter(d, accumulate), Backends.current().scatter(x, d, index, src, accumulate), x, index, src);
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        checkIndex("indexSelect", index);
        if (index.dim() > 1) {
            throw new ShapeException("indexSelect: the index must be 1-d, got shape " + index.shape());
        }
        int d = Shape.normalizeDim(dim, x.dim());
        int[] lift = new int[x.dim()];
        java.util.Arrays.fill(lift, 1);
        lift[d] = index.numel();
        int[] target = x.shape().toArray();
        target[d] = index.numel();
        // gather wants an index of the output's shape: broadcast the 1-d index along the other dims (stride 0, no copy)
        Tensor full = index.reshape(lift).expand(target);
        return gather(x, d, full);
    }

    static Tensor oneHot(Tensor t, int numClasses) {
        checkIndex("oneHot", t);
        long[] v = t.toLongArray();
        int n = numClasses;
        if (n < 0) {
            for (long k : v) {
                n = (int) Math.max(n, k + 1);
            }
        }
        long[] out = new long[v.length * n];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= n) {
                throw new IndexOutOfBoundsException("oneHot: class " + v[i] + " at element " + i + " is outside [0, " + n + ")");
            }
            out[i * n + (int) v[i]] = 1;
        }
        int[] sizes = java.util.Arrays.copyOf(t.shape().toArray(), t.dim() + 1);
        sizes[t.dim()] = n;
        return Tensors.of(out, sizes);
    }

    static Tensor embedding(Tensor indices, Tensor weight) {
        checkIndex("embedding", indices);
        if (weight.dim() != 2) {
            throw new ShapeException("embedding: the weight must be 2-d [num_embeddings, dim], got " + weight.shape());
        }
        int[] sizes = java.util.Arrays.copyOf(indices.shape().toArray(), indices.dim() + 1);
        sizes[indices.dim()] = weight.size(1);
        return indexSelect(weight, 0, indices.reshape(-1)).reshape(sizes);
    }
}
