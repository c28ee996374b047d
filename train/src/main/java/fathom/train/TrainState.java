package fathom.train;

import fathom.Tensor;
import fathom.nn.Module;
import fathom.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where training stands: the epoch (0-based, the one running or next to run), the optimizer steps
 * taken, the per-epoch history of logs, and whether a callback asked to stop.
 */
public final class TrainState {
    private final Module model;
    private final Optimizer<?> optimizer;
    private final int epochs;
    private final int batchesPerEpoch;
    private final List<Map<String, Double>> history = new ArrayList<>();
    private final List<Callback> callbacks;
    int epoch;
    long step;
    private boolean stopRequested;

    TrainState(Module model, Optimizer<?> optimizer, List<Callback> callbacks, int epochs, int batchesPerEpoch, int epoch, long step) {
        this.model = model;
        this.callbacks = callbacks;
        this.optimizer = optimizer;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.epoch = epoch;
        this.step = step;
    }

    public Module model() {
        return model;
    }

    public Optimizer<?> optimizer() {
        return optimizer;
    }

    /** The epoch running now (during an epoch's callbacks) or about to run, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** Total epochs this fit runs to. */
    public int epochs() {
        return epochs;
    }

    /** Optimizer steps taken so far, across epochs and resumes. */
    public long step() {
        return step;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The logs of every finished epoch, oldest first. */
    public List<Map<String, Double>> history() {
        return history;
    }

    void record(Map<String, Double> logs) {
        history.add(new LinkedHashMap<>(logs));
    }

    /** The callbacks of this fit, in the order they run. */
    List<Callback> callbacks() {
        return callbacks;
    }

    /**
     * The state of every {@link StatefulCallback} of this fit as {@code <stateName>.<key>}, in callback
     * order: what a checkpoint saves under {@code callback.}.
     */
    public Map<String, Tensor> callbackState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            if (c instanceof StatefulCallback s) {
                s.stateDict().forEach((k, v) -> out.put(s.stateName() + "." + k, v));
            }
        }
        return out;
    }

    /** Ends training after the current epoch (early stopping uses this). */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }
}
