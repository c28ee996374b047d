package fathom.data;

import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Storage;

/**
 * {@code t.indexSelect(0, indices)} for a tensor of samples [N, ...]: on a contiguous tensor one
 * {@link System#arraycopy} per row, which is what a batch of a {@link TensorDataset} costs; other
 * layouts take the general {@code indexSelect}.
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
