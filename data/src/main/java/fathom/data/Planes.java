package fathom.data;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;

/** An image [C, H, W] as a fresh row-major float array, which the transforms read and write directly. */
record Planes(float[] data, int channels, int height, int width) {
    /** A copy of {@code image}, which must be a floating [C, H, W] tensor; {@code op} names the caller in errors. */
    static Planes of(Tensor image, String op) {
        if (image.dim() != 3) {
            throw new IllegalArgumentException(op + ": expected an image [C, H, W], got shape " + image.shape());
        }
        if (!image.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a float image, got " + image.dtype()
                    + " (scale integer pixels to [0, 1] first)");
        }
        float[] data;
        if (image.dtype() == DType.FLOAT32 && image.isContiguous()) {
            // the common case, a row of a float32 dataset: one array copy instead of a strided backend copy
            data = new float[image.numel()];
            System.arraycopy(image.storage().floats(), image.offset(), data, 0, data.length);
        } else {
            data = image.toFloatArray();
        }
        return new Planes(data, image.size(0), image.size(1), image.size(2));
    }

    static Planes zeros(int channels, int height, int width) {
        return new Planes(new float[channels * height * width], channels, height, width);
    }

    int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    /** Bilinear sample of channel {@code c} at fractional pixel (y, x); pixels outside the image read as zero. */
    float bilinear(int c, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (float) ((1 - fy) * ((1 - fx) * at(c, y0, x0) + fx * at(c, y0, x0 + 1))
                + fy * ((1 - fx) * at(c, y0 + 1, x0) + fx * at(c, y0 + 1, x0 + 1)));
    }

    private float at(int c, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? 0 : data[index(c, y, x)];
    }

    Tensor tensor() {
        return Tensors.of(data, channels, height, width);
    }
}
