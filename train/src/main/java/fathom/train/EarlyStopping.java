package fathom.train;

import fathom.DType;
import fathom.Tensor;
import fathom.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stops training when the monitored log (default {@code val_loss}) has not improved by more than
 * {@code minDelta} for {@code patience} epochs, as Keras' EarlyStopping; {@code maximize} for metrics
 * such as accuracy.
 *
 * <p>Its state (the best value and the epochs waited since) is saved in checkpoints as
 * {@code callback.early_stopping.best} and {@code callback.early_stopping.waited}, so a resumed run stops
 * at the epoch the uninterrupted run stops at; resuming a run that had already stopped trains no more
 * epochs (unless a larger {@code patience} is given).
 */
public final class EarlyStopping implements StatefulCallback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean maximize;
    private double best;
    private int waited;

    public EarlyStopping(String monitor, int patience, double minDelta, boolean maximize) {
        if (patience < 0 || minDelta < 0) {
            throw new IllegalArgumentException("patience and minDelta must be >= 0, got " + patience + " and " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.maximize = maximize;
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onTrainBegin(TrainState state) {
        // a restored state can already be past patience: the run it came from had decided to stop
        if (waited > patience) {
            state.requestStop();
        }
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalStateException("early stopping monitors '" + monitor + "', which is not among the logs " + logs.keySet());
        }
        boolean improved = maximize ? v > best + minDelta : v < best - minDelta;
        if (improved) {
            best = v;
            waited = 0;
        } else if (++waited > patience) {
            state.requestStop();
        }
    }

    /** The best value seen so far. */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement. */
    public int waited() {
        return waited;
    }

    @Override
    public String stateName() {
        return "early_stopping";
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("best", Tensors.scalar(best, DType.FLOAT64));
        m.put("waited", Tensors.scalar(waited, DType.INT64));
        return m;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        Set<String> unknown = new TreeSet<>(state.keySet());
        unknown.removeAll(Set.of("best", "waited"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown early stopping state " + unknown);
        }
        Tensor b = entry(state, "best");
        Tensor w = entry(state, "waited");
        if (w.dtype().isFloating() || w.item() < 0) {
            throw new IllegalArgumentException("'waited' must be a 0-d integer tensor >= 0, got " + w.dtype() + " " + w.item());
        }
        best = b.item();
        waited = (int) w.toLongArray()[0];
    }

    private static Tensor entry(Map<String, Tensor> state, String key) {
        Tensor t = state.get(key);
        if (t == null) {
            throw new IllegalArgumentException("the early stopping state has no '" + key + "'");
        }
        if (t.dim() != 0) {
            throw new IllegalArgumentException("'" + key + "' must be a 0-d tensor, got shape " + t.shape());
        }
        return t;
    }
}
