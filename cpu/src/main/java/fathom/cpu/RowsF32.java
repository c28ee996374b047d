package fathom.cpu;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;

/**
 * Gathers and scatter-adds of whole rows of a float32 matrix, the access pattern of an embedding lookup
 * ({@code indexSelect(x, 0, i)} gathers along dim 0 with the row index broadcast across the columns) and
 * of its gradient: one {@link System#arraycopy} or {@link ElementwiseF32#axpy} per row instead of an
 * offset table per element.
 */
final class RowsF32 {
    private RowsF32() {}

    /** Whether {@code index} picks whole rows of the 2-d x along dim 0: [N, D] with one index per row (stride 0 across it). */
    static boolean isRowIndex(Tensor x, int dim, Tensor index) {
        return dim == 0 && x.dim() == 2 && index.dim() == 2 && index.size(1) == x.size(1)
                && (x.size(1) <= 1 || index.stride(1) == 0 && x.stride(1) == 1);
    }

    /** out[i, :] = x[index[i, 0], :], [N, D]. */
    static Tensor gather(Tensor x, Tensor index) {
        int rows = index.size(0);
        int cols = x.size(1);
        Tensor out = Tensors.empty(index.shape(), DType.FLOAT32); // every row is copied in
        float[] xs = x.storage().floats();
        float[] o = out.storage().floats();
        int rs = x.stride(0);
        for (int i = 0; i < rows; i++) {
            int k = row(index, i, x.size(0));
            System.arraycopy(xs, x.offset() + k * rs, o, i * cols, cols);
        }
        return out;
    }

    /** A contiguous copy of x with src[i, :] added to row index[i, 0], for every i (repeats accumulate). */
    static Tensor scatterAdd(Tensor x, Tensor index, Tensor src) {
        int rows = index.size(0);
        int cols = x.size(1);
        Tensor out = Tensors.empty(x.shape(), DType.FLOAT32); // every row of x is copied in, then src added
        float[] o = out.storage().floats();
        float[] xs = x.storage().floats();
        int xrs = x.stride(0);
        for (int r = 0; r < x.size(0); r++) {
            System.arraycopy(xs, x.offset() + r * xrs, o, r * cols, cols);
        }
        float[] s = src.storage().floats();
        int ss = src.stride(0);
        for (int i = 0; i < rows; i++) {
            int k = row(index, i, x.size(0));
            ElementwiseF32.axpy(1f, s, src.offset() + i * ss, o, k * cols, cols);
        }
        return out;
    }

    private static int row(Tensor index, int i, int limit) {
        long k = index.storage().getLong(index.offset() + i * index.stride(0));
        if (k < 0 || k >= limit) {
            throw new IndexOutOfBoundsException("index " + k + " is out of bounds for dimension 0 with size " + limit);
        }
        return (int) k;
    }
}
