package fathom.data;

import fathom.Rng;
import fathom.Tensor;

/**
 * A {@code height × width} window at a uniformly random position of the image padded with
 * {@code padding} zeros on every side (torchvision's {@code RandomCrop(size, padding)} with its
 * default constant-zero fill): output [C, height, width].
 */
public record RandomCrop(int height, int width, int padding) implements Transform {
    public RandomCrop {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: need a positive size and padding ≥ 0, got "
                    + height + "×" + width + " with padding " + padding);
        }
    }

    /** A square {@code size × size} crop. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    @Override
    public Tensor apply(Tensor image, Rng rng) {
        Planes p = Planes.of(image, "RandomCrop");
        int paddedH = p.height() + 2 * padding;
        int paddedW = p.width() + 2 * padding;
        if (height > paddedH || width > paddedW) {
            throw new IllegalArgumentException("RandomCrop: a " + height + "×" + width + " crop does not fit in image "
                    + image.shape() + " padded by " + padding + " (" + paddedH + "×" + paddedW + ")");
        }
        int top = rng.nextInt(paddedH - height + 1) - padding;
        int left = rng.nextInt(paddedW - width + 1) - padding;
        Planes out = Planes.zeros(p.channels(), height, width);
        for (int c = 0; c < p.channels(); c++) {
            for (int y = 0; y < height; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= p.height()) {
                    continue;
                }
                int from = Math.max(0, -left);
                int to = Math.min(width, p.width() - left);
                if (to > from) {
                    System.arraycopy(p.data(), p.index(c, sy, left + from), out.data(), out.index(c, y, from), to - from);
                }
            }
        }
        return out.tensor();
    }
}
