package fathom.data;

import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Storage;
import java.util.List;

/**
 * Batches by array copies: {@link #take} is {@code t.indexSelect(0, indices)} and {@link #stack} is
 * {@code Tensor.stack(tensors, 0)}, each one {@link System#arraycopy} per sample when the tensors are
 * contiguous (what a batch costs the loader), else the general op.
 */
final class Rows {
    private Rows() {}

    /** Rows {@code indices} of {@code t} (each checked to be in range), as a new contiguous tensor. */
    static Tensor take(Tensor t, int[] indices) {
        int n = t.size(0);
        for (int i : indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("row " + i + " is outside the " + n + " rows of a tensor of shape " + t.shape());
            }
        }
        int[] dims = t.shape().toArray();
        dims[0] = indices.length;
        Shape shape = Shape.of(dims);
        if (!t.isContiguous()) {
            long[] idx = new long[indices.length];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = indices[k];
            }
            return t.indexSelect(0, Tensors.of(idx));
        }
        int row = n == 0 ? 0 : t.numel() / n;
        Storage out = Storage.allocate(t.dtype(), indices.length * row);
        Object src = array(t.storage());
        Object dst = array(out);
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(src, t.offset() + indices[k] * row, dst, k * row, row);
        }
        return Tensors.asStrided(out, shape, shape.contiguousStrides(), 0);
    }

    /**
     * {@code Tensor.stack(tensors, 0)} for tensors of one shape and dtype: one array copy each when
     * they are contiguous, else the general stack.
     */
    static Tensor stack(List<Tensor> tensors) {
        Tensor first = tensors.get(0);
        for (Tensor t : tensors) {
            if (!t.isContiguous() || t.dtype() != first.dtype() || !t.shape().equals(first.shape())) {
                return Tensor.stack(tensors, 0);
            }
        }
        int row = first.numel();
        int[] dims = new int[first.dim() + 1];
        dims[0] = tensors.size();
        System.arraycopy(first.shape().toArray(), 0, dims, 1, first.dim());
        Shape shape = Shape.of(dims);
        Storage out = Storage.allocate(first.dtype(), tensors.size() * row);
        Object dst = array(out);
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            System.arraycopy(array(t.storage()), t.offset(), dst, k * row, row);
        }
        return Tensors.asStrided(out, shape, shape.contiguousStrides(), 0);
    }

    private static Object array(Storage s) {
        return switch (s.dtype()) {
            case FLOAT32 -> s.floats();
            case FLOAT64 -> s.doubles();
            case INT64 -> s.longs();
            case INT32 -> s.ints();
            case BOOL -> s.booleans();
        };
    }
}
