package fathom.data.text;

import fathom.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Public-domain English texts that Debian packages install, for training language models without
 * downloading anything: {@link #load(Source)} returns the whole text, or a {@link CorpusNotInstalledException}
 * naming the package to install. {@link #read(Path)} reads any UTF-8 text file (gzipped when it ends in .gz).
 */
public final class TextCorpus {
    /** The texts, with the Debian package and file each comes from. */
    public enum Source {
        /** The Jargon File 4.4.7 (Eric S. Raymond, public domain), about 1.7 MB of plain text, from {@code jargon-text}. */
        JARGON_FILE("The Jargon File", "jargon-text", Path.of("/usr/share/doc/jargon-text/jargon.txt.gz")),
        /**
         * The King James Bible (1611, public domain), about 4.3 MB, from {@code bible-kjv-text}; the package
         * stores it compressed in its own format, which the {@code bible} program of {@code bible-kjv} reads.
         * Loaded as chapter headings ("Genesis 1") and one verse per line, without verse numbers.
         */
        KING_JAMES_BIBLE("The King James Bible", "bible-kjv-text", Path.of("/usr/lib/bible.data"));

        private final String title;
        private final String debianPackage;
        private final Path file;

        Source(String title, String debianPackage, Path file) {
            this.title = title;
            this.debianPackage = debianPackage;
            this.file = file;
        }

        public String title() {
            return title;
        }

        /** The Debian package that installs it. */
        public String debianPackage() {
            return debianPackage;
        }

        /** Where the package puts it. */
        public Path file() {
            return file;
        }
    }

    /** The program of Debian's {@code bible-kjv} package that reads {@code bible-kjv-text}'s data. */
    static final Path BIBLE_PROGRAM = Path.of("/usr/bin/bible");

    private TextCorpus() {}

    /** Whether {@code source} can be loaded on this machine. */
    public static boolean installed(Source source) {
        return Files.isRegularFile(source.file()) && (source != Source.KING_JAMES_BIBLE || Files.isExecutable(BIBLE_PROGRAM));
    }

    /** The whole text of {@code source}. */
    public static String load(Source source) throws IOException {
        return load(source, source.file(), BIBLE_PROGRAM);
    }

    static String load(Source source, Path file, Path bibleProgram) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CorpusNotInstalledException(source.title(), file, source.debianPackage());
        }
        return switch (source) {
            case JARGON_FILE -> read(file);
            case KING_JAMES_BIBLE -> {
                if (!Files.isExecutable(bibleProgram)) {
                    throw new CorpusNotInstalledException("The bible program that reads " + file, bibleProgram, "bible-kjv");
                }
                yield kingJames(bibleProgram, file);
            }
        };
    }

    /** The text of a UTF-8 file, gunzipped first when its name ends in .gz; bytes that are not UTF-8 are a {@link DataFormatException}. */
    public static String read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file.toString(), "not valid UTF-8 text", e);
        }
    }

    /** Every verse, through the bible program (its data file given explicitly), with the verse numbers stripped. */
    private static String kingJames(Path program, Path data) throws IOException {
        Path dir = data.toAbsolutePath().getParent();
        Process p = new ProcessBuilder(program.toString(), "-p", dir.toString(), "-d", data.getFileName().toString(), "-l100000", "gen1:1-rev22:21")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new DataFormatException(data.toString(), program + " failed to print the text: " + out.lines().limit(3).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + data, e);
        }
        StringBuilder text = new StringBuilder(out.length());
        for (String line : out.split("\n", -1)) {
            // "  12 And God said ...": drop the verse number; chapter headings and blank lines stay
            String stripped = line.stripLeading();
            int space = stripped.indexOf(' ');
            boolean verse = line.startsWith(" ") && space > 0 && stripped.substring(0, space).chars().allMatch(Character::isDigit);
            text.append(verse ? stripped.substring(space + 1) : line).append('\n');
        }
        String s = text.toString().strip();
        if (!s.startsWith("Genesis 1")) {
            throw new DataFormatException(data.toString(), program + " printed something other than the text: " + s.lines().limit(3).toList());
        }
        return s + "\n";
    }
}
