package fathom.data.text;

import fathom.Tensor;
import fathom.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Text to token ids and back: {@code decode(encode(text))} gives the text again for every text the
 * tokenizer accepts. Ids lie in {@code [0, vocabSize())}.
 *
 * <p>Tokenizers are immutable and safe to share between threads. {@link #save} writes a small JSON file
 * (atomically: a temporary file, then a rename) that {@link #load} reads back into an equal tokenizer.
 */
public sealed interface Tokenizer permits CharTokenizer, BpeTokenizer {
    /** The token ids of {@code text}; a text the tokenizer cannot represent throws {@link IllegalArgumentException} naming the first problem. */
    int[] encode(String text);

    /** The text of {@code ids}; an id outside the vocabulary throws {@link IllegalArgumentException}. */
    String decode(int[] ids);

    /** The number of distinct ids. */
    int vocabSize();

    /** Writes this tokenizer as JSON to {@code file}, atomically. */
    void save(Path file) throws IOException;

    /** The ids of {@code text} as an int64 tensor [N], ready for {@link Tensor#embedding} and the datasets. */
    default Tensor encodeTensor(String text) {
        return Tensors.of(Arrays.stream(encode(text)).asLongStream().toArray());
    }

    /** The tokenizer saved in {@code file} by {@link #save}, of whichever kind it is. */
    static Tokenizer load(Path file) throws IOException {
        TokenizerFile.Contents c = TokenizerFile.read(file);
        return switch (c.type()) {
            case CharTokenizer.TYPE -> CharTokenizer.fromFile(c, file);
            case BpeTokenizer.TYPE -> BpeTokenizer.fromFile(c, file);
            default -> throw new fathom.data.DataFormatException(file.toString(), "unknown tokenizer type \"" + c.type()
                    + "\" (expected \"" + CharTokenizer.TYPE + "\" or \"" + BpeTokenizer.TYPE + "\")");
        };
    }
}
