package fathom.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.DTypeException;
import fathom.Rng;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import org.junit.jupiter.api.Test;

/** Loss behaviour beyond the PyTorch fixtures: dtypes kept, errors that name both shapes, extreme inputs. */
class LossTest {
    @Test
    void float32InputsGiveFloat32Losses() {
        Rng rng = new Rng(1);
        Tensor logits = Tensors.randn(rng, 6, 5);
        Tensor labels = Tensors.of(new long[] {0, 1, -100, 3, 4, 2});
        for (Loss loss : new Loss[] {new CrossEntropyLoss(), new CrossEntropyLoss(Tensors.ones(5), -100, Reduction.MEAN, 0.1),
                new NllLoss()}) {
            Tensor out = loss.apply(logits, labels);
            assertEquals(DType.FLOAT32, out.dtype(), loss.toString());
            assertEquals(Shape.scalar(), out.shape());
        }
        assertEquals(DType.FLOAT32, new MseLoss().apply(logits, Tensors.zeros(6, 5)).dtype());
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogC() {
        Tensor loss = new CrossEntropyLoss().apply(Tensors.zeros(Shape.of(4, 10), DType.FLOAT64), Tensors.of(new long[] {0, 3, 9, 5}));
        assertEquals(Math.log(10), loss.item(), 1e-15);
    }

    @Test
    void allTargetsIgnoredGivesNaNMeanAsPyTorch() {
        Tensor loss = new CrossEntropyLoss().apply(Tensors.zeros(2, 3), Tensors.of(new long[] {-100, -100}));
        assertTrue(Double.isNaN(loss.item()));
        assertEquals(0, new CrossEntropyLoss(Reduction.SUM).apply(Tensors.zeros(2, 3), Tensors.of(new long[] {-100, -100})).item());
    }

    @Test
    void errorsNameBothShapes() {
        String msg = assertThrows(ShapeException.class, () -> new MseLoss().apply(Tensors.zeros(3, 4), Tensors.zeros(4, 3))).getMessage();
        assertTrue(msg.contains("[3, 4]") && msg.contains("[4, 3]"), msg);
        msg = assertThrows(ShapeException.class,
                () -> new CrossEntropyLoss().apply(Tensors.zeros(4, 5), Tensors.of(new long[] {1, 2, 3}))).getMessage();
        assertTrue(msg.contains("[4, 5]") && msg.contains("[3]"), msg);
        msg = assertThrows(ShapeException.class, () -> new CrossEntropyLoss().apply(Tensors.zeros(4, 5), Tensors.zeros(4, 4))).getMessage();
        assertTrue(msg.contains("[4, 5]") && msg.contains("[4, 4]"), msg);
        msg = assertThrows(DTypeException.class,
                () -> new BceLoss().apply(Tensors.zeros(2), Tensors.of(new long[] {0, 1}))).getMessage();
        assertTrue(msg.contains("INT64") && msg.contains("[2]"), msg);
        msg = assertThrows(DTypeException.class,
                () -> new NllLoss().apply(Tensors.zeros(2, 3), Tensors.of(new boolean[] {true, false}))).getMessage();
        assertTrue(msg.contains("[2, 3]") && msg.contains("[2]"), msg);
        msg = assertThrows(ShapeException.class,
                () -> new NllLoss(Tensors.ones(4), -100, Reduction.MEAN).apply(Tensors.zeros(2, 3), Tensors.of(new long[] {0, 1}))).getMessage();
        assertTrue(msg.contains("[4]") && msg.contains("[2, 3]"), msg);
    }

    @Test
    void targetsOutOfRangeAreNamed() {
        String msg = assertThrows(IndexOutOfBoundsException.class,
                () -> new CrossEntropyLoss().apply(Tensors.zeros(2, 3), Tensors.of(new long[] {0, 3}))).getMessage();
        assertTrue(msg.contains("target 3") && msg.contains("3 classes"), msg);
        assertThrows(IndexOutOfBoundsException.class, () -> new NllLoss().apply(Tensors.zeros(2, 3), Tensors.of(new long[] {-1, 0})));
        assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(null, 1, Reduction.MEAN, 0).apply(Tensors.zeros(2, 3), Tensors.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss(null, -100, Reduction.MEAN, 1.5));
    }

    @Test
    void bceWithLogitsIsFiniteAtExtremeFloat32Logits() {
        Tensor x = Tensors.of(new float[] {1e4f, -1e4f, 1e4f, -1e4f, 0, 0, 88, -104}).requiresGrad(true);
        Tensor y = Tensors.of(new float[] {1, 0, 0, 1, 1, 0, 1, 1});
        Tensor loss = new BceWithLogitsLoss(Reduction.NONE).apply(x, y);
        assertArrayEquals(new float[] {0, 0, 1e4f, 1e4f, (float) Math.log(2), (float) Math.log(2), 0, 104}, loss.toFloatArray(), 1e-6f);
        loss.sum().backward();
        // d/dx = sigmoid(x) − y, including exactly at x = 0 where the composition has kinks
        assertArrayEquals(new float[] {0, 0, 1, -1, -0.5f, 0.5f, 0, -1}, x.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void bceClampsTheLogAtMinus100() {
        Tensor loss = new BceLoss(Reduction.NONE).apply(Tensors.of(new double[] {0, 1, 0.5}), Tensors.of(new double[] {1, 0, 1}));
        assertArrayEquals(new double[] {100, 100, Math.log(2)}, loss.toDoubleArray(), 1e-12);
    }

    @Test
    void klDivergenceOfIdenticalDistributionsIsZero() {
        Tensor p = Tensors.randn(new Rng(2), Shape.of(3, 4), DType.FLOAT64).softmax(1);
        Tensor p0 = Tensors.of(new double[] {0.5, 0.5, 0}, 1, 3);
        assertEquals(0, new KlDivLoss(KlDivLoss.KlReduction.BATCHMEAN, false).apply(p.log(), p).item(), 1e-15);
        assertEquals(0, new KlDivLoss(KlDivLoss.KlReduction.SUM, true).apply(p.log(), p.log()).item(), 1e-15);
        // a zero target contributes nothing, even against a finite input
        assertEquals(0, new KlDivLoss(KlDivLoss.KlReduction.SUM, false).apply(Tensors.of(new double[] {Math.log(0.5), Math.log(0.5), -3}, 1, 3), p0).item(), 1e-15);
    }
}
