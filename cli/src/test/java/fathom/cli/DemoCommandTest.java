package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
    @TempDir
    Path dir;

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, new CommandLine(new Main()).execute(args), () -> buf.toString());
        } finally {
            System.setOut(old);
        }
        return buf.toString();
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
            assertEquals(2, new CommandLine(new Main()).execute("bench", "nonsense"));
        } finally {
            System.setErr(oldErr);
        }
    }
}
