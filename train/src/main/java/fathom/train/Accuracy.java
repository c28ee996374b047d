package fathom.train;

import fathom.DType;
import fathom.Tensor;
import java.util.Map;

/**
 * The fraction of samples whose target class is among the {@code k} largest logits (k = 1: plain
 * accuracy); logits [B, C], targets int64 [B]. Reported as {@code accuracy} or {@code top5_accuracy}.
 */
public final class Accuracy implements Metric {
    private final int k;
    private long correct;
    private long total;

    /** Top-1 accuracy. */
    public Accuracy() {
        this(1);
    }

    /** Top-k accuracy. */
    public Accuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k accuracy needs k >= 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public void update(Tensor output, Tensor target) {
        if (output.dim() != 2 || target.dim() != 1 || output.size(0) != target.size(0)) {
            throw new fathom.ShapeException("accuracy expects logits [B, C] and class indices [B], got " + output.shape()
                    + " and " + target.shape());
        }
        if (k == 1) {
            correct += (long) output.argmax(1, false).eq(target.to(DType.INT64)).to(DType.INT64).sum().item();
        } else {
            // the target is in the top k when fewer than k classes score strictly higher than it
            Tensor targetScore = output.gather(1, target.to(DType.INT64).unsqueeze(1));
            Tensor higher = output.gt(targetScore).to(DType.INT64).sum(1);
            correct += (long) higher.lt(k).to(DType.INT64).sum().item();
        }
        total += target.size(0);
    }

    @Override
    public Map<String, Double> values() {
        return Map.of(k == 1 ? "accuracy" : "top" + k + "_accuracy", total == 0 ? Double.NaN : (double) correct / total);
    }

    @Override
    public void reset() {
        correct = 0;
        total = 0;
    }
}
