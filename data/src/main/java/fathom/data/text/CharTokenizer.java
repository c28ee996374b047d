package fathom.data.text;

import fathom.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One id per character (Unicode code point, so an emoji is one token, not two UTF-16 halves): id i is
 * the i-th distinct character of the corpus in code-point order, as a character-level language model
 * (char-RNN) uses. {@code decode(encode(text))} is the text for any text made of the vocabulary's
 * characters; another character is an {@link IllegalArgumentException} naming it and its position.
 */
public final class CharTokenizer implements Tokenizer {
    static final String TYPE = "char";
    private final int[] codePoints;

    private CharTokenizer(int[] sortedDistinct) {
        this.codePoints = sortedDistinct;
    }

    /** The tokenizer of every distinct character in {@code corpus}. */
    public static CharTokenizer fromText(String corpus) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("CharTokenizer: the corpus is empty, so there is no vocabulary");
        }
        return new CharTokenizer(corpus.codePoints().distinct().sorted().toArray());
    }

    static CharTokenizer fromFile(TokenizerFile.Contents c, Path file) throws DataFormatException {
        if (c.symbols() == null || c.symbols().isEmpty()) {
            throw new DataFormatException(file.toString(), "a char tokenizer needs a non-empty \"symbols\" string");
        }
        int[] cps = c.symbols().codePoints().toArray();
        for (int i = 1; i < cps.length; i++) {
            if (cps[i] <= cps[i - 1]) {
                throw new DataFormatException(file.toString(), "the symbols must be distinct and in code-point order; symbol " + i + " is not");
            }
        }
        return new CharTokenizer(cps);
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.codePointCount(0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int id = Arrays.binarySearch(codePoints, cp);
            if (id < 0) {
                throw new IllegalArgumentException("CharTokenizer: character " + describe(cp) + " at index " + i
                        + " is not among the " + codePoints.length + " characters of the vocabulary");
            }
            out[n++] = id;
            i += Character.charCount(cp);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= codePoints.length) {
                throw new IllegalArgumentException("CharTokenizer: id " + ids[i] + " at position " + i + " is outside the vocabulary [0, "
                        + codePoints.length + ")");
            }
            sb.appendCodePoint(codePoints[ids[i]]);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    /** The character of id {@code id}, as a string. */
    public String symbol(int id) {
        return Character.toString(codePoints[id]);
    }

    @Override
    public void save(Path file) throws IOException {
        TokenizerFile.write(file, new TokenizerFile.Contents(TYPE, new String(codePoints, 0, codePoints.length), null, null));
    }

    private static String describe(int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + Character.toString(cp) + "' ";
        return shown + String.format("(U+%04X)", cp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharTokenizer c && Arrays.equals(codePoints, c.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "CharTokenizer(" + codePoints.length + " characters)";
    }
}
