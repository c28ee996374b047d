package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.cpu.Parallel;
import fathom.data.Batch;
import fathom.data.DataFormatException;
import fathom.data.text.BpeTokenizer;
import fathom.data.text.CharTokenizer;
import fathom.data.text.TextCorpus;
import fathom.data.text.TokenWindowDataset;
import fathom.data.text.Tokenizer;
import fathom.io.AtomicFile;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Module;
import fathom.optim.GradClip;
import fathom.optim.Optimizer;
import fathom.train.Checkpoint;
import fathom.train.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code fathom train --text}: trains a char-LSTM or GPT language model on a text and writes
 * {@code model.safetensors}, {@code tokenizer.json}, a resumable {@code checkpoint.safetensors} and
 * {@code log.csv} (step, training loss, validation loss and bits per character, learning rate, seconds
 * trained). A resumed run keeps the log's rows up to the checkpoint's step and appends to them, counting
 * seconds on from the last kept row.
 *
 * <p>The last 10 % of the text's characters are held out for validation; the tokenizer is fitted to the
 * first 90 % ({@code char}: every distinct character of the whole text, so that validation has no unknown
 * character; {@code bpe}: merges learned from the training part only). Each step trains on a batch of
 * windows starting at uniformly drawn positions of the training tokens (nanoGPT's {@code get_batch}), so
 * a run is a number of steps and a checkpoint restores it exactly (the draw's {@link Rng} is saved);
 * {@code --epochs} counts passes of that many tokens. Validation runs on non-overlapping windows,
 * each from a fresh state; bits per character = validation loss (nats per token) · tokens / characters of
 * the validation text / ln 2, so char and BPE runs compare.
 *
 * <p>Defaults where the command line is silent (the sequence-models issue's recipes): {@code --model
 * char-lstm}; char-LSTM Adam lr 2e-3, GPT AdamW lr 1e-3 (weight decay 0.01); batch 32; one epoch;
 * output {@code runs/<model>}.
 */
final class TextTraining {
    private static final int INTERIM_EVAL_BATCHES = 20;
    private static final String LOG_HEADER = "step,loss,val_loss,val_bpc,lr,seconds";

    private TextTraining() {}

    /** Runs {@code c} with {@code o}; {@code given} holds the options the command line set (the others take the recipe's defaults). */
    static int run(TrainCommand c, TextOptions o, Set<String> given, PrintStream out) throws IOException {
        if (c.threads != null) {
            Parallel.setThreads(c.threads);
        }
        String family = given.contains("--model") ? c.model : "char-lstm";
        int width = c.width; // 0 unless given: the recipe's width
        TextModel.of(family, 1, o.seqLen, o.layers, width, o.heads, o.dropout); // checks the options before the text is read
        Path output = given.contains("--output") ? c.output : Path.of("runs", family);
        Files.createDirectories(output);
        Path ckpt = output.resolve("checkpoint.safetensors");
        Path tokFile = output.resolve("tokenizer.json");
        String text = load(o.text);
        int chars = text.codePointCount(0, text.length());
        int cut = (int) Math.round(chars * 0.9);
        int cutIndex = text.offsetByCodePoints(0, cut);
        String trainText = text.substring(0, cutIndex);
        String valText = text.substring(cutIndex);
        Tokenizer tok;
        if (c.resume) {
            if (!Files.exists(ckpt) || !Files.exists(tokFile)) {
                throw new IllegalArgumentException("--resume: no checkpoint.safetensors and tokenizer.json in " + output);
            }
            tok = Tokenizer.load(tokFile);
        } else {
            tok = switch (o.tokenizer) {
                case "char" -> CharTokenizer.fromText(text);
                case "bpe" -> BpeTokenizer.train(trainText, o.vocabSize);
                default -> throw new IllegalArgumentException("unknown --tokenizer " + o.tokenizer + ": use char or bpe");
            };
            tok.save(tokFile);
        }
        int[] trainTokens = tok.encode(trainText);
        int[] valTokens = tok.encode(valText);
        double tokensPerChar = (double) valTokens.length / Math.max(1, chars - cut);
        TokenWindowDataset train = new TokenWindowDataset(trainTokens, o.seqLen, 1);
        TokenWindowDataset validation = new TokenWindowDataset(valTokens, o.seqLen);
        if (train.size() == 0 || validation.size() == 0) {
            throw new IllegalArgumentException("--text: " + chars + " characters give " + trainTokens.length + " training and "
                    + valTokens.length + " validation tokens, too few for windows of --seq-len " + o.seqLen);
        }
        TextModel spec = TextModel.of(family, tok.vocabSize(), o.seqLen, o.layers, width, o.heads, o.dropout);
        String optName = given.contains("--optimizer") ? c.optimizer : spec.defaultOptimizer();
        double lr = given.contains("--lr") ? c.lr : spec.defaultLr();
        int batch = given.contains("--batch-size") ? c.batchSize : 32;
        int epochs = given.contains("--epochs") ? c.epochs : 1;
        long total = o.steps != null ? o.steps : (long) epochs * Math.max(1, trainTokens.length / ((long) batch * o.seqLen));
        Rng root = new Rng(c.seed);
        Module model = spec.create(root.split());
        Rng draws = root.split();
        Optimizer<?> opt = OptimizerChoice.valueOf(optName.toUpperCase(Locale.ROOT)).create(model.parameters(), lr, c.momentum, c.weightDecay);
        long start = 0;
        if (c.resume) {
            Checkpoint.Restored r = Checkpoint.load(ckpt, model, opt, null);
            TextModel saved = TextModel.fromMetadata(r.metadata());
            if (!saved.equals(spec)) {
                throw new IllegalArgumentException("--resume: the checkpoint holds " + saved + ", the command line asks for " + spec);
            }
            draws = r.rngs().get("batches");
            start = r.step();
            out.printf("Resuming from %s at step %d%n", ckpt, start);
        }
        Map<String, String> meta = new LinkedHashMap<>(spec.metadata());
        meta.put("tokenizer", o.tokenizer);
        meta.put("text", o.text);
        out.printf("Text: %s, %,d characters; %s tokenizer, vocabulary %d; %,d training and %,d validation tokens (%.3f tokens per character)%n",
                o.text, chars, c.resume ? "saved" : o.tokenizer, tok.vocabSize(), trainTokens.length, valTokens.length, tokensPerChar);
        out.printf("Model: %s, %,d parameters; optimizer %s lr %s; batch %d x %d tokens; %d steps; %d threads%n", spec.describe(),
                model.parameterCount(), optName, lr, batch, o.seqLen, total, Parallel.threads());
        Path log = output.resolve("log.csv");
        double secondsBefore = c.resume && Files.exists(log) ? continueLog(log, start) : startLog(log);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        ProgressBar bar = start < total ? new ProgressBar("train", (int) (total - start), out) : null;
        long t0 = System.nanoTime();
        double running = Double.NaN;
        double sinceSum = 0;
        int sinceCount = 0;
        double[] val = null;
        model.train();
        int[] idx = new int[batch];
        for (long step = start; step < total;) {
            for (int i = 0; i < batch; i++) {
                idx[i] = draws.nextInt(train.size());
            }
            Batch b = train.select(idx).orElseThrow();
            Tensor loss = loss(ce, model.call(b.inputs()), b.targets());
            opt.zeroGrad(false);
            loss.backward();
            if (c.clip > 0) {
                GradClip.clipGradNorm(opt.params(), c.clip);
            }
            opt.step();
            step++;
            double v = loss.item();
            running = Double.isNaN(running) ? v : 0.9 * running + 0.1 * v;
            sinceSum += v;
            sinceCount++;
            bar.step(String.format(Locale.ROOT, "loss %.4f", running));
            boolean last = step == total;
            if (last || (o.evalEvery > 0 && step % o.evalEvery == 0)) {
                val = evaluate(model, ce, validation, batch, last ? Integer.MAX_VALUE : INTERIM_EVAL_BATCHES);
                double bpc = val[0] * tokensPerChar / Math.log(2);
                double seconds = secondsBefore + (System.nanoTime() - t0) / 1e9;
                // the whole (small) log again, so that a run stopped mid-write leaves the previous log, not half a row
                AtomicFile.writeString(log, Files.readString(log) + String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%s,%.1f%n", step,
                        sinceSum / sinceCount, val[0], bpc, opt.lr(0), seconds));
                sinceSum = 0;
                sinceCount = 0;
                if (!last) {
                    out.printf(Locale.ROOT, "step %d: val_loss %.4f (%.3f bits/char, %d batches)%n", step, val[0], bpc, (int) val[1]);
                }
                meta.put("val_bpc", String.format(Locale.ROOT, "%.4f", bpc));
                Checkpoint.save(ckpt, model, opt, null, Map.of("batches", draws), 0, step, meta);
                model.save(output.resolve("model.safetensors"));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (val == null) {
            val = evaluate(model, ce, validation, batch, Integer.MAX_VALUE);
        }
        long trained = total - start;
        out.printf(Locale.ROOT, "Trained %d steps in %.1f s (%,.0f tokens/s)%n", trained, seconds, trained * batch * o.seqLen / Math.max(seconds, 1e-9));
        out.printf(Locale.ROOT, "Validation loss: %.4f nats/token, %.3f bits per character (%,d windows)%n", val[0],
                val[0] * tokensPerChar / Math.log(2), (int) val[2]);
        out.printf("Wrote to %s: model.safetensors, tokenizer.json, checkpoint.safetensors, log.csv%n", output);
        return 0;
    }

    /** Writes {@code log}'s header alone (a run from step 0) and returns 0, the seconds trained before. */
    private static double startLog(Path log) throws IOException {
        AtomicFile.writeString(log, LOG_HEADER + "\n");
        return 0;
    }

    /**
     * Keeps the rows of {@code log} up to and including step {@code step}, the checkpoint's (later rows were
     * written after it by the interrupted run), and returns the last kept row's seconds, from which the
     * resumed run counts on.
     *
     * @throws DataFormatException naming the line when {@code log} is not a log this command wrote (move it away to start anew)
     */
    private static double continueLog(Path log, long step) throws IOException {
        List<String> all = Files.readAllLines(log);
        if (all.isEmpty() || !all.get(0).equals(LOG_HEADER)) {
            throw new DataFormatException(log.toString(), 1, 0, "the header is not " + LOG_HEADER + " (move the log away to start a new one)");
        }
        List<String> kept = new ArrayList<>(List.of(LOG_HEADER));
        double seconds = 0;
        long previous = 0;
        for (int i = 1; i < all.size(); i++) {
            String[] f = all.get(i).split(",", -1);
            long rowStep;
            double rowSeconds;
            try {
                rowStep = Long.parseLong(f[0]);
                rowSeconds = f.length == 6 ? Double.parseDouble(f[5]) : Double.NaN;
            } catch (NumberFormatException e) {
                rowStep = -1;
                rowSeconds = Double.NaN;
            }
            if (rowStep <= previous || !(rowSeconds >= seconds)) {
                throw new DataFormatException(log.toString(), i + 1, 0, "'" + all.get(i) + "' is not a row after step " + previous
                        + " and " + seconds + " s (move the log away to start a new one)");
            }
            if (rowStep > step) {
                break;
            }
            previous = rowStep;
            seconds = rowSeconds;
            kept.add(all.get(i));
        }
        AtomicFile.writeString(log, String.join("\n", kept) + "\n");
        return seconds;
    }

    /** The whole text of {@code source}: jargon, bible, or a file. */
    static String load(String source) throws IOException {
        return switch (source) {
            case "jargon" -> TextCorpus.load(TextCorpus.Source.JARGON_FILE);
            case "bible" -> TextCorpus.load(TextCorpus.Source.KING_JAMES_BIBLE);
            default -> {
                Path p = Path.of(source);
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("--text " + source + ": no such file (or use jargon or bible)");
                }
                yield TextCorpus.read(p);
            }
        };
    }

    /** Mean cross-entropy over every position of logits [B, T, V] against targets [B, T]. */
    static Tensor loss(CrossEntropyLoss ce, Tensor logits, Tensor targets) {
        int v = logits.size(2);
        return ce.apply(logits.reshape(-1, v), targets.reshape(-1));
    }

    /** {mean loss, batches, windows} over the first {@code maxBatches} batches of the validation windows, in eval mode without gradients. */
    static double[] evaluate(Module model, CrossEntropyLoss ce, TokenWindowDataset validation, int batch, int maxBatches) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double sum = 0;
        int windows = 0;
        int batches = 0;
        try (var _ = Autograd.noGrad()) {
            for (int from = 0; from < validation.size() && batches < maxBatches; from += batch, batches++) {
                int n = Math.min(batch, validation.size() - from);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = from + i;
                }
                Batch b = validation.select(idx).orElseThrow();
                sum += loss(ce, model.call(b.inputs()), b.targets()).item() * n;
                windows += n;
            }
        } finally {
            model.train(wasTraining);
        }
        return new double[] {sum / windows, batches, windows};
    }
}
