package fathom.cpu;

import fathom.Shape;
import fathom.backend.Strides;
import java.util.ArrayList;
import java.util.List;

/**
 * Several operands read (or written) element by element over one shape, collapsed into rows: the
 * innermost run of dimensions that every operand walks with one constant stride, and the storage
 * offset where each row starts for each operand. Kernels then run once per row with stride 0 or 1.
 */
record Layout(int rows, int length, int[] innerStrides, int[][] rowOffsets) {
    /** The rows of {@code shape} for operands with these (broadcast) strides and base offsets. */
    static Layout of(Shape shape, int[][] strides, int[] offsets) {
        int ops = strides.length;
        int rank = shape.rank();
        List<int[]> groups = new ArrayList<>(); // each: size, then one stride per operand
        int[] cur = null;
        for (int d = rank - 1; d >= 0; d--) {
            int size = shape.size(d);
            if (size == 1) {
                continue;
            }
            boolean extends_ = cur != null;
            for (int k = 0; extends_ && k < ops; k++) {
                extends_ = strides[k][d] == cur[1 + k] * cur[0];
            }
            if (extends_) {
                cur[0] *= size;
            } else {
                cur = new int[1 + ops];
                cur[0] = size;
                for (int k = 0; k < ops; k++) {
                    cur[1 + k] = strides[k][d];
                }
                groups.add(cur);
            }
        }
        if (groups.isEmpty()) {
            int[][] one = new int[ops][];
            for (int k = 0; k < ops; k++) {
                one[k] = new int[] {offsets[k]};
            }
            return new Layout(shape.numel() == 0 ? 0 : 1, 1, new int[ops], one);
        }
        int[] inner = groups.get(0);
        int outerRank = groups.size() - 1;
        int[] outerSizes = new int[outerRank];
        for (int i = 0; i < outerRank; i++) {
            outerSizes[i] = groups.get(outerRank - i)[0];
        }
        Shape outer = Shape.of(outerSizes);
        int[][] rowOffsets = new int[ops][];
        int[] innerStrides = new int[ops];
        for (int k = 0; k < ops; k++) {
            int[] os = new int[outerRank];
            for (int i = 0; i < outerRank; i++) {
                os[i] = groups.get(outerRank - i)[1 + k];
            }
            rowOffsets[k] = Strides.offsets(outer, os, offsets[k]);
            innerStrides[k] = inner[1 + k];
        }
        return new Layout(outer.numel(), inner[0], innerStrides, rowOffsets);
    }

    /** True when every operand's inner stride is 0 or 1, so row kernels apply. */
    boolean unitStrides() {
        for (int s : innerStrides) {
            if (s != 0 && s != 1) {
                return false;
            }
        }
        return true;
    }
}
