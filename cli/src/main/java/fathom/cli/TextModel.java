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
 * {@code fathom sample} rebuilds it: the family, the vocabulary size, the window, and the sizes.
 * {@code char-lstm}: Embedding(V, 64), {@code layers} LSTM layers of {@code width} (dropout between
 * them), Linear(width, V); the recipe is {@link CharLstm.Config#standard} (1 layer of 256).
 * {@code gpt}: {@code layers} pre-norm blocks of width {@code width} with {@code heads} heads and a
 * feed-forward of 4·width, context = the window; the recipe is {@link Gpt.Config#small} (4 layers, 128, 4
 * heads). Runs written before the sizes were recorded rebuild with the recipe's.
 */
record TextModel(String family, int vocabSize, int seqLen, int layers, int width, int heads, double dropout) {
    static final List<String> FAMILIES = List.of("char-lstm", "gpt");

    TextModel {
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("--text trains a language model: --model must be one of " + String.join(", ", FAMILIES)
                    + ", got '" + family + "'");
        }
        if (seqLen < 1) {
            throw new IllegalArgumentException("--seq-len must be at least 1, got " + seqLen);
        }
        if (layers < 1 || width < 1) {
            throw new IllegalArgumentException("--layers and --width must be at least 1, got " + layers + " and " + width);
        }
        if (family.equals("gpt") && (heads < 1 || width % heads != 0)) {
            throw new IllegalArgumentException("--width " + width + " must be a multiple of --heads " + heads + " for a GPT");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * The model {@code family} with the recipe's sizes where an option is null ({@code width} 0 means the
     * recipe's too); {@code heads} is for GPT only.
     */
    static TextModel of(String family, int vocabSize, int seqLen, Integer layers, int width, Integer heads, Double dropout) {
        boolean gpt = family.equals("gpt");
        if (!gpt && heads != null) {
            throw new IllegalArgumentException("--heads is for --model gpt");
        }
        return new TextModel(family, vocabSize, seqLen, layers != null ? layers : gpt ? 4 : 1, width > 0 ? width : gpt ? 128 : 256,
                heads != null ? heads : gpt ? 4 : 0, dropout != null ? dropout : 0.0);
    }

    /** A freshly initialized model. */
    Module create(Rng rng) {
        return switch (family) {
            case "char-lstm" -> new CharLstm(new CharLstm.Config(vocabSize, 64, width, layers, dropout), rng);
            case "gpt" -> new Gpt(new Gpt.Config(vocabSize, seqLen, layers, width, heads, 4 * width, dropout), rng);
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
            case "char-lstm" -> "char-lstm (Embedding(" + vocabSize + ", 64), LSTM " + (layers > 1 ? layers + "x" : "") + width
                    + (dropout > 0 ? " dropout " + dropout : "") + ", Linear(" + width + ", " + vocabSize + "))";
            default -> "gpt (" + layers + " layers, d_model " + width + ", " + heads + " heads, ff " + 4 * width + ", context " + seqLen
                    + ", vocab " + vocabSize + (dropout > 0 ? ", dropout " + dropout : "") + ")";
        };
    }

    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", family);
        m.put("vocab_size", Integer.toString(vocabSize));
        m.put("seq_len", Integer.toString(seqLen));
        m.put("layers", Integer.toString(layers));
        m.put("width", Integer.toString(width));
        m.put("heads", Integer.toString(heads));
        m.put("dropout", Double.toString(dropout));
        m.put("task", "language-model");
        return m;
    }

    static TextModel fromMetadata(Map<String, String> m) {
        if (!"language-model".equals(m.get("task"))) {
            throw new IllegalArgumentException("the run is not a language model (trained without --text): its model is '" + m.get("model") + "'");
        }
        String family = m.get("model");
        return of(family, Integer.parseInt(m.get("vocab_size")), Integer.parseInt(m.get("seq_len")),
                m.containsKey("layers") ? Integer.valueOf(m.get("layers")) : null, m.containsKey("width") ? Integer.parseInt(m.get("width")) : 0,
                m.containsKey("heads") && family.equals("gpt") ? Integer.valueOf(m.get("heads")) : null,
                m.containsKey("dropout") ? Double.valueOf(m.get("dropout")) : null);
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
