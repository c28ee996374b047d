package fathom.cli;

import fathom.Rng;
import fathom.data.text.Tokenizer;
import fathom.io.Safetensors;
import fathom.models.CharLstm;
import fathom.models.Gpt;
import fathom.nn.Module;
import fathom.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A language model {@code fathom train --text} builds, as recorded in its checkpoint's metadata so that
 * {@code fathom sample} rebuilds it: the family ({@code char-lstm}: {@link CharLstm.Config#standard};
 * {@code gpt}: {@link Gpt.Config#small} with the context length set to the training window), the
 * vocabulary size and the window.
 */
record TextModel(String family, int vocabSize, int seqLen) {
    static final List<String> FAMILIES = List.of("char-lstm", "gpt");

    TextModel {
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("--text trains a language model: --model must be one of " + String.join(", ", FAMILIES)
                    + ", got '" + family + "'");
        }
        if (seqLen < 1) {
            throw new IllegalArgumentException("--seq-len must be at least 1, got " + seqLen);
        }
    }

    /** A freshly initialized model. */
    Module create(Rng rng) {
        return switch (family) {
            case "char-lstm" -> new CharLstm(CharLstm.Config.standard(vocabSize), rng);
            case "gpt" -> {
                Gpt.Config s = Gpt.Config.small(vocabSize);
                yield new Gpt(new Gpt.Config(vocabSize, seqLen, s.layers(), s.dModel(), s.heads(), s.ff(), s.dropout()), rng);
            }
            default -> throw new IllegalStateException(family);
        };
    }

    /** The recipe's optimizer when the command line names none: char-LSTM Adam, GPT AdamW. */
    String defaultOptimizer() {
        return family.equals("gpt") ? "adamw" : "adam";
    }

    /** The recipe's learning rate: char-LSTM 2e-3, GPT 1e-3. */
    double defaultLr() {
        return family.equals("gpt") ? 1e-3 : 2e-3;
    }

    String describe() {
        return switch (family) {
            case "char-lstm" -> "char-lstm (Embedding(" + vocabSize + ", 64), LSTM 256, Linear(256, " + vocabSize + "))";
            default -> "gpt (4 layers, d_model 128, 4 heads, ff 512, context " + seqLen + ", vocab " + vocabSize + ")";
        };
    }

    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", family);
        m.put("vocab_size", Integer.toString(vocabSize));
        m.put("seq_len", Integer.toString(seqLen));
        m.put("task", "language-model");
        return m;
    }

    static TextModel fromMetadata(Map<String, String> m) {
        if (!"language-model".equals(m.get("task"))) {
            throw new IllegalArgumentException("the run is not a language model (trained without --text): its model is '" + m.get("model") + "'");
        }
        return new TextModel(m.get("model"), Integer.parseInt(m.get("vocab_size")), Integer.parseInt(m.get("seq_len")));
    }

    /** A run {@code fathom train --text} wrote: its model (trained weights, eval mode) and tokenizer. */
    record Run(TextModel spec, Module model, Tokenizer tokenizer, Map<String, String> metadata) {}

    /** Whether {@code dir} holds a run {@code fathom train --text} wrote (its checkpoint says so). */
    static boolean isTextRun(Path dir) throws IOException {
        Path ckpt = dir.resolve("checkpoint.safetensors");
        return Files.exists(ckpt) && "language-model".equals(Checkpoint.read(ckpt).metadata().get("task"));
    }

    static Run open(Path dir) throws IOException {
        Path ckpt = dir.resolve("checkpoint.safetensors");
        Path weights = dir.resolve("model.safetensors");
        Path tok = dir.resolve("tokenizer.json");
        for (Path p : new Path[] {ckpt, weights, tok}) {
            if (!Files.exists(p)) {
                throw new IOException(dir + " is not a language-model run: " + p.getFileName() + " is missing (written by 'fathom train --text ... --output " + dir + "')");
            }
        }
        Safetensors.Contents c = Checkpoint.read(ckpt);
        TextModel spec = fromMetadata(c.metadata());
        Module model = spec.create(new Rng(0));
        model.load(weights);
        model.eval();
        return new Run(spec, model, Tokenizer.load(tok), c.metadata());
    }
}
