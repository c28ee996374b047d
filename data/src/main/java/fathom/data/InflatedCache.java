package fathom.data;

import fathom.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.Map;

/**
 * Keeps an inflated copy of each gzip data file read, so that the next run reads plain bytes instead of
 * inflating them again, as torchvision keeps the extracted files of MNIST next to the downloaded
 * archives.
 *
 * <p>Why: inflating Fashion-MNIST's 26 MB of training images takes 200-270 ms on the main thread of
 * this 2-core machine, the largest single piece of the time from the JVM's start to the first trained
 * batch; reading the 47 MB copy from the page cache takes about 20 ms.
 *
 * <p>The copies live in {@code $FATHOM_CACHE_DIR}, else {@code $XDG_CACHE_HOME/fathom}, else
 * {@code ~/.cache/fathom}, under {@code inflated/}; {@code FATHOM_CACHE_DIR=off} turns the cache off. A
 * copy's name holds a hash of the source's absolute path, size and modification time, so a changed
 * source is inflated afresh; a copy is used only when its length matches the gzip trailer's, and it is
 * written whole or not at all (a temporary file, then a rename). The cache only ever saves time: when
 * its directory cannot be written, the file is inflated as if there were none.
 */
final class InflatedCache {
    /** The environment variable naming the cache directory, or {@code off}. */
    static final String ENV = "FATHOM_CACHE_DIR";

    private InflatedCache() {}

    /** The bytes of {@code file}, inflated when it is gzip, through the default cache directory. */
    static byte[] read(Path file) throws IOException {
        return read(file, defaultDirectory());
    }

    /** The bytes of {@code file}, inflated when it is gzip, through the copies in {@code dir} (none when null). */
    static byte[] read(Path file, Path dir) throws IOException {
        if (dir == null) {
            return Gzip.inflateIfGzip(Files.readAllBytes(file), file.toString());
        }
        BasicFileAttributes source = Files.readAttributes(file, BasicFileAttributes.class);
        Path copy = copy(file, source, dir);
        if (Files.isRegularFile(copy) && Files.size(copy) % (1L << 32) == trailerSize(file, source.size())) {
            return Files.readAllBytes(copy);
        }
        byte[] raw = Files.readAllBytes(file);
        if (!Gzip.isGzip(raw)) {
            return raw;
        }
        byte[] inflated = Gzip.inflateIfGzip(raw, file.toString());
        try {
            AtomicFile.write(copy, inflated);
        } catch (IOException e) {
            // a read-only home or a full disk: the next run inflates again
        }
        return inflated;
    }

    /** The cache directory this process uses: see {@link #directory(Map, String)}. */
    static Path defaultDirectory() {
        return directory(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * {@code $FATHOM_CACHE_DIR/inflated}, else {@code $XDG_CACHE_HOME/fathom/inflated}, else
     * {@code home/.cache/fathom/inflated}; null (no cache) when {@code FATHOM_CACHE_DIR} is {@code off}.
     */
    static Path directory(Map<String, String> env, String home) {
        String own = env.getOrDefault(ENV, "");
        if (own.equals("off")) {
            return null;
        }
        String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
        Path root = !own.isEmpty() ? Path.of(own) : !xdg.isEmpty() ? Path.of(xdg, "fathom") : Path.of(home, ".cache", "fathom");
        return root.resolve("inflated");
    }

    /** The inflated size mod 2^32 that a gzip file's last four bytes state, or -1 when the file is too short to have them. */
    private static long trailerSize(Path file, long size) throws IOException {
        if (size < 18) {
            return -1;
        }
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b, size - 4 + b.position()) >= 0) {
                // a positional read may return fewer bytes
            }
            return b.flip().remaining() == 4 ? b.getInt() & 0xffffffffL : -1;
        }
    }

    /** Where the inflated copy of {@code file}, as it is now, lives in {@code dir}. */
    static Path copy(Path file, BasicFileAttributes source, Path dir) {
        return dir.resolve(file.getFileName() + "." + key(file, source) + ".inflated");
    }

    /** A 64-bit FNV-1a hash of the source's absolute path, size and modification time, in hex (no message digest: its providers load slowly at start-up). */
    private static String key(Path file, BasicFileAttributes source) {
        String id = file.toAbsolutePath().normalize() + "\n" + source.size() + "\n" + source.lastModifiedTime().toMillis();
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return HexFormat.of().toHexDigits(h);
    }
}
