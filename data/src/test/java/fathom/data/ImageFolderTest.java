package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    /** A w×h RGB image whose pixel (x, y) is (10x, 20y, 100 + x + y). */
    static BufferedImage rgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (10 * x) << 16 | (20 * y) << 8 | (100 + x + y));
            }
        }
        return img;
    }

    /** A w×h grayscale image whose pixel (x, y) is 30x + y. */
    static BufferedImage gray(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, 30 * x + y);
            }
        }
        return img;
    }

    private Path write(BufferedImage img, String format, String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        assertTrue(ImageIO.write(img, format, p.toFile()), "no writer for " + format);
        return p;
    }

    @Test
    void classesAreSortedDirectoriesAndPixelsKeepTheirPlanes() throws IOException {
        write(rgb(4, 3), "png", "zebra/b.png");
        write(rgb(4, 3), "png", "zebra/a.PNG");
        write(rgb(4, 3), "png", "cat/deep/c.png");
        write(rgb(4, 3), "jpg", "cat/d.jpg");
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        write(rgb(4, 3), "png", ".ipynb_checkpoints/x.png");
        ImageFolder data = new ImageFolder(root);
        assertEquals(List.of("cat", "zebra"), data.classes());
        assertEquals(4, data.size());
        assertEquals(List.of(root.resolve("cat/d.jpg"), root.resolve("cat/deep/c.png"), root.resolve("zebra/a.PNG"),
                root.resolve("zebra/b.png")), data.files());
        assertEquals(0, data.target(1));
        assertEquals(1, data.target(2));
        Example e = data.get(3);
        assertEquals(1, e.target().item());
        assertEquals(DType.INT64, e.target().dtype());
        Tensor x = e.input();
        assertEquals(Shape.of(3, 3, 4), x.shape());
        assertEquals(30 / 255f, (float) x.get(0, 2, 3), "red of (x 3, y 2)");
        assertEquals(40 / 255f, (float) x.get(1, 2, 3), "green");
        assertEquals(105 / 255f, (float) x.get(2, 2, 3), "blue");
        Tensor jpeg = data.get(0).input();
        assertEquals(Shape.of(3, 3, 4), jpeg.shape());
        assertEquals(105 / 255f, (float) jpeg.get(2, 2, 3), 0.1, "JPEG is lossy but close");
    }

    @Test
    void grayscaleStaysOneChannelUnlessConverted() throws IOException {
        write(gray(5, 2), "png", "a/g.png");
        write(rgb(5, 2), "png", "b/c.png");
        ImageFolder asStored = new ImageFolder(root);
        Tensor g = asStored.get(0).input();
        assertEquals(Shape.of(1, 2, 5), g.shape());
        assertEquals((30 * 4 + 1) / 255f, (float) g.get(0, 1, 4), "stored gray level, no gamma");
        assertEquals(Shape.of(3, 2, 5), asStored.get(1).input().shape());
        ImageFolder rgbAll = new ImageFolder(root, new ImageFolderConfig(3, 0, 0));
        Tensor g3 = rgbAll.get(0).input();
        assertEquals(Shape.of(3, 2, 5), g3.shape());
        assertArrayEquals(g3.select(0, 0).toFloatArray(), g3.select(0, 2).toFloatArray());
        ImageFolder grayAll = new ImageFolder(root, new ImageFolderConfig(1, 0, 0));
        Tensor c1 = grayAll.get(1).input();
        assertEquals(Shape.of(1, 2, 5), c1.shape());
        int r = 40;
        int gr = 20;
        int b = 105;
        assertEquals(Math.round(0.299 * r + 0.587 * gr + 0.114 * b) / 255f, (float) c1.get(0, 1, 4));
    }

    @Test
    void resizingMakesMixedSizesStackable() throws IOException {
        write(rgb(8, 6), "png", "a/big.png");
        write(rgb(3, 2), "png", "b/small.png");
        ImageFolder data = new ImageFolder(root, new ImageFolderConfig(3, 4, 4));
        Batch batch = new DataLoader(data, new LoaderConfig(2, false), new Rng(0)).iterator().next();
        assertEquals(Shape.of(2, 3, 4, 4), batch.inputs().shape());
        assertArrayEquals(new long[] {0, 1}, batch.targets().toLongArray());
        ImageFolder unresized = new ImageFolder(root);
        DataLoaderException e = assertThrows(DataLoaderException.class,
                () -> new DataLoader(unresized, new LoaderConfig(2, false), new Rng(0)).iterator().next());
        assertEquals(1, e.sampleIndex());
    }

    @Test
    void anUndecodableImageIsNamedThroughTheLoader() throws IOException {
        write(rgb(2, 2), "png", "a/ok.png");
        Path bad = root.resolve("a/broken.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ImageFolder data = new ImageFolder(root);
        assertEquals(bad, data.files().get(0));
        UncheckedIOException u = assertThrows(UncheckedIOException.class, () -> data.get(0));
        assertTrue(u.getCause() instanceof DataFormatException);
        assertTrue(u.getMessage().startsWith(bad.toString()), u.getMessage());
        DataLoaderException e = assertThrows(DataLoaderException.class,
                () -> new DataLoader(data, new LoaderConfig(2, false, false, 2, 1), new Rng(0)).forEach(b -> { }));
        assertEquals(0, e.sampleIndex());
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        byte[] png = Files.readAllBytes(root.resolve("a/ok.png"));
        Files.write(root.resolve("a/ok.png"), java.util.Arrays.copyOf(png, png.length / 2));
        DataFormatException truncated = assertThrows(DataFormatException.class, () -> ImageFolder.read(root.resolve("a/ok.png"), 0));
        assertTrue(truncated.getMessage().startsWith(root.resolve("a/ok.png").toString()), truncated.getMessage());
    }

    @Test
    void emptyOrMissingFoldersAreErrors() throws IOException {
        assertThrows(NoSuchFileException.class, () -> new ImageFolder(root.resolve("missing")));
        DataFormatException e = assertThrows(DataFormatException.class, () -> new ImageFolder(root));
        assertTrue(e.getMessage().contains("no class subdirectories"), e.getMessage());
        write(rgb(2, 2), "png", "a/x.png");
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/readme.txt"), "hi");
        e = assertThrows(DataFormatException.class, () -> new ImageFolder(root));
        assertTrue(e.getMessage().startsWith(root.resolve("b").toString()) && e.getMessage().contains("no images"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageFolderConfig(2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ImageFolderConfig(3, 4, 0));
    }
}
