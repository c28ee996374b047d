package fathom.backend;

/**
 * Where a 2-d convolution window goes: output pixel (oh, ow) reads input pixel
 * {@code (oh·strideH − padH + i·dilationH, ow·strideW − padW + j·dilationW)} for kernel tap (i, j), reading
 * zero outside the input; channels split into {@code groups} independent groups.
 *
 * <p>Padding is symmetric (the same on both sides of a dimension); the functional API pads the input
 * itself for PyTorch's asymmetric {@code padding="same"} with even kernels. A transposed convolution
 * uses the same geometry for the convolution it transposes.
 *
 * @param strideH step between output rows, ≥ 1
 * @param strideW step between output columns, ≥ 1
 * @param padH zero rows added above and below the input, ≥ 0
 * @param padW zero columns added left and right of the input, ≥ 0
 * @param dilationH step between kernel rows, ≥ 1
 * @param dilationW step between kernel columns, ≥ 1
 * @param groups channel groups, ≥ 1 (input and output channels must be multiples of it)
 */
public record ConvGeometry(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    public ConvGeometry {
        positive("stride", strideH, strideW);
        positive("dilation", dilationH, dilationW);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("padding must be ≥ 0, got (" + padH + ", " + padW + ")");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be ≥ 1, got " + groups);
        }
    }

    private static void positive(String name, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(name + " must be ≥ 1, got (" + h + ", " + w + ")");
        }
    }

    /** Stride 1, no padding, dilation 1, one group. */
    public static ConvGeometry unit() {
        return new ConvGeometry(1, 1, 0, 0, 1, 1, 1);
    }

    /** Output rows of the convolution of {@code inH} rows with a {@code kH}-row kernel: ⌊(inH + 2·padH − dilationH·(kH − 1) − 1) / strideH⌋ + 1 (≤ 0 when the kernel does not fit). */
    public int outputHeight(int inH, int kH) {
        return outputSize(inH, kH, padH, dilationH, strideH);
    }

    /** Output columns, as {@link #outputHeight}. */
    public int outputWidth(int inW, int kW) {
        return outputSize(inW, kW, padW, dilationW, strideW);
    }

    private static int outputSize(int in, int k, int pad, int dilation, int stride) {
        return Math.floorDiv(in + 2 * pad - dilation * (k - 1) - 1, stride) + 1;
    }

    /** Output rows of the transposed convolution: (inH − 1)·strideH − 2·padH + dilationH·(kH − 1) + outputPadding + 1. */
    public int transposedHeight(int inH, int kH, int outputPadding) {
        return (inH - 1) * strideH - 2 * padH + dilationH * (kH - 1) + outputPadding + 1;
    }

    /** Output columns of the transposed convolution, as {@link #transposedHeight}. */
    public int transposedWidth(int inW, int kW, int outputPadding) {
        return (inW - 1) * strideW - 2 * padW + dilationW * (kW - 1) + outputPadding + 1;
    }
}
