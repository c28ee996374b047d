package fathom.backend;

import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;

/** Stride arithmetic shared by backends: broadcasting a view to a shape and listing element offsets. */
public final class Strides {
    private Strides() {}

    /** The strides that read {@code t} as if expanded to {@code shape}: 0 along broadcast dimensions. */
    public static int[] broadcast(Tensor t, Shape shape) {
        int rank = shape.rank();
        int lead = rank - t.dim();
        int[] ts = t.strides();
        int[] out = new int[rank];
        for (int i = lead; i < rank; i++) {
            out[i] = t.size(i - lead) == 1 && shape.size(i) != 1 ? 0 : ts[i - lead];
        }
        return out;
    }

    /** The storage offset of every element of a {@code shape} view with these strides, in row-major order. */
    public static int[] offsets(Shape shape, int[] strides, int offset) {
        int n = shape.numel();
        int rank = shape.rank();
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int[] sizes = shape.toArray();
        int[] idx = new int[rank];
        int off = offset;
        for (int i = 0; i < n; i++) {
            out[i] = off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < sizes[d]) {
                    off += strides[d];
                    break;
                }
                idx[d] = 0;
                off -= strides[d] * (sizes[d] - 1);
            }
        }
        return out;
    }

    /** The storage offsets of {@code t}'s elements read as {@code shape} (broadcasting), in row-major order. */
    public static int[] offsets(Tensor t, Shape shape) {
        return offsets(shape, broadcast(t, shape), t.offset());
    }
}
