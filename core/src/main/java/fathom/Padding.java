package fathom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Padding a tensor's trailing dimensions, PyTorch's {@code F.pad}: {@code pads} is {left, right} of the
 * last dimension, then {left, right} of the one before, and so on ({@code (1, 1, 2, 2)} pads the last
 * dimension by 1 and the one before by 2 on each side).
 *
 * <p>Modes, as PyTorch's: {@link Mode#CONSTANT} fills with a value (a negative pad crops, as there),
 * {@link Mode#REFLECT} mirrors without repeating the edge ({@code [a b c d]} padded by 2 on the left
 * gives {@code c b a b c d}; a pad must be smaller than the dimension), {@link Mode#REPLICATE} repeats
 * the edge, {@link Mode#CIRCULAR} wraps around (a pad at most the dimension). Built from narrow, flip,
 * expand and cat, so gradients flow back through the copies (a padded entry's gradient adds into the
 * entry it copies). Unlike PyTorch, the non-constant modes work on any number of dimensions and any
 * rank, not only the last one to three of a batched input.
 */
public final class Padding {
    /** How the border is filled. */
    public enum Mode { CONSTANT, REFLECT, REPLICATE, CIRCULAR;

        /** PyTorch's spelling: "constant", "reflect", "replicate", "circular". */
        public static Mode of(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("padding mode must be \"constant\", \"reflect\", \"replicate\" or \"circular\", got \"" + name + "\"");
        }
    }

    private Padding() {}

    /** Constant zero padding. */
    public static Tensor pad(Tensor x, int... pads) {
        return pad(x, pads, Mode.CONSTANT, 0);
    }

    /** Pads {@code x} as the class comment says; {@code value} fills {@link Mode#CONSTANT} padding and is ignored otherwise. */
    public static Tensor pad(Tensor x, int[] pads, Mode mode, double value) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new ShapeException("pad: pads must hold a (left, right) pair for each of at most " + x.dim() + " trailing dimensions of "
                    + x.shape() + ", got " + Arrays.toString(pads));
        }
        Tensor y = x;
        for (int i = 0; i < pads.length / 2; i++) {
            y = padDim(y, x.dim() - 1 - i, pads[2 * i], pads[2 * i + 1], mode, value, pads);
        }
        return y;
    }

    private static Tensor padDim(Tensor x, int dim, int left, int right, Mode mode, double value, int[] pads) {
        int n = x.size(dim);
        if (mode == Mode.CONSTANT) {
            if (n + Math.min(left, 0) + Math.min(right, 0) < 0) {
                throw new ShapeException("pad: cropping " + -left + " and " + -right + " from dimension " + dim + " of " + x.shape()
                        + " leaves nothing");
            }
            x = x.narrow(dim, Math.max(-left, 0), n + Math.min(left, 0) + Math.min(right, 0));
            return cat(x, dim, fill(x, dim, Math.max(left, 0), value), fill(x, dim, Math.max(right, 0), value));
        }
        if (left < 0 || right < 0) {
            throw new IllegalArgumentException("pad: " + mode.name().toLowerCase() + " padding must be ≥ 0, got " + Arrays.toString(pads));
        }
        int limit = mode == Mode.REFLECT ? n - 1 : mode == Mode.CIRCULAR ? n : Integer.MAX_VALUE;
        if (left > limit || right > limit || n == 0) {
            throw new ShapeException("pad: " + mode.name().toLowerCase() + " padding of " + left + " and " + right + " needs dimension "
                    + dim + " of " + x.shape() + " to be " + (mode == Mode.REFLECT ? "larger than" : "at least") + " each pad");
        }
        return switch (mode) {
            case REFLECT -> cat(x, dim, left == 0 ? null : x.narrow(dim, 1, left).flip(dim),
                    right == 0 ? null : x.narrow(dim, n - 1 - right, right).flip(dim));
            case REPLICATE -> cat(x, dim, left == 0 ? null : x.narrow(dim, 0, 1).expand(sizes(x, dim, left)),
                    right == 0 ? null : x.narrow(dim, n - 1, 1).expand(sizes(x, dim, right)));
            case CIRCULAR -> cat(x, dim, left == 0 ? null : x.narrow(dim, n - left, left), right == 0 ? null : x.narrow(dim, 0, right));
            case CONSTANT -> throw new AssertionError();
        };
    }

    /** [before, x, after] along dim, leaving out nulls. */
    private static Tensor cat(Tensor x, int dim, Tensor before, Tensor after) {
        if (before == null && after == null) {
            return x;
        }
        List<Tensor> parts = new ArrayList<>(3);
        if (before != null) {
            parts.add(before);
        }
        parts.add(x);
        if (after != null) {
            parts.add(after);
        }
        return Tensor.cat(parts, dim);
    }

    /** {@code count} slices of {@code value} along dim, or null for none. */
    private static Tensor fill(Tensor x, int dim, int count, double value) {
        return count == 0 ? null : Tensors.full(Shape.of(sizes(x, dim, count)), x.dtype(), value);
    }

    private static int[] sizes(Tensor x, int dim, int count) {
        int[] s = x.shape().toArray();
        s[dim] = count;
        return s;
    }
}
