package fathom.data.text;

import fathom.data.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding, as GPT-2's tokenizer: the text's UTF-8 bytes are ids 0..255, and each
 * learned merge (a, b) → 256 + k joins an adjacent pair of ids into one. Any text round-trips
 * ({@code decode(encode(text))} is the text) because every byte has an id; no text is unknown.
 *
 * <p>The text is first split into chunks by GPT-2's pattern (contractions, words and numbers with their
 * leading space, runs of other symbols, whitespace), and merges never cross a chunk. {@link #train}
 * learns merges from a corpus: repeatedly the most frequent adjacent pair (ties to the smaller pair of
 * ids, so training is deterministic), until the vocabulary has the requested size or no pair occurs
 * twice. Encoding applies the merges in the order they were learned, as GPT-2 does. Encoded chunks are
 * cached, so a tokenizer used on a large text holds its distinct words in memory.
 */
public final class BpeTokenizer implements Tokenizer {
    static final String TYPE = "byte-bpe";
    /** GPT-2's pre-tokenization pattern. */
    public static final String GPT2_PATTERN = "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final Pattern pattern;
    private final int[][] merges;
    /** Merge rank by pair key {@code a << 32 | b}. */
    private final Map<Long, Integer> ranks = new HashMap<>();
    /** The bytes each id stands for. */
    private final byte[][] bytes;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeTokenizer(String pattern, int[][] merges) {
        this.pattern = Pattern.compile(pattern);
        this.merges = merges;
        bytes = new byte[256 + merges.length][];
        for (int b = 0; b < 256; b++) {
            bytes[b] = new byte[] {(byte) b};
        }
        for (int k = 0; k < merges.length; k++) {
            int a = merges[k][0];
            int b = merges[k][1];
            if (a < 0 || b < 0 || a >= 256 + k || b >= 256 + k) {
                throw new IllegalArgumentException("merge " + k + " joins ids " + a + " and " + b + ", but only ids below " + (256 + k) + " exist then");
            }
            if (ranks.putIfAbsent(key(a, b), k) != null) {
                throw new IllegalArgumentException("merge " + k + " repeats the pair (" + a + ", " + b + ")");
            }
            byte[] joined = Arrays.copyOf(bytes[a], bytes[a].length + bytes[b].length);
            System.arraycopy(bytes[b], 0, joined, bytes[a].length, bytes[b].length);
            bytes[256 + k] = joined;
        }
    }

    private static long key(int a, int b) {
        return (long) a << 32 | (b & 0xffffffffL);
    }

    /** Learns merges from {@code corpus} until the vocabulary holds {@code vocabSize} ids (at least 256, the bytes) or no pair occurs twice. */
    public static BpeTokenizer train(String corpus, int vocabSize) {
        if (vocabSize < 256) {
            throw new IllegalArgumentException("BpeTokenizer: vocabSize must be at least 256 (one id per byte), got " + vocabSize);
        }
        Pattern p = Pattern.compile(GPT2_PATTERN);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher m = p.matcher(corpus);
        while (m.find()) {
            counts.merge(m.group(), 1, Integer::sum);
        }
        return new BpeTokenizer(GPT2_PATTERN, new MergeLearner(counts).learn(vocabSize - 256));
    }

    static BpeTokenizer fromFile(TokenizerFile.Contents c, Path file) throws DataFormatException {
        if (c.pattern() == null || c.merges() == null) {
            throw new DataFormatException(file.toString(), "a byte-bpe tokenizer needs \"pattern\" and \"merges\"");
        }
        try {
            return new BpeTokenizer(c.pattern(), c.merges());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        Matcher m = pattern.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                // the pattern covers every character; a custom one might not: the gap is its own chunk
                int[] gap = chunk(text.substring(end, m.start()));
                parts.add(gap);
                total += gap.length;
            }
            int[] ids = chunk(m.group());
            parts.add(ids);
            total += ids.length;
            end = m.end();
        }
        if (end != text.length()) {
            int[] tail = chunk(text.substring(end));
            parts.add(tail);
            total += tail.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    /** The ids of one chunk: its UTF-8 bytes, with the lowest-ranked mergeable pair merged until none is left. */
    private int[] chunk(String s) {
        int[] cached = cache.get(s);
        if (cached != null) {
            return cached;
        }
        byte[] utf8 = utf8(s);
        int[] ids = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            ids[i] = utf8[i] & 0xff;
        }
        int n = ids.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Integer r = ranks.get(key(ids[i], ids[i + 1]));
                if (r != null && r < best) {
                    best = r;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            int a = merges[best][0];
            int b = merges[best][1];
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && ids[i] == a && ids[i + 1] == b) {
                    ids[w++] = 256 + best;
                    i++;
                } else {
                    ids[w++] = ids[i];
                }
            }
            n = w;
        }
        int[] result = Arrays.copyOf(ids, n);
        cache.put(s, result);
        return result;
    }

    /** Strict UTF-8: an unpaired surrogate (a Java string that is not valid Unicode) is named, not replaced by '?'. */
    private static byte[] utf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format("BpeTokenizer: unpaired surrogate U+%04X in \"%s\": not valid Unicode, so it has no UTF-8 bytes", (int) c, s));
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of the ids' bytes; bytes that do not form valid UTF-8 (a prefix of a longer text's ids, say) decode to U+FFFD. */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 3);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= bytes.length) {
                throw new IllegalArgumentException("BpeTokenizer: id " + ids[i] + " at position " + i + " is outside the vocabulary [0, " + bytes.length + ")");
            }
            out.writeBytes(bytes[ids[i]]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return bytes.length;
    }

    /** The bytes id {@code id} stands for (a copy). */
    public byte[] tokenBytes(int id) {
        return bytes[id].clone();
    }

    /** The learned merges in order: merge k joins ids {@code merges()[k][0]} and {@code [1]} into id 256 + k. */
    public int[][] merges() {
        int[][] copy = new int[merges.length][];
        for (int k = 0; k < merges.length; k++) {
            copy[k] = merges[k].clone();
        }
        return copy;
    }

    @Override
    public void save(Path file) throws IOException {
        TokenizerFile.write(file, new TokenizerFile.Contents(TYPE, null, pattern.pattern(), merges));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpeTokenizer b && b.pattern.pattern().equals(pattern.pattern()) && Arrays.deepEquals(merges, b.merges);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(merges);
    }

    @Override
    public String toString() {
        return "BpeTokenizer(" + bytes.length + " ids, " + merges.length + " merges)";
    }

    /**
     * Learns merges over the distinct chunks of a corpus, each weighted by its count. Pair counts and
     * the chunks each pair occurs in are kept up to date as merges apply, so a merge costs time in
     * proportion to the chunks it touches, not to the corpus.
     */
    private static final class MergeLearner {
        private final int[][] words;
        private final int[] freq;
        private final Map<Long, Long> pairCount = new HashMap<>();
        private final Map<Long, Set<Integer>> pairWords = new HashMap<>();

        MergeLearner(Map<String, Integer> counts) {
            words = new int[counts.size()][];
            freq = new int[counts.size()];
            int w = 0;
            for (var e : counts.entrySet()) {
                byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
                int[] ids = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    ids[i] = b[i] & 0xff;
                }
                words[w] = ids;
                freq[w] = e.getValue();
                add(w, 1);
                w++;
            }
        }

        /** Adds (sign 1) or removes (sign −1) word w's pairs from the counts. */
        private void add(int w, int sign) {
            int[] ids = words[w];
            for (int i = 0; i + 1 < ids.length; i++) {
                long k = key(ids[i], ids[i + 1]);
                pairCount.merge(k, (long) sign * freq[w], Long::sum);
                if (sign > 0) {
                    pairWords.computeIfAbsent(k, x -> new HashSet<>()).add(w);
                }
            }
        }

        int[][] learn(int count) {
            List<int[]> out = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                long best = 0;
                long bestCount = 1;
                for (var e : pairCount.entrySet()) {
                    long c = e.getValue();
                    if (c > bestCount || c == bestCount && c > 1 && e.getKey() < best) {
                        best = e.getKey();
                        bestCount = c;
                    }
                }
                if (bestCount < 2) {
                    break;
                }
                int a = (int) (best >>> 32);
                int b = (int) best;
                int merged = 256 + k;
                for (int w : new ArrayList<>(pairWords.getOrDefault(best, Set.of()))) {
                    add(w, -1);
                    words[w] = apply(words[w], a, b, merged);
                    add(w, 1);
                }
                pairCount.remove(best);
                pairWords.remove(best);
                pairCount.values().removeIf(c -> c == 0);
                out.add(new int[] {a, b});
            }
            return out.toArray(new int[0][]);
        }

        private static int[] apply(int[] ids, int a, int b, int merged) {
            int[] out = new int[ids.length];
            int n = 0;
            for (int i = 0; i < ids.length; i++) {
                if (i + 1 < ids.length && ids[i] == a && ids[i + 1] == b) {
                    out[n++] = merged;
                    i++;
                } else {
                    out[n++] = ids[i];
                }
            }
            return Arrays.copyOf(out, n);
        }
    }
}
