package fathom.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After every epoch, redraws {@code loss.png} (training and validation loss) and, when accuracy is
 * logged, {@code accuracy.png} in {@code dir}.
 */
public final class PlotCallback implements Callback {
    private final Path dir;

    public PlotCallback(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        draw(state.history(), "loss", "Loss", dir.resolve("loss.png"));
        if (logs.containsKey("accuracy")) {
            draw(state.history(), "accuracy", "Accuracy", dir.resolve("accuracy.png"));
        }
    }

    private static void draw(List<Map<String, Double>> history, String key, String title, Path png) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String k : List.of(key, "val_" + key)) {
            if (history.get(0).containsKey(k)) {
                series.put(k.startsWith("val_") ? "validation" : "training", history.stream().mapToDouble(h -> h.get(k)).toArray());
            }
        }
        Plots.curves(png, title + " per epoch", title, series);
    }
}
