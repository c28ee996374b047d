package fathom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAWholeFileAndReplacesTheOldOne() throws IOException {
        Path f = dir.resolve("sub/out.txt");
        AtomicFile.writeString(f, "first");
        AtomicFile.writeString(f, "second");
        assertEquals("second", Files.readString(f));
        AtomicFile.write(f, new byte[] {1, 2, 3});
        assertEquals(3, Files.size(f));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("model.bin");
        AtomicFile.writeString(f, "old");
        IOException boom = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFile.write(f, tmp -> {
            Files.writeString(tmp, "half of the new");
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("model.bin"), names());
    }
}
