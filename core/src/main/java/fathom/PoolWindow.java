package fathom;

import java.util.Arrays;

/**
 * The sliding windows of a pooling op, as PyTorch's arguments: {@code kernel}, {@code stride},
 * {@code padding} and {@code dilation} per spatial dimension, and {@code ceilMode}. Each array holds
 * one value (used for every spatial dimension, as PyTorch's int arguments) or one per dimension (its
 * tuples); a null or empty {@code stride} means "equal to the kernel", PyTorch's {@code stride=None}.
 *
 * <p>Along a dimension of size n the output has {@code ⌊(n + 2·padding − dilation·(kernel − 1) − 1) /
 * stride⌋ + 1} positions, rounded up instead of down with {@code ceilMode} (where a last window that
 * would start in the right padding is dropped). Padding counts as −∞ for max pooling and as zeros (or
 * not at all) for average pooling; it may be at most half the kernel, as in PyTorch.
 */
public record PoolWindow(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    public PoolWindow {
        kernel = checked("kernel", kernel, 1);
        stride = stride == null || stride.length == 0 ? kernel.clone() : checked("stride", stride, 1);
        padding = checked("padding", padding, 0);
        dilation = checked("dilation", dilation, 1);
        int dims = Math.max(Math.max(kernel.length, stride.length), Math.max(padding.length, dilation.length));
        for (int d = 0; d < dims; d++) {
            int k = at(kernel, d);
            int p = at(padding, d);
            if (p > k / 2) {
                throw new IllegalArgumentException("pad should be at most half of kernel size, but got pad=" + p + " and kernel_size=" + k);
            }
        }
    }

    /** A square window of {@code kernel} with stride equal to the kernel, no padding, no dilation (PyTorch's {@code MaxPool2d(kernel)}). */
    public static PoolWindow of(int kernel) {
        return new PoolWindow(new int[] {kernel}, null, new int[] {0}, new int[] {1}, false);
    }

    /** A square window with the given stride and padding, no dilation, floor mode. */
    public static PoolWindow of(int kernel, int stride, int padding) {
        return new PoolWindow(new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    private static int[] checked(String name, int[] v, int min) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException("PoolWindow: " + name + " needs one value or one per spatial dimension (two), got "
                    + Arrays.toString(v));
        }
        for (int x : v) {
            if (x < min) {
                throw new IllegalArgumentException("PoolWindow: " + name + " must be at least " + min + ", got " + Arrays.toString(v));
            }
        }
        return v.clone();
    }

    private static int at(int[] v, int d) {
        return v.length == 1 ? v[0] : v[d];
    }

    /** The kernel size along spatial dimension {@code d} (0 = height, 1 = width; a single value applies to both). */
    public int kernel(int d) {
        return at(kernel, d);
    }

    public int stride(int d) {
        return at(stride, d);
    }

    public int padding(int d) {
        return at(padding, d);
    }

    public int dilation(int d) {
        return at(dilation, d);
    }

    /** The most spatial dimensions the arguments describe: 2 when any array has two values, else 1. */
    public int dims() {
        return Math.max(Math.max(kernel.length, stride.length), Math.max(padding.length, dilation.length));
    }

    /** The number of window positions along spatial dimension {@code d} of an input of {@code size} (PyTorch's pooling_output_shape). */
    public int outputSize(int size, int d) {
        int k = kernel(d);
        int s = stride(d);
        int p = padding(d);
        long span = (long) dilation(d) * (k - 1) + 1;
        long out = Math.floorDiv(size + 2L * p - span + (ceilMode ? s - 1 : 0), s) + 1;
        if (ceilMode && (out - 1) * s >= size + p) {
            out--; // the last window would start in the right padding
        }
        return (int) out;
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolWindow w && ceilMode == w.ceilMode && Arrays.equals(kernel, w.kernel) && Arrays.equals(stride, w.stride)
                && Arrays.equals(padding, w.padding) && Arrays.equals(dilation, w.dilation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(kernel), Arrays.hashCode(stride), Arrays.hashCode(padding),
            Arrays.hashCode(dilation), ceilMode ? 1 : 0});
    }

    /** As PyTorch's arguments read: {@code kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False}. */
    @Override
    public String toString() {
        return "kernel_size=" + tuple(kernel) + ", stride=" + tuple(stride) + ", padding=" + tuple(padding) + ", dilation="
                + tuple(dilation) + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }

    /** One value as Python prints an int, two as it prints a tuple. */
    static String tuple(int[] v) {
        return v.length == 1 ? Integer.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")";
    }
}
