package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/**
 * The image rotated about its center by an angle uniform in [−degrees, degrees] (positive is
 * counter-clockwise, as torchvision) and shifted by whole pixels uniform in
 * [−translate·W, translate·W] horizontally and [−translate·H, translate·H] vertically (rounded, as
 * torchvision's {@code RandomAffine(degrees, translate=(t, t))}); output [C, H, W].
 *
 * <p>Each output pixel samples the input bilinearly at the inverse-mapped position, and positions
 * outside the input read as zero (the fill), so the corners a rotation uncovers are black. torchvision
 * samples nearest by default; bilinear keeps thin strokes of 28×28 images from breaking up.
 */
public record RandomAffine(double degrees, double translate) implements Transform {
    public RandomAffine {
        if (!(degrees >= 0 && degrees <= 180)) {
            throw new IllegalArgumentException("RandomAffine: degrees must be in [0, 180], got " + degrees);
        }
        if (!(translate >= 0 && translate <= 1)) {
            throw new IllegalArgumentException("RandomAffine: translate is a fraction of the size in [0, 1], got " + translate);
        }
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Planes in = Planes.of(image, "RandomAffine");
        double angle = (2 * rng.nextDouble() - 1) * degrees;
        double tx = Math.round((2 * rng.nextDouble() - 1) * translate * in.width());
        double ty = Math.round((2 * rng.nextDouble() - 1) * translate * in.height());
        return warp(in, angle, tx, ty).tensor();
    }

    /** {@code in} rotated counter-clockwise by {@code degrees} about its center, then shifted right by tx and down by ty pixels. */
    static Planes warp(Planes in, double degrees, double tx, double ty) {
        double cos = Math.cos(Math.toRadians(degrees));
        double sin = Math.sin(Math.toRadians(degrees));
        double cx = (in.width() - 1) / 2.0;
        double cy = (in.height() - 1) / 2.0;
        Planes out = Planes.zeros(in.channels(), in.height(), in.width());
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                // inverse map: undo the shift, then rotate back (with y growing downward)
                double u = x - cx - tx;
                double v = y - cy - ty;
                double sx = cx + cos * u - sin * v;
                double sy = cy + sin * u + cos * v;
                for (int c = 0; c < in.channels(); c++) {
                    out.data()[out.index(c, y, x)] = in.bilinear(c, sy, sx);
                }
            }
        }
        return out;
    }
}
