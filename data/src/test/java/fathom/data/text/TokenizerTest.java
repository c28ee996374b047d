package fathom.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Tensor;
import fathom.data.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Character and byte-level BPE tokenizers: vocabularies, round trips of any Unicode text, errors, and their JSON files. */
class TokenizerTest {
    @TempDir
    Path dir;

    static String sample() throws IOException {
        try (InputStream in = TokenizerTest.class.getResourceAsStream("jargon-sample.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Texts a byte-level tokenizer must round-trip although its corpus never saw them. */
    static List<String> unusualTexts() {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            int cp;
            do {
                cp = rnd.nextInt(0x110000);
            } while (cp >= 0xD800 && cp <= 0xDFFF);
            random.appendCodePoint(cp);
        }
        return List.of("", " ", "\n\n\t  x", "naïve café — 東京 🚀🚀 e\u0301 ﬁ", "λx.x ∘ ⊕ ⊗ 〈a〉", "\u0000\u0001\u007f",
                "it's can't we'll THEY'RE 123 4.5e-6", "  many    spaces\r\n", random.toString());
    }

    @Test
    void charTokenizerCoversItsCorpusAndNamesUnknownCharacters() throws IOException {
        String text = sample();
        CharTokenizer t = CharTokenizer.fromText(text);
        assertEquals(text.codePoints().distinct().count(), t.vocabSize());
        int[] ids = t.encode(text);
        assertEquals(text.codePointCount(0, text.length()), ids.length);
        assertEquals(text, t.decode(ids));
        for (int i = 1; i < t.vocabSize(); i++) {
            assertTrue(t.symbol(i - 1).codePointAt(0) < t.symbol(i).codePointAt(0), "ids follow code-point order");
        }
        CharTokenizer emoji = CharTokenizer.fromText("a🚀b");
        assertArrayEquals(new int[] {0, 1, 2, 0}, emoji.encode("ab🚀a"), "a character outside the BMP is one token");
        String msg = assertThrows(IllegalArgumentException.class, () -> t.encode("hacker 🚀")).getMessage();
        assertTrue(msg.contains("U+1F680") && msg.contains("index 7"), msg);
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {0, t.vocabSize()}));
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fromText(""));
        Tensor tensor = t.encodeTensor("hacker");
        assertEquals(fathom.DType.INT64, tensor.dtype());
        assertArrayEquals(java.util.Arrays.stream(t.encode("hacker")).asLongStream().toArray(), tensor.toLongArray());
    }

    @Test
    void bpeLearnsMergesWithinChunksAndRoundTripsAnyText() throws IOException {
        String text = sample();
        BpeTokenizer t = BpeTokenizer.train(text, 400);
        assertEquals(400, t.vocabSize());
        int[] ids = t.encode(text);
        assertEquals(text, t.decode(ids));
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(ids.length < 0.6 * bytes, ids.length + " tokens for " + bytes + " bytes");
        for (String s : unusualTexts()) {
            assertEquals(s, t.decode(t.encode(s)));
        }
        for (int id = 256; id < t.vocabSize(); id++) {
            String piece = new String(t.tokenBytes(id), StandardCharsets.ISO_8859_1);
            assertTrue(!piece.matches("(?s).*[A-Za-z] .*"), "merges stay inside a chunk: no token holds a letter then a space, got \"" + piece + "\"");
        }
        assertEquals(t, BpeTokenizer.train(text, 400), "training is deterministic");
        assertTrue(BpeTokenizer.train("ab ab", 1000).vocabSize() < 1000, "merges stop when no pair occurs twice");
        String msg = assertThrows(IllegalArgumentException.class, () -> t.encode("bad \uD800 surrogate")).getMessage();
        assertTrue(msg.contains("U+D800"), msg);
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {400}));
        assertThrows(IllegalArgumentException.class, () -> BpeTokenizer.train(text, 255));
    }

    @Test
    void savedFilesLoadBackEqualAndAreWrittenAtomically() throws IOException {
        String text = sample();
        Path charFile = dir.resolve("sub/char.json");
        Path bpeFile = dir.resolve("bpe.json");
        CharTokenizer c = CharTokenizer.fromText(text);
        BpeTokenizer b = BpeTokenizer.train(text, 300);
        c.save(charFile);
        b.save(bpeFile);
        assertEquals(c, Tokenizer.load(charFile));
        Tokenizer loaded = Tokenizer.load(bpeFile);
        assertEquals(b, loaded);
        assertArrayEquals(b.encode(text), loaded.encode(text));
        String json = Files.readString(bpeFile);
        assertTrue(json.startsWith("{\"type\":\"byte-bpe\",\"version\":1,"), json.substring(0, 60));
        // saving again replaces the file and leaves no temporary file behind
        b.save(bpeFile);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("bpe.json", "sub"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertNotEquals(c, CharTokenizer.fromText("abc"));
    }

    @Test
    void malformedFilesAreNamedErrors() throws IOException {
        Path f = dir.resolve("t.json");
        for (String bad : List.of("[1, 2]", "{\"version\": 1}", "{\"type\": \"wordpiece\", \"version\": 1}", "{\"type\": \"char\", \"version\": 2}",
                "{\"type\": \"char\", \"version\": 1, \"symbols\": \"ba\"}", "{\"type\": \"byte-bpe\", \"version\": 1, \"pattern\": \"x\", \"merges\": [[1, 300]]}",
                "{\"type\": \"byte-bpe\", \"version\": 1, \"pattern\": \"x\", \"merges\": [[1, 2, 3]]}", "{\"type\": \"char\",")) {
            Files.writeString(f, bad);
            DataFormatException e = assertThrows(DataFormatException.class, () -> Tokenizer.load(f), bad);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }
}
