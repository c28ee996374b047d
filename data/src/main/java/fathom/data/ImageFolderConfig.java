package fathom.data;

/**
 * How an {@link ImageFolder} decodes its images: {@code channels} 0 keeps each file's own (1 for
 * grayscale, 3 for color), 1 converts to grayscale, 3 to RGB; {@code height} and {@code width} both 0
 * keep each file's size, else every image is resized to them (bilinear, see {@link Resize}), which a
 * folder of mixed sizes needs before its images can be stacked into batches.
 */
public record ImageFolderConfig(int channels, int height, int width) {
    public ImageFolderConfig {
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 0 (as stored), 1 (grayscale) or 3 (RGB), got " + channels);
        }
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("height and width must both be 0 (no resize) or both positive, got "
                    + height + "×" + width);
        }
    }

    /** Channels and sizes as stored in each file. */
    public ImageFolderConfig() {
        this(0, 0, 0);
    }
}
