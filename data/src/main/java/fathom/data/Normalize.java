package fathom.data;

import fathom.Rng;
import fathom.Tensor;
import java.util.Arrays;

/**
 * {@code out[c] = (image[c] − mean[c]) / std[c]} per channel, in float32 as torchvision's
 * {@code Normalize}; a single mean and std apply to every channel. Deterministic.
 */
public record Normalize(double[] mean, double[] std) implements Transform {
    public Normalize {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: need one mean and one std per channel, got means "
                    + Arrays.toString(mean) + " and stds " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("Normalize: every std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Planes p = Planes.of(image, "Normalize");
        if (mean.length != 1 && mean.length != p.channels()) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means and stds for an image of "
                    + p.channels() + " channels, shape " + image.shape());
        }
        int plane = p.height() * p.width();
        float[] v = p.data();
        for (int c = 0; c < p.channels(); c++) {
            float m = (float) mean[mean.length == 1 ? 0 : c];
            float s = (float) std[std.length == 1 ? 0 : c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                v[i] = (v[i] - m) / s;
            }
        }
        return p.tensor();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalize[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
