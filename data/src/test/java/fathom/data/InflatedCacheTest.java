package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InflatedCacheTest {
    @TempDir
    Path dir;

    private Path cache() {
        return dir.resolve("cache");
    }

    private List<Path> copies() throws IOException {
        if (!Files.isDirectory(cache())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache())) {
            return s.toList();
        }
    }

    private Path gz(String name, byte[] plain) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, IdxTest.gzip(plain));
        return p;
    }

    @Test
    void secondReadComesFromTheInflatedCopy() throws IOException {
        byte[] plain = IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {3, 4, 5}, IdxTest.ramp(60));
        Path file = gz("images.gz", plain);
        assertArrayEquals(plain, InflatedCache.read(file, cache()));
        List<Path> copies = copies();
        assertEquals(1, copies.size());
        assertArrayEquals(plain, Files.readAllBytes(copies.get(0)));
        // the copy is what the second read returns: change it (same length) and the change shows
        byte[] marked = plain.clone();
        marked[marked.length - 1] ^= 1;
        Files.write(copies.get(0), marked);
        assertArrayEquals(marked, InflatedCache.read(file, cache()));
    }

    @Test
    void aChangedSourceIsInflatedAfresh() throws IOException {
        Path file = gz("images.gz", IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {1, 2, 2}, IdxTest.ramp(4)));
        InflatedCache.read(file, cache());
        byte[] changed = IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {2, 2, 2}, IdxTest.ramp(8));
        Files.write(file, IdxTest.gzip(changed));
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertArrayEquals(changed, InflatedCache.read(file, cache()));
        assertEquals(2, copies().size());
    }

    @Test
    void aCopyOfTheWrongLengthIsReplaced() throws IOException {
        byte[] plain = IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {2, 3, 3}, IdxTest.ramp(18));
        Path file = gz("images.gz", plain);
        InflatedCache.read(file, cache());
        Path copy = copies().get(0);
        Files.write(copy, new byte[] {1, 2, 3});
        assertArrayEquals(plain, InflatedCache.read(file, cache()));
        assertArrayEquals(plain, Files.readAllBytes(copy));
    }

    @Test
    void plainFilesAreReadAsTheyAreAndNotCopied() throws IOException {
        byte[] plain = IdxTest.idx(Idx.LABELS_MAGIC, new int[] {5}, new byte[] {0, 1, 2, 3, 4});
        Path file = dir.resolve("labels");
        Files.write(file, plain);
        assertArrayEquals(plain, InflatedCache.read(file, cache()));
        assertEquals(List.of(), copies());
    }

    @Test
    void anUnwritableCacheOnlyCostsTheInflating() throws IOException {
        byte[] plain = IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {1, 2, 3}, IdxTest.ramp(6));
        Path file = gz("images.gz", plain);
        Path notADirectory = dir.resolve("blocker");
        Files.writeString(notADirectory, "a file where the cache directory would be");
        assertArrayEquals(plain, InflatedCache.read(file, notADirectory.resolve("inflated")));
        assertArrayEquals(plain, InflatedCache.read(file, null));
    }

    @Test
    void idxReadersGoThroughTheCache() throws IOException {
        byte[] plain = IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {2, 2, 3}, IdxTest.ramp(12));
        Path file = gz("train-images-idx3-ubyte.gz", plain);
        Tensor first = Idx.readImages(file);
        Path defaultDir = InflatedCache.defaultDirectory();
        assertTrue(defaultDir != null && defaultDir.startsWith(Path.of("target").toAbsolutePath()),
                "the build sets FATHOM_CACHE_DIR to the build directory, got " + defaultDir);
        Path copy = InflatedCache.copy(file, Files.readAttributes(file, BasicFileAttributes.class), defaultDir);
        assertArrayEquals(plain, Files.readAllBytes(copy));
        assertArrayEquals(first.toFloatArray(), Idx.readImages(file).toFloatArray());
        assertArrayEquals(new float[] {0, 37, 74}, java.util.Arrays.copyOf(first.toFloatArray(), 3));
    }

    @Test
    void theDirectoryFollowsTheEnvironment() {
        assertEquals(Path.of("/c/inflated"), InflatedCache.directory(Map.of("FATHOM_CACHE_DIR", "/c", "XDG_CACHE_HOME", "/x"), "/h"));
        assertEquals(Path.of("/x/fathom/inflated"), InflatedCache.directory(Map.of("XDG_CACHE_HOME", "/x"), "/h"));
        assertEquals(Path.of("/h/.cache/fathom/inflated"), InflatedCache.directory(Map.of(), "/h"));
        assertEquals(Path.of("/h/.cache/fathom/inflated"), InflatedCache.directory(Map.of("FATHOM_CACHE_DIR", "", "XDG_CACHE_HOME", ""), "/h"));
        assertNull(InflatedCache.directory(Map.of("FATHOM_CACHE_DIR", "off"), "/h"));
    }
}
