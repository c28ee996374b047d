package fathom.train;

import java.io.PrintStream;
import java.util.Map;

/**
 * Shows a progress bar per epoch with the running loss, then one summary line per epoch with every
 * log; on a terminal the bar redraws in place, elsewhere it prints plain lines.
 */
public final class ProgressCallback implements Callback {
    private final PrintStream out;
    private ProgressBar bar;
    private double lossSum;
    private int batches;

    public ProgressCallback(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochBegin(TrainState state) {
        bar = new ProgressBar(String.format("epoch %d/%d", state.epoch() + 1, state.epochs()), state.batchesPerEpoch(), out);
        lossSum = 0;
        batches = 0;
    }

    @Override
    public void onBatchEnd(TrainState state, double loss) {
        lossSum += loss;
        batches++;
        bar.step(String.format("loss %.4f", lossSum / batches));
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder(String.format("epoch %d/%d:", state.epoch() + 1, state.epochs()));
        logs.forEach((k, v) -> sb.append(String.format(k.equals("lr") ? " %s %.4g" : " %s %.4f", k, v)));
        out.println(sb);
    }
}
