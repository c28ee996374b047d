package fathom.cli;

import picocli.CommandLine.Option;

/**
 * The options {@code fathom train} takes for a language model ({@code --text}); the shared ones
 * (model, optimizer, learning rate, batch size, epochs, seed, output, resume) stay on {@link TrainCommand}.
 */
final class TextOptions {
    @Option(names = "--text", description = "Train a language model (--model char-lstm, the default here, or gpt) on this text: a UTF-8 file (.gz allowed), jargon or bible.")
    String text;

    @Option(names = "--tokenizer", defaultValue = "char", description = "char or bpe, for --text (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--vocab-size", defaultValue = "512", description = "BPE vocabulary size, for --tokenizer bpe (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--seq-len", defaultValue = "64", description = "Tokens per training window, for --text; GPT's context length (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--steps", description = "Optimizer steps, for --text (default: --epochs passes over the training tokens).")
    Integer steps;

    @Option(names = "--layers", description = "LSTM layers or GPT blocks, for --text (default: the recipe's, 1 or 4).")
    Integer layers;

    @Option(names = "--heads", description = "Attention heads, for --text --model gpt (default: 4; --width must be a multiple).")
    Integer heads;

    @Option(names = "--dropout", description = "Dropout between LSTM layers or in the GPT's blocks, for --text (default: 0).")
    Double dropout;

    @Option(names = "--eval-every", defaultValue = "500", description = "Validate (on up to 20 batches) and checkpoint every this many steps, for --text (default: ${DEFAULT-VALUE}).")
    int evalEvery;
}
