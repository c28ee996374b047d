package fathom.train;

import fathom.optim.LrScheduler;
import fathom.optim.ReduceLrOnPlateau;
import java.util.Map;

/**
 * Steps a learning-rate schedule: after every optimizer step when {@code perBatch} (one-cycle, warmup
 * cosine), else once per epoch; a {@link ReduceLrOnPlateau} schedule gets the monitored log
 * (default {@code val_loss}) each epoch.
 */
public final class ScheduleCallback implements Callback {
    private final LrScheduler scheduler;
    private final boolean perBatch;
    private final String monitor;

    public ScheduleCallback(LrScheduler scheduler, boolean perBatch, String monitor) {
        this.scheduler = scheduler;
        this.perBatch = perBatch;
        this.monitor = monitor;
    }

    public LrScheduler scheduler() {
        return scheduler;
    }

    @Override
    public void onBatchEnd(TrainState state, double loss) {
        if (perBatch) {
            scheduler.step();
        }
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        if (perBatch) {
            return;
        }
        if (scheduler instanceof ReduceLrOnPlateau) {
            Double v = logs.get(monitor);
            if (v == null) {
                throw new IllegalStateException("the plateau schedule monitors '" + monitor + "', which is not among the logs " + logs.keySet());
            }
            scheduler.step(v);
        } else {
            scheduler.step();
        }
    }
}
