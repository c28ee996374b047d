package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fathom train --text}, {@code fathom sample} and {@code fathom example forecast} on tiny inputs. */
class TextCommandsTest {
    private static final Pattern BPC = Pattern.compile("Validation loss: ([0-9.]+) nats/token, ([0-9.]+) bits per character");

    @TempDir
    Path dir;

    /** About 4 KB of a few repeated sentences: 26 distinct characters, so a uniform guess costs log2(26) = 4.7 bits. */
    private Path tinyText() throws Exception {
        String[] lines = {"the quick brown fox jumps over the lazy dog.", "a lazy dog sleeps in the sun.", "the fox runs away quickly."};
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(1);
        while (sb.length() < 4000) {
            sb.append(lines[r.nextInt(lines.length)]).append('\n');
        }
        Path f = dir.resolve("tiny.txt");
        Files.writeString(f, sb);
        return f;
    }

    private static double[] validation(String out) {
        Matcher m = BPC.matcher(out);
        assertTrue(m.find(), out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void aCharLstmLearnsATinyTextAndSamplesFromIt() throws Exception {
        Path run = dir.resolve("lstm");
        String out = DemoCommandTest.run("train", "--model", "char-lstm", "--text", tinyText().toString(), "--seq-len", "16",
                "--batch-size", "16", "--steps", "40", "--eval-every", "20", "--output", run.toString());
        assertTrue(out.contains("optimizer adam lr 0.002"), "the recipe's defaults: " + out);
        double[] v = validation(out);
        assertTrue(v[1] < 2.0, "well below the 4.7 bits of a uniform guess after 40 steps: " + out);
        for (String f : new String[] {"model.safetensors", "checkpoint.safetensors", "tokenizer.json", "log.csv"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        List<String> log = Files.readAllLines(run.resolve("log.csv"));
        assertEquals(3, log.size(), "header, step 20, step 40: " + log);
        String sample = DemoCommandTest.run("sample", "--run", run.toString(), "--prompt", "the ", "--tokens", "30", "--seed", "3");
        String text = sample.substring(0, sample.length() - System.lineSeparator().length());
        assertTrue(text.startsWith("the ") && text.codePointCount(0, text.length()) == 34, sample);
        assertTrue(text.chars().allMatch(ch -> ch == '\n' || ch == ' ' || ch == '.' || (ch >= 'a' && ch <= 'z')), "only the text's characters: " + sample);
        String again = DemoCommandTest.run("sample", "--run", run.toString(), "--prompt", "the ", "--tokens", "30", "--seed", "3");
        assertEquals(sample, again, "a seed reproduces the sample");
    }

    @Test
    void aGptLearnsWithBytePairTokensAndReportsBitsPerCharacter() throws Exception {
        Path run = dir.resolve("gpt");
        String out = DemoCommandTest.run("train", "--model", "gpt", "--text", tinyText().toString(), "--tokenizer", "bpe",
                "--vocab-size", "300", "--seq-len", "16", "--batch-size", "16", "--steps", "30", "--eval-every", "0", "--output", run.toString());
        assertTrue(out.contains("optimizer adamw lr 0.001"), out);
        Matcher ratio = Pattern.compile("\\(([0-9.]+) tokens per character\\)").matcher(out);
        assertTrue(ratio.find() && Double.parseDouble(ratio.group(1)) < 0.5, "BPE merges the repeated words: " + out);
        double[] v = validation(out);
        assertEquals(v[0] * Double.parseDouble(ratio.group(1)) / Math.log(2), v[1], 2e-3, "bits per character = nats per token · tokens per character / ln 2");
        assertTrue(v[1] < 2.0, out);
        String sample = DemoCommandTest.run("sample", "--run", run.toString(), "--prompt", "the", "--tokens", "100", "--temperature", "0");
        assertTrue(sample.startsWith("the") && sample.length() > 100, "100 tokens past the 16-token context: " + sample);
        String summary = DemoCommandTest.run("summary", "--run", run.toString());
        assertTrue(summary.contains("[1, 16, 300]"), "logits for one 16-token window over the 300-token vocabulary: " + summary);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err));
        try {
            assertEquals(1, Main.run("eval", "--run", run.toString()));
        } finally {
            System.setErr(oldErr);
        }
        assertTrue(err.toString().contains("is a language-model run (gpt"), "eval names what the run is and what to use: " + err);
    }

    @Test
    void modelSizesComeFromTheCommandLineAndTheRunRebuildsThem() throws Exception {
        Path run = dir.resolve("gpt-small");
        String out = DemoCommandTest.run("train", "--model", "gpt", "--text", tinyText().toString(), "--seq-len", "16", "--width", "32",
                "--layers", "2", "--heads", "2", "--batch-size", "8", "--steps", "3", "--eval-every", "0", "--output", run.toString());
        assertTrue(out.contains("gpt (2 layers, d_model 32, 2 heads, ff 128, context 16"), out);
        String summary = DemoCommandTest.run("summary", "--run", run.toString());
        assertTrue(summary.contains("h.1") && !summary.contains("h.2"), "two blocks rebuilt from the checkpoint: " + summary);
        String sample = DemoCommandTest.run("sample", "--run", run.toString(), "--prompt", "the", "--tokens", "5", "--seed", "1");
        assertTrue(sample.startsWith("the"), sample);
        Path lstm = dir.resolve("lstm-2");
        out = DemoCommandTest.run("train", "--model", "char-lstm", "--text", tinyText().toString(), "--seq-len", "8", "--width", "24",
                "--layers", "2", "--dropout", "0.1", "--batch-size", "8", "--steps", "2", "--eval-every", "0", "--output", lstm.toString());
        assertTrue(out.contains("LSTM 2x24 dropout 0.1, Linear(24, "), out);
        assertEquals(1, DemoCommandTest.exec("train", "--model", "gpt", "--text", tinyText().toString(), "--width", "30", "--heads", "4",
                "--output", dir.resolve("bad").toString()), "a width that is no multiple of the heads is refused before training");
        assertEquals(1, DemoCommandTest.exec("train", "--model", "char-lstm", "--text", tinyText().toString(), "--heads", "2",
                "--output", dir.resolve("bad2").toString()), "--heads is for gpt");
    }

    @Test
    void aRunRecordedWithoutSizesRebuildsTheRecipe() {
        TextModel old = TextModel.fromMetadata(java.util.Map.of("task", "language-model", "model", "gpt", "vocab_size", "50", "seq_len", "16"));
        assertEquals(new TextModel("gpt", 50, 16, 4, 128, 4, 0.0), old);
        TextModel lstm = TextModel.fromMetadata(java.util.Map.of("task", "language-model", "model", "char-lstm", "vocab_size", "30", "seq_len", "64"));
        assertEquals(new TextModel("char-lstm", 30, 64, 1, 256, 0, 0.0), lstm);
        assertEquals(lstm, TextModel.fromMetadata(lstm.metadata()), "the recorded sizes round-trip");
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        String text = tinyText().toString();
        String[] common = {"train", "--model", "char-lstm", "--text", text, "--seq-len", "16", "--batch-size", "8", "--eval-every", "0",
            "--threads", "1"};
        String whole = DemoCommandTest.run(concat(common, "--steps", "20", "--output", dir.resolve("a").toString()));
        DemoCommandTest.run(concat(common, "--steps", "10", "--output", dir.resolve("b").toString()));
        // as if the run had trained 1000 s, and had logged step 15 but crashed before its checkpoint
        Path log = dir.resolve("b").resolve("log.csv");
        List<String> interrupted = Files.readAllLines(log);
        String step10 = interrupted.get(1).replaceFirst(",[0-9.]+$", ",1000.0");
        Files.write(log, List.of(interrupted.get(0), step10, "15,2.0,2.0,2.0,0.002,1001.0"));
        String resumed = DemoCommandTest.run(concat(common, "--steps", "20", "--output", dir.resolve("b").toString(), "--resume"));
        assertTrue(resumed.contains("at step 10"), resumed);
        assertEquals(validation(whole)[0], validation(resumed)[0], 0, "the checkpoint restores weights, Adam's moments and the batch draws");
        List<String> rows = Files.readAllLines(log);
        assertEquals(3, rows.size(), "the resumed run keeps the rows up to its checkpoint's step and appends: " + rows);
        assertEquals(step10, rows.get(1));
        assertTrue(rows.get(2).startsWith("20,") && Double.parseDouble(rows.get(2).replaceFirst(".*,", "")) >= 1000,
                "seconds count on from the last kept row: " + rows);
    }

    @Test
    void textOptionsNeedALanguageModel() throws Exception {
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(1, DemoCommandTest.exec("train", "--model", "mlp", "--text", tinyText().toString(), "--output", dir.toString()));
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void theForecastingGruBeatsTheNaiveForecast() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Forecasting.Result r = Forecasting.run(new Forecasting.Config(1500, 0.1, 32, 16, 6, 32, 1e-2), 0, new PrintStream(buf));
        assertTrue(r.modelRmse() < 0.85 * r.naiveRmse(), buf.toString());
        assertTrue(r.modelRmse() > 0.9 * r.noise(), "no forecast beats the noise by much: " + buf);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
