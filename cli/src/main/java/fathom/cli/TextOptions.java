package fathom.cli;

/**
 * The options {@code fathom train} takes for a language model ({@code --text}); the shared ones
 * (model, optimizer, learning rate, batch size, epochs, seed, output, resume) stay on {@link TrainCommand}.
 */
final class TextOptions {
    String text;
    String tokenizer;
    int vocabSize;
    int seqLen;
    Integer steps;
    Integer layers;
    Integer heads;
    Double dropout;
    int evalEvery;

    /** Declares these options on {@code fathom train}'s. */
    void declare(Options o) {
        o.option("--text", null, "Train a language model (--model char-lstm, the default here, or gpt) on this text: a UTF-8 file (.gz allowed), jargon or bible.", Options.TEXT, v -> text = v);
        o.option("--tokenizer", "char", "char or bpe, for --text", Options.TEXT, v -> tokenizer = v);
        o.option("--vocab-size", "512", "BPE vocabulary size, for --tokenizer bpe", Options.INT, v -> vocabSize = v);
        o.option("--seq-len", "64", "Tokens per training window, for --text; GPT's context length", Options.INT, v -> seqLen = v);
        o.option("--steps", null, "Optimizer steps, for --text (default: --epochs passes over the training tokens).", Options.INT, v -> steps = v);
        o.option("--layers", null, "LSTM layers or GPT blocks, for --text (default: the recipe's, 1 or 4).", Options.INT, v -> layers = v);
        o.option("--heads", null, "Attention heads, for --text --model gpt (default: 4; --width must be a multiple).", Options.INT, v -> heads = v);
        o.option("--dropout", null, "Dropout between LSTM layers or in the GPT's blocks, for --text (default: 0).", Options.NUMBER, v -> dropout = v);
        o.option("--eval-every", "500", "Validate (on up to 20 batches) and checkpoint every this many steps, for --text", Options.INT, v -> evalEvery = v);
    }
}
