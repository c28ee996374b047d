package fathom.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fathom.Tensor;
import fathom.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Tensor LOGITS = Tensors.of(new float[] {
        0.9f, 0.1f, 0.0f,
        0.2f, 0.7f, 0.1f,
        0.1f, 0.3f, 0.6f,
        0.5f, 0.4f, 0.1f}, 4, 3);
    private static final Tensor TARGET = Tensors.of(new long[] {0, 1, 1, 1});

    @Test
    void topOneAndTopKAccuracy() {
        Accuracy top1 = new Accuracy();
        top1.update(LOGITS, TARGET);
        assertEquals(0.5, top1.values().get("accuracy"), 1e-12);
        Accuracy top2 = new Accuracy(2);
        top2.update(LOGITS, TARGET);
        assertEquals(1.0, top2.values().get("top2_accuracy"), 1e-12);
        top1.reset();
        top1.update(LOGITS.narrow(0, 0, 2), TARGET.narrow(0, 0, 2));
        assertEquals(1.0, top1.values().get("accuracy"), 1e-12);
    }

    @Test
    void confusionMatrixPrecisionRecallF1() {
        ConfusionMatrix cm = new ConfusionMatrix(List.of("a", "b", "c"));
        cm.update(LOGITS, TARGET);
        assertArrayEquals(new long[] {1, 0, 0}, cm.matrix()[0]);
        assertArrayEquals(new long[] {1, 1, 1}, cm.matrix()[1]);
        double[] b = cm.precisionRecallF1(1);
        assertEquals(1.0, b[0], 1e-12);
        assertEquals(1.0 / 3, b[1], 1e-12);
        assertEquals(0.5, b[2], 1e-12);
        assertEquals(0.5, cm.precisionRecallF1(0)[0], 1e-12);
        assertEquals(0.0, cm.precisionRecallF1(2)[2], 1e-12, "no true c: zero, as scikit-learn's zero_division=0");
    }

    @Test
    void regressionErrors() {
        RegressionMetrics m = new RegressionMetrics();
        m.update(Tensors.of(new float[] {1, 2, 3}), Tensors.of(new float[] {1, 4, 0}));
        assertEquals(5.0 / 3, m.values().get("mae"), 1e-6);
        assertEquals(13.0 / 3, m.values().get("mse"), 1e-6);
    }
}
