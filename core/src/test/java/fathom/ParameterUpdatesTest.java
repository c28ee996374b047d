package fathom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The fused optimizer updates give what the in-place ops they stand for give (on the backend of this
 * module's tests, the composed defaults; the CPU backend's one-pass kernels are held to the same ops bit
 * for bit in the cpu module), and refuse what an in-place op refuses.
 */
class ParameterUpdatesTest {
    @Test
    void sgdMomentumIsTheComposedInPlaceOps() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double dampening : new double[] {0, 0.25}) {
                Tensor p = Tensors.randn(new Rng(1), 3, 5).to(t);
                Tensor buf = Tensors.randn(new Rng(2), 3, 5).to(t);
                Tensor d = Tensors.randn(new Rng(3), 3, 5).to(t);
                Tensor pRef = p.clone();
                Tensor bufRef = buf.clone();
                bufRef.mulInPlace(0.9).addInPlace(d, 1 - dampening);
                pRef.addInPlace(bufRef, -0.05);
                ParameterUpdates.sgdMomentum(p, buf, d, 0.9, dampening, 0.05);
                assertArrayEquals(bufRef.toDoubleArray(), buf.toDoubleArray(), 0, t + " buffer");
                assertArrayEquals(pRef.toDoubleArray(), p.toDoubleArray(), 0, t + " parameter");
            }
        }
    }

    @Test
    void adamIsTheComposedInPlaceOps() {
        double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, lr = 1e-3;
        int step = 3;
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        Tensor p = Tensors.randn(new Rng(1), 4, 3);
        Tensor g = Tensors.randn(new Rng(2), 4, 3);
        Tensor m = Tensors.randn(new Rng(3), 4, 3);
        Tensor v = Tensors.rand(new Rng(4), 4, 3);
        Tensor pRef = p.clone(), mRef = m.clone(), vRef = v.clone();
        mRef.mulInPlace(beta1).addInPlace(g, 1 - beta1);
        vRef.mulInPlace(beta2).addInPlace(g.mul(1 - beta2).mulInPlace(g));
        Tensor denom = vRef.sqrt().divInPlace(Tensors.scalar(Math.sqrt(c2), DType.FLOAT32)).addInPlace(Tensors.scalar(eps, DType.FLOAT32));
        pRef.addInPlace(mRef.mul(-lr / c1).divInPlace(denom));
        ParameterUpdates.adam(p, g, m, v, beta1, beta2, eps, lr / c1, c2);
        assertArrayEquals(mRef.toFloatArray(), m.toFloatArray(), "first moment");
        assertArrayEquals(vRef.toFloatArray(), v.toFloatArray(), "second moment");
        assertArrayEquals(pRef.toFloatArray(), p.toFloatArray(), "parameter");
    }

    @Test
    void refusesWhatAnInPlaceOpRefuses() {
        Tensor p = Tensors.zeros(Shape.of(2, 3), DType.FLOAT32);
        var shape = assertThrows(ShapeException.class,
                () -> ParameterUpdates.sgdMomentum(p, Tensors.zeros(Shape.of(3, 2), DType.FLOAT32), p.clone(), 0.9, 0, 0.1));
        assertTrue(shape.getMessage().contains("[3, 2]") && shape.getMessage().contains("[2, 3]"), shape.getMessage());
        var dtype = assertThrows(DTypeException.class,
                () -> ParameterUpdates.adam(p, p.clone(), p.clone(), p.to(DType.FLOAT64), 0.9, 0.999, 1e-8, 1e-3, 1e-3));
        assertTrue(dtype.getMessage().contains("FLOAT64"), dtype.getMessage());
        Tensor w = Tensors.zeros(Shape.of(2), DType.FLOAT32).requiresGrad(true);
        var grad = assertThrows(AutogradException.class, () -> ParameterUpdates.sgdMomentum(w, w.detach().clone(), w.detach().clone(), 0.9, 0, 0.1));
        assertTrue(grad.getMessage().contains("requires grad"), grad.getMessage());
    }

    @Test
    void bumpsTheVersionOfWhatItWrites() {
        Tensor buf = Tensors.ones(Shape.of(2), DType.FLOAT32);
        Tensor w = Tensors.ones(Shape.of(2), DType.FLOAT32).requiresGrad(true);
        Tensor y = w.mul(buf).sum();
        try (var _ = Autograd.noGrad()) {
            ParameterUpdates.sgdMomentum(Tensors.ones(Shape.of(2), DType.FLOAT32), buf, buf.clone(), 0.9, 0, 0.1);
        }
        var e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an in-place op"), e.getMessage());
    }
}
