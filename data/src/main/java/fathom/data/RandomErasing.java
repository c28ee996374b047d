package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/**
 * With probability {@code p}, a random rectangle of the image set to {@code value} in every channel
 * (torchvision's {@code RandomErasing}, Zhong et al. 2017): its area a uniform fraction in
 * [minScale, maxScale] of the image's, its aspect ratio h/w log-uniform in [minRatio, maxRatio]; up to
 * 10 draws are tried for a rectangle that fits, and the image is left as is when none does.
 *
 * <p>Defaults, as torchvision: p = 0.5, scale (0.02, 0.33), ratio (0.3, 3.3), value 0. It is meant
 * for normalized tensors, so it usually follows {@link Normalize}.
 */
public record RandomErasing(double p, double minScale, double maxScale, double minRatio, double maxRatio, double value)
        implements Transform {
    private static final int ATTEMPTS = 10;

    public RandomErasing {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomErasing: p must be in [0, 1], got " + p);
        }
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("RandomErasing: need 0 < minScale ≤ maxScale ≤ 1, got " + minScale + ", " + maxScale);
        }
        if (!(minRatio > 0 && minRatio <= maxRatio && !Double.isInfinite(maxRatio))) {
            throw new IllegalArgumentException("RandomErasing: need 0 < minRatio ≤ maxRatio, got " + minRatio + ", " + maxRatio);
        }
    }

    /** torchvision's defaults: p 0.5, scale (0.02, 0.33), ratio (0.3, 3.3), value 0. */
    public RandomErasing() {
        this(0.5, 0.02, 0.33, 0.3, 3.3);
    }

    /** Erasing to zero with the given probability, scale and ratio ranges. */
    public RandomErasing(double p, double minScale, double maxScale, double minRatio, double maxRatio) {
        this(p, minScale, maxScale, minRatio, maxRatio, 0);
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Planes img = Planes.of(image, "RandomErasing");
        // the draws below always happen, so the numbers left in rng do not depend on the outcome
        boolean erase = rng.nextDouble() < p;
        int h = img.height();
        int w = img.width();
        int area = h * w;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        int top = 0;
        int left = 0;
        int eh = 0;
        int ew = 0;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * (minScale + (maxScale - minScale) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int ch = (int) Math.round(Math.sqrt(target * aspect));
            int cw = (int) Math.round(Math.sqrt(target / aspect));
            double u = rng.nextDouble();
            double v = rng.nextDouble();
            if (eh == 0 && ch < h && cw < w && ch > 0 && cw > 0) {
                eh = ch;
                ew = cw;
                top = (int) (u * (h - ch + 1));
                left = (int) (v * (w - cw + 1));
            }
        }
        if (erase && eh > 0) {
            float fill = (float) value;
            for (int c = 0; c < img.channels(); c++) {
                for (int y = top; y < top + eh; y++) {
                    java.util.Arrays.fill(img.data(), img.index(c, y, left), img.index(c, y, left) + ew, fill);
                }
            }
        }
        return img.tensor();
    }
}
