package fathom.backend;

import fathom.DType;

/**
 * The memory behind one or more tensors: a single Java array of the dtype's primitive type
 * ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]} or {@code boolean[]}), managed by
 * the garbage collector, so nobody frees a tensor by hand.
 *
 * <p>Views share a storage; its {@link #version()} counts in-place writes, which lets autograd
 * refuse a backward pass that would read a value overwritten since the forward pass.
 */
public final class Storage {
    private final DType dtype;
    private final Object array;
    private final int length;
    private int version;
    private boolean graphOnly;

    private Storage(DType dtype, Object array, int length) {
        this.dtype = dtype;
        this.array = array;
        this.length = length;
    }

    /** A zero-filled storage of {@code length} elements. */
    public static Storage allocate(DType dtype, int length) {
        Object array = switch (dtype) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case INT64 -> new long[length];
            case INT32 -> new int[length];
            case BOOL -> new boolean[length];
        };
        return new Storage(dtype, array, length);
    }

    private static volatile boolean recycling = !"false".equals(System.getProperty("fathom.recycle"));

    /**
     * A storage of {@code length} elements whose contents are undefined, for a result that will be written in full: a
     * float32 one may reuse an array that {@link #recycle} took back on this thread, else it is a fresh one.
     */
    public static Storage allocateUninitialized(DType dtype, int length) {
        if (recycling && dtype == DType.FLOAT32 && length >= RecycledArrays.MIN_LENGTH) {
            float[] a = RecycledArrays.mine().take(length);
            if (a != null) {
                return new Storage(dtype, a, length);
            }
        }
        return allocate(dtype, length);
    }

    /**
     * Hands s's array to later {@link #allocateUninitialized} calls on this thread ({@link RecycledArrays}). Only for a
     * storage that nothing will read or write again: autograd recycles its own intermediate gradients once the step
     * that consumed them has run, and a GELU's saved derivative once its backward has.
     */
    public static void recycle(Storage s) {
        if (recycling && s.dtype == DType.FLOAT32 && s.length >= RecycledArrays.MIN_LENGTH) {
            RecycledArrays.mine().give((float[]) s.array);
        }
    }

    /**
     * Turns the reuse of autograd's finished arrays on or off (on unless the JVM runs with {@code -Dfathom.recycle=false}),
     * for a suspected aliasing bug or a measurement; returns the previous setting. Turning it off drops what this
     * thread kept. Results are the same bits either way.
     */
    public static boolean setRecycling(boolean on) {
        boolean was = recycling;
        recycling = on;
        if (!on) {
            RecycledArrays.mine().clear();
        }
        return was;
    }

    /** A storage that uses {@code array} (a primitive array matching {@code dtype}) without copying. */
    public static Storage wrap(DType dtype, Object array) {
        int length = switch (dtype) {
            case FLOAT32 -> ((float[]) array).length;
            case FLOAT64 -> ((double[]) array).length;
            case INT64 -> ((long[]) array).length;
            case INT32 -> ((int[]) array).length;
            case BOOL -> ((boolean[]) array).length;
        };
        return new Storage(dtype, array, length);
    }

    public DType dtype() {
        return dtype;
    }

    public int length() {
        return length;
    }

    public float[] floats() {
        return (float[]) array;
    }

    public double[] doubles() {
        return (double[]) array;
    }

    public long[] longs() {
        return (long[]) array;
    }

    public int[] ints() {
        return (int[]) array;
    }

    public boolean[] booleans() {
        return (boolean[]) array;
    }

    /** Element {@code i} as a double (exact for floats, int32 and bool; int64 beyond 2^53 rounds). */
    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i];
            case FLOAT64 -> ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
        };
    }

    /** Element {@code i} as a long (floats truncate toward zero, as a cast does). */
    public long getLong(int i) {
        return switch (dtype) {
            case FLOAT32 -> (long) ((float[]) array)[i];
            case FLOAT64 -> (long) ((double[]) array)[i];
            case INT64 -> ((long[]) array)[i];
            case INT32 -> ((int[]) array)[i];
            case BOOL -> ((boolean[]) array)[i] ? 1 : 0;
        };
    }

    /** Stores {@code v} at {@code i}, rounding or truncating to the dtype (bool: non-zero is true). */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            case INT64 -> ((long[]) array)[i] = (long) v;
            case INT32 -> ((int[]) array)[i] = (int) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
        }
    }

    /** Stores {@code v} at {@code i}, converting to the dtype. */
    public void setLong(int i, long v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = v;
            case FLOAT64 -> ((double[]) array)[i] = v;
            case INT64 -> ((long[]) array)[i] = v;
            case INT32 -> ((int[]) array)[i] = (int) v;
            case BOOL -> ((boolean[]) array)[i] = v != 0;
        }
    }

    /** How many in-place writes this storage has seen. */
    public int version() {
        return version;
    }

    /** Records an in-place write. */
    public void bumpVersion() {
        version++;
    }

    /**
     * Marks this memory as read by nothing but the autograd graph that recorded the op writing it
     * ({@code Autograd.releaseAfterBackward}): backward then hands it to {@link #recycle} once that op's backward has run.
     */
    public void markGraphOnly() {
        graphOnly = true;
    }

    /** Whether {@link #markGraphOnly} marked this memory. */
    public boolean graphOnly() {
        return graphOnly;
    }
}
