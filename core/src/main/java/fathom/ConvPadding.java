package fathom;

/**
 * The zero padding of a convolution, as PyTorch's {@code padding} argument: explicit sizes per
 * dimension, {@code "valid"} (none) or {@code "same"} (the output as large as the input; stride 1 only).
 *
 * <p>For "same" the total padding of a dimension is dilation·(kernel − 1); when it is odd the extra
 * row or column goes to the bottom or right, as in PyTorch.
 */
public sealed interface ConvPadding {
    /** No padding. */
    ConvPadding VALID = new Valid();
    /** Padding that keeps the spatial size (stride 1 only). */
    ConvPadding SAME = new Same();

    /** {@code height} zero rows above and below, {@code width} zero columns left and right (a 1-d convolution uses width). */
    record Sizes(int height, int width) implements ConvPadding {
        public Sizes {
            if (height < 0 || width < 0) {
                throw new IllegalArgumentException("padding must be ≥ 0, got (" + height + ", " + width + ")");
            }
        }

        @Override
        public String toString() {
            return "(" + height + ", " + width + ")";
        }
    }

    /** PyTorch's {@code padding="valid"}. */
    record Valid() implements ConvPadding {
        @Override
        public String toString() {
            return "valid";
        }
    }

    /** PyTorch's {@code padding="same"}. */
    record Same() implements ConvPadding {
        @Override
        public String toString() {
            return "same";
        }
    }

    /** The same padding on both spatial dimensions. */
    static ConvPadding of(int padding) {
        return new Sizes(padding, padding);
    }

    /** {@code height} rows and {@code width} columns on each side. */
    static ConvPadding of(int height, int width) {
        return new Sizes(height, width);
    }

    /** {@code "same"} or {@code "valid"}, as PyTorch spells them. */
    static ConvPadding of(String name) {
        return switch (name) {
            case "same" -> SAME;
            case "valid" -> VALID;
            default -> throw new IllegalArgumentException("padding must be \"same\", \"valid\" or sizes, got \"" + name + "\"");
        };
    }

    /**
     * The padding {top, left, bottom, right} this means for a kernel of {@code kH x kW} taps dilated by
     * {@code dH, dW}.
     */
    default int[] sides(int kH, int kW, int dH, int dW) {
        return switch (this) {
            case Sizes s -> new int[] {s.height(), s.width(), s.height(), s.width()};
            case Valid v -> new int[4];
            case Same s -> {
                int th = dH * (kH - 1);
                int tw = dW * (kW - 1);
                yield new int[] {th / 2, tw / 2, th - th / 2, tw - tw / 2};
            }
        };
    }
}
