package fathom;

import fathom.backend.Backends;
import fathom.backend.BinaryOp;

/**
 * In-place writes. Each bumps the storage's version counter, so autograd notices a value it saved
 * being overwritten; writing into a tensor that requires grad while grad mode is on is refused.
 */
final class InPlace {
    private InPlace() {}

    static Tensor binary(BinaryOp op, Tensor t, Tensor other) {
        checkStorable(op.name().toLowerCase() + "InPlace", op, t, other);
        Backends.current().binaryInPlace(op, t, other.to(t.dtype()).detach());
        t.storage.bumpVersion();
        return t;
    }

    /** t += alpha·other in one pass when t is floating; an integer t gets t + (alpha·other), which only an integral result fits. */
    static Tensor addScaled(Tensor t, Tensor other, double alpha) {
        if (!t.dtype().isFloating()) {
            return binary(BinaryOp.ADD, t, other.mul(alpha));
        }
        checkStorable("addInPlace", BinaryOp.ADD, t, other);
        Backends.current().addScaledInPlace(t, other.to(t.dtype()).detach(), alpha);
        t.storage.bumpVersion();
        return t;
    }

    static Tensor addMatmul(Tensor t, Tensor a, Tensor b, double beta) {
        if (t.dim() != 2 || a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(0) || a.size(0) != t.size(0) || b.size(1) != t.size(1)) {
            throw new ShapeException("addMatmulInPlace: cannot add the product of " + a.shape + " and " + b.shape + " to a " + t.shape
                    + " tensor; it needs [M, N] += [M, K]·[K, N]");
        }
        if (a.dtype() != t.dtype() || b.dtype() != t.dtype()) {
            throw new DTypeException("addMatmulInPlace: operands " + a.dtype() + " and " + b.dtype() + " must have the "
                    + t.dtype() + " of the tensor written");
        }
        checkWritable("addMatmulInPlace", t, t);
        if (beta != 0 && beta != 1) {
            Backends.current().binaryInPlace(BinaryOp.MUL, t, Tensors.scalar(beta, t.dtype()));
        }
        Backends.current().matmulInto(t, a.detach(), b.detach(), beta != 0);
        t.storage.bumpVersion();
        return t;
    }

    private static void checkStorable(String name, BinaryOp op, Tensor t, Tensor other) {
        checkWritable(name, t, other);
        DType promoted = DType.promote(t.dtype(), other.dtype());
        if (promoted != t.dtype() || op == BinaryOp.DIV && !t.dtype().isFloating()) {
            throw new DTypeException(name + ": the result type " + promoted + " cannot be stored in a " + t.dtype() + " tensor");
        }
    }

    static Tensor copy(Tensor t, Tensor src) {
        checkWritable("copyInPlace", t, src);
        Backends.current().copyInto(t, src.detach());
        t.storage.bumpVersion();
        return t;
    }

    static void checkWritable(String op, Tensor t, Tensor other) {
        if (t.requiresGrad && Autograd.isGradEnabled()) {
            throw new AutogradException(op + " on a tensor that requires grad (shape " + t.shape + "): autograd cannot"
                    + " track in-place changes; use the out-of-place op, or do it inside Autograd.noGrad()");
        }
        if (!Shape.broadcast(op, t.shape, other.shape).equals(t.shape)) {
            throw new ShapeException(op + ": a " + other.shape + " operand would change the shape of the " + t.shape + " tensor written in place");
        }
        for (int d = 0; d < t.dim(); d++) {
            if (t.strides[d] == 0 && t.size(d) > 1) {
                throw new ShapeException(op + ": the tensor is an expanded view (several elements share one memory location); clone() it first");
            }
        }
    }
}
