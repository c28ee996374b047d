package fathom.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fathom.data.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Debian text corpora: a missing package is a typed error naming it; installed ones load (checked where installed). */
class TextCorpusTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileNamesThePackageToInstall() {
        Path nowhere = dir.resolve("jargon.txt.gz");
        CorpusNotInstalledException e = assertThrows(CorpusNotInstalledException.class,
                () -> TextCorpus.load(TextCorpus.Source.JARGON_FILE, nowhere, TextCorpus.BIBLE_PROGRAM));
        assertEquals("jargon-text", e.debianPackage());
        assertEquals(nowhere, e.file());
        assertTrue(e.getMessage().contains("apt-get install jargon-text") && e.getMessage().contains(nowhere.toString()), e.getMessage());
        e = assertThrows(CorpusNotInstalledException.class,
                () -> TextCorpus.load(TextCorpus.Source.KING_JAMES_BIBLE, dir.resolve("bible.data"), TextCorpus.BIBLE_PROGRAM));
        assertEquals("bible-kjv-text", e.debianPackage());
    }

    @Test
    void theBibleNeedsItsProgramToo() throws IOException {
        Path data = Files.writeString(dir.resolve("bible.data"), "x");
        CorpusNotInstalledException e = assertThrows(CorpusNotInstalledException.class,
                () -> TextCorpus.load(TextCorpus.Source.KING_JAMES_BIBLE, data, dir.resolve("no-bible")));
        assertEquals("bible-kjv", e.debianPackage());
    }

    @Test
    void readsPlainAndGzippedUtf8AndRejectsOtherBytes() throws IOException {
        String text = "naïve “quotes” 🚀\n";
        Path plain = Files.writeString(dir.resolve("a.txt"), text);
        Path gz = dir.resolve("a.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(text, TextCorpus.read(plain));
        assertEquals(text, TextCorpus.read(gz));
        Path latin1 = Files.write(dir.resolve("b.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        assertThrows(DataFormatException.class, () -> TextCorpus.read(latin1));
    }

    @Test
    void theJargonFileLoadsWhenInstalled() throws IOException {
        assumeTrue(TextCorpus.installed(TextCorpus.Source.JARGON_FILE), "jargon-text is not installed");
        String text = TextCorpus.load(TextCorpus.Source.JARGON_FILE);
        assertTrue(text.length() > 1_000_000, "about 1.7 MB, got " + text.length());
        assertTrue(text.contains("This document (the Jargon File) is in the public domain"));
    }

    @Test
    void theKingJamesBibleLoadsWhenInstalled() throws IOException {
        assumeTrue(TextCorpus.installed(TextCorpus.Source.KING_JAMES_BIBLE), "bible-kjv-text and bible-kjv are not installed");
        String text = TextCorpus.load(TextCorpus.Source.KING_JAMES_BIBLE);
        assertTrue(text.startsWith("Genesis 1\n\nIn the beginning God created the heaven and the earth.\n"), text.substring(0, 100));
        assertTrue(text.strip().endsWith("The grace of our Lord Jesus Christ be with you all. Amen."));
        assertEquals(31102, text.lines().filter(l -> !l.isBlank() && !l.matches("[1-3]? ?[A-Z][A-Za-z ]+ \\d+")).count(), "one line per verse");
    }
}
