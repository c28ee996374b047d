package fathom.nn;

import fathom.Tensor;
import fathom.Upsampling;
import fathom.Upsampling.Mode;

/**
 * x [N, C, H, W] (or [N, C, L] in nearest mode) resized to a fixed {@code size} or by a
 * {@code scaleFactor} (out = ⌊in·scale⌋), by nearest-neighbour or bilinear interpolation (PyTorch's
 * {@code nn.Upsample}); the index formulas, {@code alignCorners} included, are PyTorch's (see
 * {@link Upsampling}). Defaults: nearest, alignCorners false.
 */
public final class Upsample extends Module {
    /** The output spatial size, or null when a scale factor is given. */
    private final int[] size;
    /** The scale factor per spatial dimension (one value for all), or null when a size is given. */
    private final double[] scaleFactor;
    public final Mode mode;
    public final boolean alignCorners;

    /** Nearest-neighbour upsampling by {@code scaleFactor} in every spatial dimension. */
    public Upsample(double scaleFactor) {
        this(new double[] {scaleFactor}, Mode.NEAREST, false);
    }

    /** Upsampling by {@code scaleFactor} (one value, or one per spatial dimension). */
    public Upsample(double[] scaleFactor, Mode mode, boolean alignCorners) {
        this(null, scaleFactor.clone(), mode, alignCorners);
    }

    /** Resizing to {@code size} ([outH, outW], or [outL] for 3-d input in nearest mode). */
    public Upsample(int[] size, Mode mode, boolean alignCorners) {
        this(size.clone(), null, mode, alignCorners);
    }

    private Upsample(int[] size, double[] scaleFactor, Mode mode, boolean alignCorners) {
        if (mode == Mode.NEAREST && alignCorners) {
            throw new IllegalArgumentException("Upsample: alignCorners can only be set with the interpolating mode bilinear");
        }
        this.size = size;
        this.scaleFactor = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public Tensor forward(Tensor input) {
        return size != null ? Upsampling.interpolate(input, size, mode, alignCorners)
                : Upsampling.interpolate(input, scaleFactor, mode, alignCorners);
    }

    /** As PyTorch's repr: {@code Upsample(scale_factor=2.0, mode=nearest)}, {@code Upsample(size=(3, 4), mode=bilinear)}. */
    @Override
    public String toString() {
        String what;
        if (size != null) {
            what = "size=" + PythonRepr.ints(size);
        } else if (scaleFactor.length == 1) {
            what = "scale_factor=" + PythonRepr.number(scaleFactor[0]);
        } else {
            StringBuilder sb = new StringBuilder("scale_factor=(");
            for (int i = 0; i < scaleFactor.length; i++) {
                sb.append(i > 0 ? ", " : "").append(PythonRepr.number(scaleFactor[i]));
            }
            what = sb.append(')').toString();
        }
        return "Upsample(" + what + ", mode=" + mode.name().toLowerCase() + ")";
    }
}
