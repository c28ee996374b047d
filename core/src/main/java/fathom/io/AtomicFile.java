package fathom.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a whole file or nothing, the one way Fathom writes files: into a temporary file beside the
 * target, forced to disk, then renamed over the target. A reader (or a run that crashed mid-write)
 * never sees half a file; the temporary file is deleted when writing fails.
 */
public final class AtomicFile {
    private static final AtomicLong COUNT = new AtomicLong();

    private AtomicFile() {}

    /** Writes the temporary file whose path it is given (it does not exist yet). */
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Lets {@code writer} write a temporary file beside {@code target}, then renames it over {@code target}. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a name of our own rather than createTempFile, whose owner-only permissions would stick to the result
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet() + ".tmp");
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code bytes} as the whole of {@code target}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /** Writes {@code text} in UTF-8 as the whole of {@code target}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
