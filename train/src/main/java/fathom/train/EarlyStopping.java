package fathom.train;

import java.util.Map;

/**
 * Stops training when the monitored log (default {@code val_loss}) has not improved by more than
 * {@code minDelta} for {@code patience} epochs, as Keras' EarlyStopping; {@code maximize} for metrics
 * such as accuracy.
 */
public final class EarlyStopping implements Callback {
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
}
