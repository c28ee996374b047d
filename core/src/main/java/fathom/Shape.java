package fathom;

import java.util.Arrays;

/**
 * The sizes of a tensor's dimensions, outermost first; {@code []} is a scalar (one element).
 *
 * <p>Fathom stores a tensor's elements in one Java array, so a shape may hold at most
 * {@link #MAX_ELEMENTS} elements; a larger one is refused with a {@link ShapeException} that names
 * it, rather than overflowing an index somewhere later.
 */
public final class Shape {
    /** The most elements one tensor can hold: the largest Java array the JVM reliably allocates. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final Shape SCALAR = new Shape(new int[0], 1);

    private final int[] dims;
    private final int numel;

    private Shape(int[] dims, int numel) {
        this.dims = dims;
        this.numel = numel;
    }

    /** A shape with these sizes; each must be ≥ 0 and their product at most {@link #MAX_ELEMENTS}. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        long n = 1;
        boolean tooMany = false;
        boolean empty = false;
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("negative dimension in shape " + Arrays.toString(dims));
            }
            empty |= d == 0;
            n *= d;
            if (n > MAX_ELEMENTS) {
                tooMany = true;
                n = 1;
            }
        }
        if (empty) {
            return new Shape(dims.clone(), 0);
        }
        if (tooMany) {
            throw new ShapeException("shape " + Arrays.toString(dims) + " has more than " + MAX_ELEMENTS
                    + " elements (2^31 - 9): Fathom keeps a tensor in one Java array, which cannot hold more");
        }
        return new Shape(dims.clone(), (int) n);
    }

    /** The scalar shape {@code []}. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code d}; negative {@code d} counts from the end. */
    public int size(int d) {
        return dims[index(d)];
    }

    /** The index in {@code [0, rank)} of dimension {@code d} (negative counts from the end); a 0-d shape has none. */
    public int index(int d) {
        if (dims.length == 0) {
            throw new ShapeException("dimension " + d + " is out of range for a 0-d tensor, which has no dimensions");
        }
        return normalizeDim(d, dims.length);
    }

    /** Product of the sizes. */
    public int numel() {
        return numel;
    }

    /** A copy of the sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** The sizes without copying; callers must not modify the array. */
    int[] dims() {
        return dims;
    }

    /** Row-major (C-order) strides for this shape. */
    public int[] contiguousStrides() {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(dims[i], 1);
        }
        return strides;
    }

    /** {@code d} in {@code [-rank, rank)} mapped to {@code [0, rank)}, or an error naming both. */
    public static int normalizeDim(int d, int rank) {
        int r = Math.max(rank, 1);
        if (d < -r || d >= r) {
            throw new ShapeException("dimension " + d + " is out of range for a tensor of rank " + rank);
        }
        return d < 0 ? d + r : d;
    }

    /** The shape both operands of a broadcasting op take, by NumPy's rules, or an error naming the op and both shapes. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + a + " and " + b + " cannot be broadcast together (dimension "
                        + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** As PyTorch prints a size: {@code [2, 3]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
