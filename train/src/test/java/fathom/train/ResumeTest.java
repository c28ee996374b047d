package fathom.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Rng;
import fathom.Tensor;
import fathom.data.DataFormatException;
import fathom.data.DataLoader;
import fathom.data.LoaderConfig;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Sequential;
import fathom.optim.Sgd;
import fathom.optim.SgdConfig;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a resumed run continues besides weights and optimizer: early stopping's count and the log. */
class ResumeTest {
    /** A validation loss that improves, stalls, improves a little (less than minDelta) and stalls for good. */
    private static final double[] VAL_LOSS = {1.0, 0.8, 0.85, 0.82, 0.7, 0.695, 0.72, 0.71, 0.69, 0.75, 0.74, 0.73, 0.72};

    @TempDir
    Path dir;

    /** Feeds VAL_LOSS from epoch {@code from} until {@code es} stops the run; returns the number of epochs run by then. */
    private static int feed(EarlyStopping es, int from, int until) {
        TrainState state = new TrainState(null, null, List.of(es), VAL_LOSS.length, 1, from, from);
        es.onTrainBegin(state);
        for (; state.epoch < until && !state.stopRequested(); state.epoch++) {
            es.onEpochEnd(state, Map.of("val_loss", VAL_LOSS[state.epoch]));
        }
        return state.epoch;
    }

    @Test
    void earlyStoppingRestoredFromItsStateStopsAtTheUninterruptedEpoch() {
        int straight = feed(new EarlyStopping("val_loss", 2, 0.01, false), 0, VAL_LOSS.length);
        assertEquals(8, straight, "best 0.7 after epoch 5; 0.695 is within minDelta, so epochs 6 to 8 wait and the third exceeds patience 2");
        for (int k = 1; k <= straight; k++) {
            EarlyStopping first = new EarlyStopping("val_loss", 2, 0.01, false);
            assertEquals(k, feed(first, 0, k));
            EarlyStopping resumed = new EarlyStopping("val_loss", 2, 0.01, false);
            resumed.loadStateDict(first.stateDict());
            assertEquals(first.best(), resumed.best());
            assertEquals(straight, feed(resumed, k, VAL_LOSS.length), "interrupted after epoch " + k);
        }
    }

    @Test
    void earlyStoppingStateIsCheckedOnLoad() {
        EarlyStopping es = new EarlyStopping("val_loss", 2, 0, false);
        Map<String, Tensor> state = new LinkedHashMap<>(es.stateDict());
        state.put("patience", state.get("waited"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> es.loadStateDict(state)).getMessage().contains("patience"));
        state.remove("patience");
        state.remove("best");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> es.loadStateDict(state)).getMessage().contains("best"));
    }

    /** Feeds {@code plots} the logs of epochs [from, to): a loss, and a val_accuracy from epoch 2 on. */
    private static void plot(PlotCallback plots, int from, int to) {
        for (int e = from; e < to; e++) {
            Map<String, Double> logs = new LinkedHashMap<>(Map.of("loss", 1.0 / (e + 1)));
            if (e >= 2) {
                logs.put("val_accuracy", 0.5 + 0.01 * e);
            }
            plots.onEpochEnd(null, logs);
        }
    }

    @Test
    void restoredPlotsCarryTheCurvesOfTheEpochsBeforeTheResume() {
        PlotCallback straight = new PlotCallback(dir);
        plot(straight, 0, 6);
        for (int k = 1; k < 6; k++) {
            PlotCallback first = new PlotCallback(dir);
            plot(first, 0, k);
            PlotCallback resumed = new PlotCallback(dir);
            resumed.loadStateDict(first.stateDict());
            plot(resumed, k, 6);
            Map<String, Tensor> want = straight.stateDict();
            Map<String, Tensor> got = resumed.stateDict();
            assertEquals(want.keySet(), got.keySet(), "interrupted after epoch " + k);
            for (String key : want.keySet()) {
                assertArrayEquals(want.get(key).toDoubleArray(), got.get(key).toDoubleArray(), "series " + key + ", interrupted after epoch " + k);
            }
        }
        assertEquals(6, straight.stateDict().get("loss").size(0));
        assertTrue(Double.isNaN(straight.stateDict().get("val_accuracy").toDoubleArray()[0]), "epochs without the key hold NaN");
        assertTrue(Files.exists(dir.resolve("loss.png")));
    }

    @Test
    void plotStateOfUnequalLengthsIsRefused() {
        Map<String, Tensor> state = Map.of("loss", fathom.Tensors.of(new double[] {1, 2, 3}), "val_loss", fathom.Tensors.of(new double[] {1, 2}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PlotCallback(dir).loadStateDict(state)).getMessage().contains("per epoch"));
    }

    /** Trains blobs until early stopping on {@code loss} (from a checkpoint when given); returns the epochs' training losses. */
    private double[] fit(int epochs, Path saveDir, Path resumeFrom) throws Exception {
        Rng init = new Rng(20);
        Sequential m = TrainerTest.model(init);
        Sgd opt = new Sgd(m.parameters(), new SgdConfig(0.05, 0.9));
        Checkpoint.Restored restored = resumeFrom == null ? null : Checkpoint.load(resumeFrom, m, opt, null);
        Rng shuffle = restored == null ? new Rng(21) : restored.rngs().get("shuffle");
        DataLoader train = new DataLoader(TrainerTest.blobs(22, 256), new LoaderConfig(32, true), shuffle);
        List<Callback> cbs = new ArrayList<>(List.of(new EarlyStopping("loss", 2, 0.01, false)));
        if (saveDir != null) {
            cbs.add(new CheckpointCallback(saveDir, null, Map.of("shuffle", shuffle), Map.of()));
        }
        Trainer t = new Trainer(m, new CrossEntropyLoss(), opt, List.of(), cbs, new TrainConfig(epochs));
        if (restored != null) {
            t.resumeFrom(restored);
        }
        return t.fit(train, null).history().stream().mapToDouble(h -> h.get("loss")).toArray();
    }

    @Test
    void aFitResumedWithEarlyStoppingStopsWhereTheUninterruptedFitStops() throws Exception {
        int max = 40;
        double[] straight = fit(max, null, null);
        int stop = straight.length;
        assertTrue(stop > 3 && stop < max, "the loss improves by less than 0.01 for 3 epochs in a row before epoch " + max + ": "
                + Arrays.toString(straight));
        for (int k : new int[] {stop - 2, stop - 1, stop}) {
            Path save = dir.resolve("k" + k);
            fit(k, save, null);
            double[] resumed = fit(max, null, save.resolve("checkpoint.safetensors"));
            assertArrayEquals(Arrays.copyOfRange(straight, k, stop), resumed, "resumed after epoch " + k + " of " + stop);
        }
    }

    @Test
    void aStatefulCallbackAfterTheCheckpointIsRefused() {
        Sequential m = TrainerTest.model(new Rng(1));
        Sgd opt = new Sgd(m.parameters(), new SgdConfig(0.1));
        DataLoader train = new DataLoader(TrainerTest.blobs(2, 64), new LoaderConfig(32, false), new Rng(3));
        List<Callback> cbs = List.of(new CheckpointCallback(dir, null, Map.of(), Map.of()), new EarlyStopping("loss", 1, 0, false));
        Trainer t = new Trainer(m, new CrossEntropyLoss(), opt, List.of(), cbs, new TrainConfig(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.fit(train, null)).getMessage().contains("early_stopping"));
        assertThrows(IllegalArgumentException.class, () -> new Trainer(m, new CrossEntropyLoss(), opt, List.of(),
                List.of(new EarlyStopping("loss", 1, 0, false), new EarlyStopping("accuracy", 1, 0, true)), new TrainConfig(1)));
    }

    /** Runs {@code log} over epochs {@code from} to {@code to} (0-based, exclusive) with scripted logs. */
    private static void log(LogFile log, int from, int to) {
        TrainState state = new TrainState(null, null, List.of(log), to, 4, from, 4L * from);
        log.onTrainBegin(state);
        for (; state.epoch < to; state.epoch++) {
            state.step += 4;
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", 1.0 / (state.epoch + 1));
            logs.put("lr", 0.1);
            log.onEpochEnd(state, logs);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aResumedLogKeepsTheEpochsBeforeTheCheckpointOnceAndCountsSecondsOn(boolean jsonLines) throws Exception {
        Path file = dir.resolve(jsonLines ? "log.jsonl" : "log.csv");
        log(new LogFile(file, jsonLines), 0, 4);
        List<String> interrupted = Files.readAllLines(file);
        int header = jsonLines ? 0 : 1;
        assertEquals(header + 4, interrupted.size());
        // the checkpoint after epoch 2 is the last one; epochs 3 and 4 were logged before a crash
        List<String> edited = new ArrayList<>(interrupted);
        edited.set(header + 1, edited.get(header + 1).replaceFirst("(seconds\": |^2,8,)[0-9.]+", "$11000.000"));
        Files.write(file, edited);
        log(new LogFile(file, jsonLines), 2, 5);
        List<String> resumed = Files.readAllLines(file);
        assertEquals(edited.subList(0, header + 2), resumed.subList(0, header + 2), "the rows up to the checkpoint are kept as they were");
        assertEquals(header + 5, resumed.size(), String.join("\n", resumed));
        double previous = -1;
        for (int i = 0; i < 5; i++) {
            String row = resumed.get(header + i);
            String[] fields = jsonLines ? row.replaceAll("[{}\"a-z:]", "").split(", *") : row.split(",");
            assertEquals(i + 1, Integer.parseInt(fields[0].trim()), row);
            assertEquals(4 * (i + 1), Integer.parseInt(fields[1].trim()), row);
            double seconds = Double.parseDouble(fields[2].trim());
            assertTrue(seconds >= previous && (i < 1 || seconds >= 1000), "seconds count on from the last kept row's: " + resumed);
            previous = seconds;
        }
        if (!jsonLines) {
            assertEquals("epoch,step,seconds,loss,lr", resumed.get(0));
        }
    }

    @Test
    void aFitFromEpochZeroReplacesTheLog() throws Exception {
        Path file = dir.resolve("log.csv");
        log(new LogFile(file, false), 0, 3);
        log(new LogFile(file, false), 0, 1);
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aMalformedLogIsAnErrorNamingItsLineAndIsLeftAlone() throws Exception {
        Path file = dir.resolve("log.csv");
        String text = "epoch,step,seconds,loss,lr\n1,4,0.100,1.00000,0.100000\n2,8,0.200,0.500000\n";
        Files.writeString(file, text);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> log(new LogFile(file, false), 2, 3));
        DataFormatException cause = assertInstanceOf(DataFormatException.class, e.getCause());
        assertEquals(3, cause.line(), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("4 fields"), e.getMessage());
        assertEquals(text, Files.readString(file));
        Files.writeString(file, "{\"epoch\": 1, \"step\": 4, \"seconds\": 0.100, \"loss\": 1.0}\n{\"epoch\": 1, \"step\": 8, \"seconds\": 0.2}\n");
        e = assertThrows(UncheckedIOException.class, () -> log(new LogFile(file, true), 2, 3));
        assertEquals(2, ((DataFormatException) e.getCause()).line(), e.getMessage());
    }
}
