package fathom.train;

import fathom.Tensor;
import fathom.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * After every epoch, redraws {@code loss.png} (training and validation loss) and, when accuracy is
 * logged, {@code accuracy.png} in {@code dir}, over every epoch of the run: the curves so far are part
 * of its checkpoint state ({@code callback.plots.<log key>}, float64 [epochs]), so a resumed run draws
 * the epochs before the resume too. Like any {@link StatefulCallback} it goes before the
 * {@link CheckpointCallback}.
 */
public final class PlotCallback implements StatefulCallback {
    private final Path dir;
    private final List<Map<String, Double>> epochs = new ArrayList<>();

    public PlotCallback(Path dir) {
        this.dir = dir;
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        epochs.add(new LinkedHashMap<>(logs));
        draw("loss", "Loss", dir.resolve("loss.png"));
        if (logs.containsKey("accuracy")) {
            draw("accuracy", "Accuracy", dir.resolve("accuracy.png"));
        }
    }

    private void draw(String key, String title, Path png) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String k : List.of(key, "val_" + key)) {
            if (epochs.getLast().containsKey(k)) {
                series.put(k.startsWith("val_") ? "validation" : "training",
                        epochs.stream().mapToDouble(h -> h.getOrDefault(k, Double.NaN)).toArray());
            }
        }
        Plots.curves(png, title + " per epoch", title, series);
    }

    @Override
    public String stateName() {
        return "plots";
    }

    /** One float64 [epochs] series per log key (NaN in an epoch that did not log it). */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map<String, Double> e : epochs) {
            for (String k : e.keySet()) {
                m.computeIfAbsent(k, key -> Tensors.of(epochs.stream().mapToDouble(h -> h.getOrDefault(key, Double.NaN)).toArray()));
            }
        }
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        int n = -1;
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = e.getValue();
            if (t.dim() != 1 || !t.dtype().isFloating() || (n >= 0 && t.size(0) != n)) {
                throw new IllegalArgumentException("plot series '" + e.getKey() + "' must be a 1-d float tensor of one length per epoch"
                        + (n >= 0 ? " (" + n + ")" : "") + ", got " + t.dtype() + " " + t.shape());
            }
            n = t.size(0);
        }
        epochs.clear();
        for (int i = 0; i < Math.max(n, 0); i++) {
            epochs.add(new LinkedHashMap<>());
        }
        state.forEach((k, t) -> {
            double[] v = t.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i])) {
                    epochs.get(i).put(k, v[i]);
                }
            }
        });
    }
}
