package fathom.nn;

/** The output size of the adaptive pooling layers: a size per dimension, null meaning "the input's". */
final class AdaptiveSize {
    private AdaptiveSize() {}

    static void check(String layer, Integer h, Integer w) {
        if (h != null && h < 0 || w != null && w < 0) {
            throw new IllegalArgumentException(layer + ": output sizes must be non-negative (or null), got (" + h + ", " + w + ")");
        }
    }

    static int resolve(Integer size, int input) {
        return size == null ? input : size;
    }

    /** {@code 1} for a square size given as one int, else a Python tuple such as {@code (7, None)}. */
    static String repr(Integer h, Integer w, boolean square) {
        return square ? String.valueOf(h) : "(" + (h == null ? "None" : h) + ", " + (w == null ? "None" : w) + ")";
    }
}
