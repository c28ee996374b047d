package fathom.data;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images in class folders, {@code root/<class>/**.png|jpg|jpeg}, as torchvision's
 * {@code ImageFolder}: classes are the subdirectory names sorted, targets int64 class indices into
 * {@link #classes()}, inputs float32 [C, H, W] in [0, 1], decoded by {@code javax.imageio} on each
 * {@link #get} (so in the loader's workers).
 *
 * <p>Files are found recursively under each class directory, in sorted path order; other extensions
 * are skipped, as are directories whose name starts with a dot (torchvision would take
 * {@code .ipynb_checkpoints} for a class). A class directory without images is an error, as in
 * torchvision. Alpha channels are dropped. An image that cannot be decoded fails its {@link #get}
 * with an {@link UncheckedIOException} around a {@link DataFormatException} naming the file.
 */
public final class ImageFolder implements Dataset {
    /** The file extensions read, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

    private final Path root;
    private final ImageFolderConfig config;
    private final List<String> classes;
    private final List<Path> files;
    private final int[] targets;

    /** The images under {@code root}, decoded with their own channels and size. */
    public ImageFolder(Path root) throws IOException {
        this(root, new ImageFolderConfig());
    }

    /** The images under {@code root}, decoded as {@code config} says. */
    public ImageFolder(Path root, ImageFolderConfig config) throws IOException {
        this.root = Objects.requireNonNull(root, "root");
        this.config = Objects.requireNonNull(config, "config");
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory of class folders");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        if (classDirs.isEmpty()) {
            throw new DataFormatException(root.toString(), "no class subdirectories (expected root/<class>/<image>.png)");
        }
        List<String> names = new ArrayList<>();
        List<Path> found = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
                images = s.filter(Files::isRegularFile).filter(ImageFolder::isImage)
                        .filter(p -> !hiddenBelow(dir, p)).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new DataFormatException(dir.toString(), "class directory holds no images with extension " + EXTENSIONS);
            }
            for (Path p : images) {
                found.add(p);
                labels.add(names.size());
            }
            names.add(dir.getFileName().toString());
        }
        this.classes = List.copyOf(names);
        this.files = Collections.unmodifiableList(found);
        this.targets = labels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hiddenBelow(Path dir, Path file) {
        for (Path part : dir.relativize(file.getParent())) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    public Path root() {
        return root;
    }

    public ImageFolderConfig config() {
        return config;
    }

    /** The class names, sorted; target {@code k} is {@code classes().get(k)}. */
    public List<String> classes() {
        return classes;
    }

    /** The image files, in sample order. */
    public List<Path> files() {
        return files;
    }

    /** The class index of sample {@code index}, without decoding its image. */
    public int target(int index) {
        return targets[Objects.checkIndex(index, targets.length)];
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Example get(int index) {
        Path file = files.get(Objects.checkIndex(index, files.size()));
        Tensor image;
        try {
            image = read(file, config.channels());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (config.height() > 0) {
            image = new Resize(config.height(), config.width()).resize(Planes.of(image, "ImageFolder")).tensor();
        }
        return new Example(image, Tensors.scalar(targets[index], DType.INT64));
    }

    /**
     * One image file as float32 [C, H, W] in [0, 1]: {@code channels} 0 keeps the file's (grayscale 1,
     * color 3), 1 converts to grayscale with ITU-R 601 luma weights (as PIL's {@code convert("L")}),
     * 3 to RGB (gray replicated).
     */
    public static Tensor read(Path file, int channels) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file.toString(), "unreadable image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DataFormatException(file.toString(), "not an image javax.imageio can decode (no reader recognizes its contents)");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        boolean gray = img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(img.getColorModel() instanceof IndexColorModel);
        int c = channels == 0 ? (gray ? 1 : 3) : channels;
        Planes out = Planes.zeros(c, h, w);
        float[] v = out.data();
        int plane = h * w;
        if (gray) {
            // the stored gray levels, as PIL reads them (getRGB would apply a gamma conversion)
            Raster r = img.getRaster();
            float max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        v[k * plane + y * w + x] = row[x] / max;
                    }
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                int red = (argb[i] >> 16) & 0xff;
                int green = (argb[i] >> 8) & 0xff;
                int blue = argb[i] & 0xff;
                if (c == 3) {
                    v[i] = red / 255f;
                    v[plane + i] = green / 255f;
                    v[2 * plane + i] = blue / 255f;
                } else {
                    // PIL's fixed-point rounding of 0.299 R + 0.587 G + 0.114 B
                    v[i] = ((red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16) / 255f;
                }
            }
        }
        return out.tensor();
    }
}
