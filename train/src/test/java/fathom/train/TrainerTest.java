package fathom.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.data.DataLoader;
import fathom.data.LoaderConfig;
import fathom.data.TensorDataset;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Dropout;
import fathom.nn.Linear;
import fathom.nn.Relu;
import fathom.nn.Sequential;
import fathom.optim.SgdConfig;
import fathom.optim.Sgd;
import fathom.optim.StepLr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** Two Gaussian blobs per class in 8 dimensions: learnable, but not in one step. */
    static TensorDataset blobs(long seed, int n) {
        Rng rng = new Rng(seed);
        Tensor centers = Tensors.randn(rng, 3, 8).mul(2);
        Tensor y = Tensors.randint(rng, 0, 3, n);
        Tensor x = centers.indexSelect(0, y).add(Tensors.randn(rng, n, 8));
        return new TensorDataset(x, y);
    }

    static Sequential model(Rng rng) {
        return new Sequential(new Linear(8, 16, true, rng), new Relu(), new Linear(16, 3, true, rng));
    }

    @Test
    void fitLearnsAndLogsEveryEpoch() {
        Rng rng = new Rng(1);
        Sequential m = model(rng);
        Sgd opt = new Sgd(m.parameters(), new SgdConfig(0.1, 0.9));
        DataLoader train = new DataLoader(blobs(2, 512), new LoaderConfig(32, true), rng.split());
        DataLoader val = new DataLoader(blobs(2, 128), new LoaderConfig(64, false), rng.split());
        LogFile csv = new LogFile(dir.resolve("log.csv"), false);
        Trainer t = new Trainer(m, new CrossEntropyLoss(), opt, List.of(new Accuracy()), List.of(csv, new PlotCallback(dir)), new TrainConfig(4));
        TrainState s = t.fit(train, val);
        assertEquals(4, s.history().size());
        assertEquals(64, s.step());
        Map<String, Double> last = s.history().get(3);
        assertTrue(last.get("val_accuracy") > 0.9, "blobs are separable: " + last);
        assertTrue(last.get("loss") < s.history().get(0).get("loss"));
        assertTrue(Files.exists(dir.resolve("loss.png")) && Files.exists(dir.resolve("accuracy.png")));
        List<String> lines = readLines(dir.resolve("log.csv"));
        assertEquals(5, lines.size());
        assertTrue(lines.get(0).startsWith("epoch,step,seconds,loss,accuracy,val_loss,val_accuracy,lr"), lines.get(0));
    }

    @Test
    void earlyStoppingEndsARunThatStopsImproving() {
        Rng rng = new Rng(3);
        Sequential m = model(rng);
        Sgd opt = new Sgd(m.parameters(), new SgdConfig(0.0));
        DataLoader train = new DataLoader(blobs(4, 64), new LoaderConfig(32, false), rng.split());
        Trainer t = new Trainer(m, new CrossEntropyLoss(), opt, List.of(), List.of(new EarlyStopping("loss", 2, 0, false)), new TrainConfig(50));
        assertEquals(4, t.fit(train, null).history().size(), "lr 0 never improves: the first epoch sets the best, 3 more exhaust patience 2");
    }

    @Test
    void resumingFromACheckpointGivesExactlyTheUninterruptedLosses() throws Exception {
        double[] straight = run(4, null, null);
        Path ckpt = dir.resolve("ckpt");
        run(2, ckpt, null);
        double[] resumed = run(4, null, ckpt.resolve("checkpoint.safetensors"));
        assertArrayEquals(java.util.Arrays.copyOfRange(straight, 2, 4), resumed, "bit-for-bit continuation");
    }

    /** Trains to {@code epochs} (from a checkpoint when given), returning the epochs' training losses; the model uses dropout. */
    private double[] run(int epochs, Path saveDir, Path resumeFrom) throws Exception {
        Rng init = new Rng(10);
        // dropout draws from its own generator: the checkpoint must carry its state for an exact resume
        Sequential m = new Sequential(new Linear(8, 16, true, init), new Relu(), new Dropout(0.3, init.split()), new Linear(16, 3, true, init));
        Sgd opt = new Sgd(m.parameters(), new SgdConfig(0.05, 0.9));
        StepLr sched = new StepLr(opt, 1, 0.7);
        Rng shuffle = new Rng(11);
        int start = 0;
        long step = 0;
        if (resumeFrom != null) {
            Checkpoint.Restored r = Checkpoint.load(resumeFrom, m, opt, sched);
            shuffle = r.rngs().get("shuffle");
            start = r.epoch();
            step = r.step();
        }
        DataLoader train = new DataLoader(blobs(12, 256), new LoaderConfig(32, true), shuffle);
        List<Callback> cbs = new ArrayList<>(List.of(new ScheduleCallback(sched, false, "loss")));
        if (saveDir != null) {
            cbs.add(new CheckpointCallback(saveDir, sched, Map.of("shuffle", shuffle), Map.of("model", "test")));
        }
        Trainer t = new Trainer(m, new CrossEntropyLoss(), opt, List.of(), cbs, new TrainConfig(epochs)).resumeAt(start, step);
        return t.fit(train, null).history().stream().mapToDouble(h -> h.get("loss")).toArray();
    }

    @Test
    void plotsArePngImages() throws Exception {
        Plots.curves(dir.resolve("c.png"), "t", "y", Map.of("a", new double[] {3, 2, 1.5}));
        Plots.confusionMatrix(dir.resolve("m.png"), new long[][] {{5, 1}, {0, 7}}, List.of("cat", "dog"));
        assertEquals(800, ImageIO.read(dir.resolve("c.png").toFile()).getWidth());
        assertTrue(ImageIO.read(dir.resolve("m.png").toFile()).getHeight() > 100);
    }

    private static List<String> readLines(Path p) throws java.io.UncheckedIOException {
        try {
            return Files.readAllLines(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
