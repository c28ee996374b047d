package fathom.data;

import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Images kept as their unsigned bytes, each converted to float32 {@code pixel / 255} when a sample or a
 * batch is drawn: torchvision's MNIST keeps its {@code data} as uint8 and its {@code ToTensor} divides
 * by 255 per sample, and this is the same, with the division done by batch.
 *
 * <p>Why not one float32 tensor of every image: for Fashion-MNIST's 60,000 training images that is a
 * 188 MB array, and allocating and filling it took 0.2-0.25 s on the way to the first trained batch; the
 * bytes are the 47 MB the file holds, and a batch of 128 converts in 0.15-0.35 ms. Sample {@code i} is
 * {@code (pixels[i] / 255 as float32 [C, H, W], targets[i])}, exactly the values a float tensor held.
 */
public final class ByteImageDataset implements Dataset {
    private static final float[] SCALED = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            SCALED[b] = b / 255f;
        }
    }

    private final byte[] pixels;
    private final int offset;
    private final int[] imageShape;
    private final int imageSize;
    private final Tensor targets;

    /**
     * {@code targets.size(0)} images of {@code imageShape} ({@code [C, H, W]}), row-major and one after
     * another in {@code pixels} from {@code offset}; {@code targets} holds one label per image.
     */
    public ByteImageDataset(byte[] pixels, int offset, int[] imageShape, Tensor targets) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(targets, "targets");
        if (imageShape.length != 3) {
            throw new IllegalArgumentException("ByteImageDataset needs an image shape [C, H, W], got " + Arrays.toString(imageShape));
        }
        if (targets.dim() == 0) {
            throw new IllegalArgumentException("ByteImageDataset needs one target per image, got a scalar");
        }
        this.imageShape = imageShape.clone();
        this.imageSize = Shape.of(imageShape).numel();
        long needed = (long) targets.size(0) * imageSize;
        if (offset < 0 || offset + needed > pixels.length) {
            throw new IllegalArgumentException("ByteImageDataset: " + targets.size(0) + " images of shape " + Arrays.toString(imageShape)
                    + " need " + needed + " bytes from offset " + offset + ", but the array holds " + pixels.length);
        }
        this.pixels = pixels;
        this.offset = offset;
        this.targets = targets.detach();
    }

    @Override
    public int size() {
        return targets.size(0);
    }

    /** The shape of one image, {@code [C, H, W]}. */
    public int[] imageShape() {
        return imageShape.clone();
    }

    /** All targets, [N]. */
    public Tensor targets() {
        return targets;
    }

    /** Every image as one float32 tensor [N, C, H, W]: the whole set converted at once (a large array for a large set). */
    public Tensor inputs() {
        int[] all = new int[size()];
        Arrays.setAll(all, i -> i);
        return images(all);
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, size());
        return new Example(images(new int[] {index}).reshape(imageShape), targets.select(0, index));
    }

    @Override
    public Optional<Batch> select(int[] indices) {
        return Optional.of(new Batch(images(indices), Rows.take(targets, indices)));
    }

    /** Images {@code indices} as float32 [B, C, H, W]. */
    private Tensor images(int[] indices) {
        int n = size();
        float[] out = new float[indices.length * imageSize];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("image " + i + " is outside the " + n + " images of this dataset");
            }
            for (int j = 0, src = offset + i * imageSize, dst = k * imageSize; j < imageSize; j++) {
                out[dst + j] = SCALED[pixels[src + j] & 0xff];
            }
        }
        return Tensors.of(out, indices.length, imageShape[0], imageShape[1], imageShape[2]);
    }
}
