package fathom.nn;

import fathom.ConvPadding;
import fathom.Padding;
import fathom.Tensor;
import java.util.Arrays;
import java.util.List;

/** Argument checks and PyTorch-style formatting shared by the convolution layers and their configs. */
final class ConvArgs {
    private ConvArgs() {}

    /** {h, w} from one value (both) or two, each at least {@code min}; a copy. */
    static int[] pair(String name, int[] v, int min) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(name + " must have one or two values, got " + Arrays.toString(v));
        }
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        if (p[0] < min || p[1] < min) {
            throw new IllegalArgumentException(name + " must be ≥ " + min + ", got " + Arrays.toString(v));
        }
        return p;
    }

    static void channels(String layer, int in, int out, int groups) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(layer + ": in_channels and out_channels must be positive, got " + in + " and " + out);
        }
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": groups " + groups + " must be ≥ 1 and divide in_channels " + in
                    + " and out_channels " + out);
        }
    }

    /** Checks PyTorch's padding_mode: "zeros", "reflect", "replicate" or "circular" ({@code zerosOnly}: transposed convolutions, as there). */
    static void paddingMode(String layer, String mode, boolean zerosOnly) {
        boolean known = List.of("zeros", "reflect", "replicate", "circular").contains(mode);
        if (!known || zerosOnly && !"zeros".equals(mode)) {
            throw new IllegalArgumentException(layer + ": padding_mode \"" + mode + "\" is not supported, only "
                    + (zerosOnly ? "\"zeros\"" : "\"zeros\", \"reflect\", \"replicate\" or \"circular\""));
        }
    }

    /**
     * The input of a convolution whose padding_mode is not "zeros", padded as PyTorch's _ConvNd does
     * (F.pad by the layer's padding on each side of the spatial dimensions, then a convolution without
     * padding); {@code spatial} is 1 or 2.
     */
    static Tensor padInput(Tensor x, ConvPadding padding, String mode, int[] kernel, int[] dilation, int spatial) {
        int[] sides = spatial == 1 ? padding.sides(1, kernel[0], 1, dilation[0]) : padding.sides(kernel[0], kernel[1], dilation[0], dilation[1]);
        int[] pads = spatial == 1 ? new int[] {sides[1], sides[3]} : new int[] {sides[1], sides[3], sides[0], sides[2]};
        return Padding.pad(x, pads, Padding.Mode.of(mode), 0);
    }

    /** PyTorch's tuple repr: {@code (3, 3)}, or {@code (3,)} for one value. */
    static String tuple(int... v) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(v[i]);
        }
        return s.append(v.length == 1 ? ",)" : ")").toString();
    }

    /**
     * The repr of PyTorch's {@code _ConvNd}: channels, kernel_size and stride always; padding,
     * dilation, output_padding, groups, bias and padding_mode only where they differ from the defaults.
     */
    static String repr(String layer, int in, int out, int[] kernel, int[] stride, String padding, boolean zeroPadding,
                       int[] dilation, int[] outputPadding, int groups, boolean bias, String paddingMode) {
        StringBuilder s = new StringBuilder(layer).append('(').append(in).append(", ").append(out)
                .append(", kernel_size=").append(tuple(kernel)).append(", stride=").append(tuple(stride));
        if (!zeroPadding) {
            s.append(", padding=").append(padding);
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            s.append(", dilation=").append(tuple(dilation));
        }
        if (outputPadding != null && Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            s.append(", output_padding=").append(tuple(outputPadding));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (!bias) {
            s.append(", bias=False");
        }
        if (!"zeros".equals(paddingMode)) {
            s.append(", padding_mode=").append(paddingMode);
        }
        return s.append(')').toString();
    }

    /** The padding as PyTorch prints it for a layer of {@code dims} spatial dimensions: {@code (1, 2)}, {@code (1,)}, {@code same}. */
    static String padding(ConvPadding p, int dims) {
        if (p instanceof ConvPadding.Sizes s) {
            return dims == 1 ? tuple(s.width()) : tuple(s.height(), s.width());
        }
        return p.toString();
    }

    static boolean isZero(ConvPadding p) {
        return p instanceof ConvPadding.Sizes s && s.height() == 0 && s.width() == 0;
    }
}
