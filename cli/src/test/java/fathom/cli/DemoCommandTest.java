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

class DemoCommandTest {
    @TempDir
    Path dir;

    /** The exit code of {@code fathom args}. */
    static int exec(String... args) {
        return Main.run(args);
    }

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, exec(args), () -> buf.toString());
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void helpListsEveryCommand() {
        String help = run("--help");
        for (String c : new String[] {"demo", "train", "eval", "predict", "summary", "show", "sample", "example", "bench", "info", "help"}) {
            assertTrue(help.contains("  " + c + " "), c + " in: " + help);
        }
        assertTrue(run("help", "train").contains("--epochs"));
    }

    @Test
    void theDemoTrainsOnTheShippedSampleAndWritesTheRun() {
        String out = run("demo", "--data", "fashion-mnist-sample", "--epochs", "2", "--output", dir.toString());
        Matcher m = Pattern.compile("Test accuracy: ([0-9.]+)%").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) > 70, "an MLP learns Fashion-MNIST well past chance in 2 epochs of 6,000 images: " + out);
        for (String f : new String[] {"model.safetensors", "checkpoint.safetensors", "log.csv", "loss.png", "accuracy.png", "confusion.png", "report.txt"}) {
            assertTrue(Files.exists(dir.resolve(f)), f + " was written");
        }
        String eval = run("eval", "--run", dir.toString(), "--data", "fashion-mnist-sample");
        assertTrue(eval.contains("accuracy " + m.group(1).substring(0, 2)), "eval reproduces the training run's accuracy: " + eval);
        String predict = run("predict", "--run", dir.toString(), "--data", "fashion-mnist-sample", "--index", "0");
        assertTrue(predict.contains("true class: Ankle boot"), predict);
        String summary = run("summary", "--run", dir.toString());
        assertTrue(summary.contains("535,818") || summary.contains("535818"), summary);
    }

    @Test
    void resumingContinuesTheRun() {
        run("train", "--data", "fashion-mnist-sample", "--epochs", "1", "--output", dir.toString());
        String out = run("train", "--data", "fashion-mnist-sample", "--epochs", "2", "--output", dir.toString(), "--resume");
        assertTrue(out.contains("Resuming from") && out.contains("epoch 2/2:") && !out.contains("epoch 1/2:"), out);
    }

    @Test
    void aResumedRunStopsEarlyWhereTheUninterruptedRunStopsAndContinuesItsLog() throws Exception {
        // lr 0: no epoch improves on the first one's val_loss, so --patience 2 stops the run after epoch 4 of 10
        String[] common = {"train", "--data", "fashion-mnist-sample", "--hidden", "16", "--lr", "0", "--patience", "2", "--batch-size", "500"};
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        run(concat(common, "--epochs", "10", "--output", straight.toString()));
        run(concat(common, "--epochs", "2", "--output", resumed.toString()));
        String out = run(concat(common, "--epochs", "10", "--output", resumed.toString(), "--resume"));
        assertTrue(out.contains("epoch 3/10:") && out.contains("epoch 4/10:") && !out.contains("epoch 5/10:"),
                "the checkpoint after epoch 2 holds the epoch waited: " + out);
        List<String> expected = Files.readAllLines(straight.resolve("log.csv"));
        List<String> log = Files.readAllLines(resumed.resolve("log.csv"));
        assertEquals(5, expected.size(), "header and epochs 1 to 4: " + expected);
        assertEquals(withoutSeconds(expected), withoutSeconds(log), "every epoch once, in order, with the uninterrupted run's values");
        double previous = 0;
        for (String row : log.subList(1, log.size())) {
            double seconds = Double.parseDouble(row.split(",")[2]);
            assertTrue(seconds >= previous, "seconds count on across the resume: " + log);
            previous = seconds;
        }
    }

    private static List<String> withoutSeconds(List<String> csv) {
        return csv.stream().map(row -> row.replaceFirst("^([^,]*,[^,]*),[^,]*", "$1")).toList();
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theCheckpointHoldsTheScheduleAsTheNextEpochStartsIt() throws Exception {
        run("train", "--data", "fashion-mnist-sample", "--epochs", "2", "--schedule", "cosine", "--hidden", "16", "--output", dir.toString());
        var ckpt = fathom.io.Safetensors.read(dir.resolve("checkpoint.safetensors"));
        // two epochs done: the schedule has stepped twice, so a resumed run starts epoch 3's learning rate
        assertEquals(2L, ckpt.tensors().get("scheduler.last_epoch").toLongArray()[0], "schedule steps saved in the checkpoint");
    }

    @Test
    void trainsOnACsvFileWithFeaturesOnVeryDifferentScales() throws Exception {
        StringBuilder csv = new StringBuilder("area,height,kind\n");
        java.util.Random r = new java.util.Random(5);
        String[] kinds = {"oak", "pine", "elm"};
        for (int i = 0; i < 300; i++) {
            int k = i % 3;
            csv.append(String.format(java.util.Locale.ROOT, "%.1f,%.4f,%s%n", 1000 + 400 * k + 60 * r.nextGaussian(),
                    0.01 * (3 - k) + 0.002 * r.nextGaussian(), kinds[k]));
        }
        Path file = dir.resolve("trees.csv");
        Files.writeString(file, csv);
        Path out = dir.resolve("run");
        String train = run("train", "--data", file.toString(), "--target", "kind", "--hidden", "16", "--epochs", "30",
                "--batch-size", "32", "--lr", "0.05", "--output", out.toString());
        Matcher m = Pattern.compile("Test accuracy: ([0-9.]+)%").matcher(train);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) > 90, "standardized features separate the kinds: " + train);
        String eval = run("eval", "--run", out.toString(), "--data", file.toString(), "--target", "kind");
        assertTrue(eval.contains("accuracy " + m.group(1).substring(0, 2)), eval);
    }

    @Test
    void anUnknownBenchmarkIsAnError() {
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals(2, exec("bench", "nonsense"));
            assertEquals(2, exec("bench", "elementwise", "--stream"), "only training steps and products stream");
            assertEquals(2, exec("bench", "matmul", "--shape", "64,64,64"), "--shape goes with --stream");
            assertEquals(2, exec("bench", "matmul", "--stream", "--shape", "64,0,64"), "a product needs sizes of at least 1");
            assertEquals(2, exec("bench", "matmul", "--stream", "--shape", "64,64"), "a product needs m, k and n");
        } finally {
            System.setErr(oldErr);
        }
    }
}
