package fathom;

import fathom.autograd.Op;
import fathom.backend.ActivationResult;
import fathom.backend.Backends;
import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import fathom.backend.UnaryOp;

/** Element-wise ops: dtype promotion, broadcasting checks, the backend call and the autograd record. */
final class Elementwise {
    private static final Op.Unary[] UNARY = new Op.Unary[UnaryOp.values().length];
    private static final Op.Binary[] BINARY = new Op.Binary[BinaryOp.values().length];
    private static final Op.Where WHERE = new Op.Where();

    static {
        for (UnaryOp u : UnaryOp.values()) {
            UNARY[u.ordinal()] = new Op.Unary(u);
        }
        for (BinaryOp b : BinaryOp.values()) {
            BINARY[b.ordinal()] = new Op.Binary(b);
        }
    }

    private Elementwise() {}

    static Tensor unary(UnaryOp op, Tensor x) {
        if (x.dtype() == DType.BOOL) {
            throw new DTypeException(op.name().toLowerCase() + " is not defined for bool tensors");
        }
        if (!x.dtype().isFloating() && !op.keepsIntegers()) {
            x = x.to(DType.FLOAT32);
        }
        return Autograd.record(UNARY[op.ordinal()], Backends.current().unary(op, x), x);
    }

    /** The exact GELU; when autograd records it, with its derivative saved for the backward ({@link Op.Gelu}). */
    static Tensor gelu(Tensor x) {
        if (!x.requiresGrad() || !Autograd.isGradEnabled()) {
            return unary(UnaryOp.GELU, x);
        }
        ActivationResult r = Backends.current().geluWithDerivative(x);
        return Autograd.record(new Op.Gelu(r.derivative()), r.output(), x);
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        if (!t.isFloating() && (op == BinaryOp.DIV || t == DType.BOOL && op != BinaryOp.MAXIMUM && op != BinaryOp.MINIMUM)) {
            t = op == BinaryOp.DIV ? DType.FLOAT32 : DType.INT64;
        }
        a = a.to(t);
        b = b.to(t);
        return Autograd.record(BINARY[op.ordinal()], Backends.current().binary(op, a, b), a, b);
    }

    /** x^e, with the common exponents 1 and 2 taking the cheaper path. */
    static Tensor pow(Tensor x, double e) {
        if (e == 2) {
            return unary(UnaryOp.SQUARE, x);
        }
        if (e == 0.5) {
            return unary(UnaryOp.SQRT, x);
        }
        return binary(BinaryOp.POW, x, scalarLike(x, e));
    }

    static Tensor compare(CompareOp op, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        return Backends.current().compare(op, a.to(t).detach(), b.to(t).detach());
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new DTypeException("where: the condition must be a bool tensor, got " + cond.dtype());
        }
        DType t = DType.promote(a.dtype(), b.dtype());
        a = a.to(t);
        b = b.to(t);
        return Autograd.record(WHERE, Backends.current().where(cond, a, b), cond, a, b);
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        return where(x.gt(0), x, x.mul(slope));
    }

    static Tensor elu(Tensor x, double alpha) {
        return where(x.gt(0), x, x.expm1().mul(alpha));
    }

    /** min(max(x, min), max); the gradient passes where min ≤ x ≤ max, as in PyTorch. */
    static Tensor clamp(Tensor x, double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        Tensor r = x;
        if (min != Double.NEGATIVE_INFINITY) {
            r = where(x.lt(min), scalarLike(x, min), r);
        }
        if (max != Double.POSITIVE_INFINITY) {
            r = where(x.gt(max), scalarLike(x, max), r);
        }
        return r;
    }

    static Tensor isFinite(Tensor x) {
        if (!x.dtype().isFloating()) {
            return Tensors.full(x.shape(), DType.BOOL, 1);
        }
        return compare(CompareOp.LT, unary(UnaryOp.ABS, x.detach()), scalarLike(x, Double.POSITIVE_INFINITY));
    }

    /**
     * A 0-d tensor holding {@code v} in the dtype a Python scalar takes next to x: x's dtype when x is
     * floating or v is a whole number, else float32 (so int tensor + 0.5 computes in float, as in PyTorch).
     */
    static Tensor scalarLike(Tensor x, double v) {
        DType t = x.dtype();
        if (!t.isFloating() && (v != Math.rint(v) || Double.isInfinite(v))) {
            t = DType.FLOAT32;
        } else if (t == DType.BOOL) {
            t = DType.INT64;
        }
        return Tensors.scalar(v, t);
    }
}
