package fathom.backend;

import java.util.Arrays;

/**
 * The pooling windows along one spatial axis: output position {@code o} reads the input positions
 * {@code first[o] + i·step} for {@code 0 ≤ i < taps[o]}, all inside {@code [0, size)} (taps that fall in
 * the padding are already dropped, so {@code taps[o]} may be smaller than the kernel, or 0).
 *
 * <p>{@link #sliding} describes PyTorch's {@code max_pool}/{@code avg_pool} windows (kernel, stride,
 * padding, dilation), {@link #adaptive} those of {@code adaptive_*_pool} ({@code start = ⌊o·size/out⌋},
 * {@code end = ⌈(o+1)·size/out⌉}). A 2-d pooling op takes one axis for the height and one for the width.
 *
 * @param size the input size along this axis
 * @param first for each output position, the first input position read
 * @param taps for each output position, how many input positions are read
 * @param step the distance between two taps (the dilation; 1 for adaptive and average pooling)
 */
public record PoolAxis(int size, int[] first, int[] taps, int step) {
    public PoolAxis {
        if (first.length != taps.length || step < 1) {
            throw new IllegalArgumentException("PoolAxis: " + first.length + " starts, " + taps.length + " tap counts, step " + step);
        }
        for (int o = 0; o < first.length; o++) {
            if (taps[o] < 0 || taps[o] > 0 && (first[o] < 0 || first[o] + (long) (taps[o] - 1) * step >= size)) {
                throw new IllegalArgumentException("PoolAxis: window " + o + " (first " + first[o] + ", " + taps[o] + " taps, step "
                        + step + ") reaches outside [0, " + size + ")");
            }
        }
    }

    /** The number of output positions. */
    public int outSize() {
        return first.length;
    }

    /** The largest tap count of any window. */
    public int maxTaps() {
        return Arrays.stream(taps).max().orElse(0);
    }

    /**
     * Window {@code o} starts at {@code o·stride − padding} and has {@code kernel} taps {@code dilation}
     * apart; the taps outside {@code [0, size)} (in the padding) are dropped.
     */
    public static PoolAxis sliding(int size, int out, int kernel, int stride, int padding, int dilation) {
        int[] first = new int[out];
        int[] taps = new int[out];
        for (int o = 0; o < out; o++) {
            long start = (long) o * stride - padding;
            long lo = start;
            long skipped = 0;
            if (lo < 0) {
                skipped = (-lo + dilation - 1) / dilation; // taps that land in the leading padding
                lo += skipped * dilation;
            }
            long n = kernel - skipped;
            if (n > 0 && lo < size) {
                n = Math.min(n, (size - 1 - lo) / dilation + 1);
            } else {
                n = 0;
            }
            first[o] = n > 0 ? (int) lo : 0;
            taps[o] = (int) Math.max(n, 0);
        }
        return new PoolAxis(size, first, taps, dilation);
    }

    /** PyTorch's adaptive windows: output o covers {@code [⌊o·size/out⌋, ⌈(o+1)·size/out⌉)}. */
    public static PoolAxis adaptive(int size, int out) {
        int[] first = new int[out];
        int[] taps = new int[out];
        for (int o = 0; o < out; o++) {
            long start = (long) o * size / out;
            long end = ((long) (o + 1) * size + out - 1) / out;
            first[o] = (int) start;
            taps[o] = (int) (end - start);
        }
        return new PoolAxis(size, first, taps, 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolAxis p && size == p.size && step == p.step && Arrays.equals(first, p.first) && Arrays.equals(taps, p.taps);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + step) + Arrays.hashCode(first) * 7 + Arrays.hashCode(taps);
    }

    @Override
    public String toString() {
        return "PoolAxis[size=" + size + ", first=" + Arrays.toString(first) + ", taps=" + Arrays.toString(taps) + ", step=" + step + "]";
    }
}
