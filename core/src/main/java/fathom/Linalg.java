package fathom;

import fathom.autograd.Op;
import fathom.backend.ActivationResult;
import fathom.backend.Backends;

/** Matrix products with PyTorch's rules for 1-d, 2-d, batched and broadcast operands, and the linear map of a dense layer. */
public final class Linalg {
    private static final Op.MatMul MATMUL = new Op.MatMul();
    private static final Op.Linear LINEAR = new Op.Linear();
    private static final Op.AddLinear ADD_LINEAR = new Op.AddLinear();

    /** A linear map's operands as the backend takes them: x flattened to [rows, K], all of one floating dtype. */
    private record LinearOperands(Tensor x, Tensor w, Tensor b, int[] outSizes) {}

    private Linalg() {}

    /**
     * {@code input·weightᵀ + bias} over the last dimension (PyTorch's {@code F.linear}): input [..., K],
     * weight [N, K], bias [N] or null; the result is [..., N]. One op rather than a matmul and an add, so
     * the backend can start the product from the bias (as PyTorch's {@code addmm}) and the backward pass
     * takes one node.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        LinearOperands o = linearOperands("linear", input, weight, bias);
        Tensor y = Backends.current().linear(o.x(), o.w(), o.b());
        y = o.b() == null ? Autograd.record(LINEAR, y, o.x(), o.w()) : Autograd.record(LINEAR, y, o.x(), o.w(), o.b());
        return y.reshape(o.outSizes());
    }

    /**
     * {@code linear(input, weight, bias).gelu()}, the exact GELU of a linear map, with the same numbers, as one
     * autograd node ({@link Op.LinearGelu}): the backend applies the GELU to each block of the product while it is
     * still in cache, and the product is never a tensor of its own. A transformer's feed-forward input layer;
     * PyTorch leaves this fusion to {@code torch.compile}. In the GPT benchmark's [2048, 128]·[512, 128]ᵀ layer on two
     * threads, alternating with the two calls in one JVM: 3.76 against 4.15 ms (faster in 36 of 40 rounds).
     */
    public static Tensor linearGelu(Tensor input, Tensor weight, Tensor bias) {
        boolean record = Autograd.isGradEnabled() && (input.requiresGrad() || weight.requiresGrad() || bias != null && bias.requiresGrad());
        if (!record) {
            return linear(input, weight, bias).gelu();
        }
        LinearOperands o = linearOperands("linearGelu", input, weight, bias);
        ActivationResult r = Backends.current().linearGeluWithDerivative(o.x(), o.w(), o.b());
        Op op = new Op.LinearGelu(r.derivative());
        Tensor y = o.b() == null ? Autograd.record(op, r.output(), o.x(), o.w()) : Autograd.record(op, r.output(), o.x(), o.w(), o.b());
        return y.reshape(o.outSizes());
    }

    /**
     * {@code residual.add(linear(input, weight, bias))}, a residual connection around a linear layer, with the same
     * numbers, as one autograd node ({@link Op.AddLinear}): the backend adds the residual to each block of the product
     * while it is still in cache, and the product is never a tensor of its own. The residual must have the result's
     * shape (no broadcasting). A transformer block's attention and feed-forward outputs; PyTorch leaves this fusion
     * to {@code torch.compile}.
     *
     * @throws ShapeException if the residual's shape is not the linear map's output shape
     */
    public static Tensor addLinear(Tensor residual, Tensor input, Tensor weight, Tensor bias) {
        LinearOperands o = linearOperands("addLinear", input, weight, bias);
        if (!residual.shape().equals(Shape.of(o.outSizes()))) {
            throw new ShapeException("addLinear: residual " + residual.shape() + " must have the linear map's output shape "
                    + Shape.of(o.outSizes()) + " (input " + input.shape() + ", weight " + weight.shape() + ")");
        }
        DType t = DType.promote(residual.dtype(), o.x().dtype());
        Tensor x = o.x().to(t);
        Tensor w = o.w().to(t);
        Tensor b = o.b() == null ? null : o.b().to(t);
        Tensor r = residual.to(t).reshape(x.size(0), w.size(0));
        Tensor y = Backends.current().addLinear(r, x, w, b);
        y = b == null ? Autograd.record(ADD_LINEAR, y, r, x, w) : Autograd.record(ADD_LINEAR, y, r, x, w, b);
        return y.reshape(o.outSizes());
    }

    /** Checks {@link #linear}'s operands (naming {@code op} in errors) and brings them to the backend's form. */
    private static LinearOperands linearOperands(String op, Tensor input, Tensor weight, Tensor bias) {
        if (input.dim() == 0 || weight.dim() != 2 || input.size(-1) != weight.size(1)) {
            throw new ShapeException(op + ": input " + input.shape() + " needs a last dimension of the weight's in_features, weight "
                    + weight.shape() + " must be [out_features, in_features]");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new ShapeException(op + ": bias " + bias.shape() + " must be [" + weight.size(0) + "] for weight " + weight.shape());
        }
        DType t = DType.promote(input.dtype(), weight.dtype());
        if (bias != null) {
            t = DType.promote(t, bias.dtype());
        }
        if (!t.isFloating()) {
            throw new DTypeException(op + " needs floating tensors, got " + input.dtype() + " and " + weight.dtype());
        }
        int[] outSizes = input.shape().toArray();
        outSizes[outSizes.length - 1] = weight.size(0);
        int rows = 1;
        for (int d = 0; d < outSizes.length - 1; d++) {
            rows *= outSizes[d];
        }
        // the row count spelled out, not -1: with in_features 0 the product is the bias in every row
        return new LinearOperands(input.to(t).reshape(rows, weight.size(1)), weight.to(t), bias == null ? null : bias.to(t), outSizes);
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new ShapeException("matmul: both arguments need at least one dimension, got " + a.shape() + " and " + b.shape());
        }
        if (a.dim() == 1 && b.dim() == 1) {
            return dot(a, b);
        }
        if (a.dim() <= 2 && b.dim() <= 2) {
            Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
            Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
            Tensor c = mm(a2, b2, a, b);
            return a.dim() == 1 ? c.squeeze(0) : b.dim() == 1 ? c.squeeze(1) : c;
        }
        Tensor a3 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b3 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int m = a3.size(-2);
        int k = a3.size(-1);
        int n = b3.size(-1);
        checkInner(a, b, k, b3.size(-2));
        Tensor c;
        if (b3.dim() == 2) {
            // [..., M, K]·[K, N]: fold the batch into M, one large product instead of many small ones
            int[] outSizes = a3.shape().toArray();
            outSizes[outSizes.length - 1] = n;
            c = mm(a3.reshape(-1, k), b3, a, b).reshape(outSizes);
        } else {
            Shape batch = Shape.broadcast("matmul", batchShape(a3), batchShape(b3));
            int[] aSizes = append(batch, m, k);
            int[] bSizes = append(batch, k, n);
            int count = batch.numel();
            Tensor ab = a3.expand(aSizes).reshape(count, m, k);
            Tensor bb = b3.expand(bSizes).reshape(count, k, n);
            c = mm(ab, bb, a, b).reshape(append(batch, m, n));
        }
        if (a.dim() == 1) {
            c = c.squeeze(-2);
        }
        if (b.dim() == 1) {
            c = c.squeeze(-1);
        }
        return c;
    }

    private static Shape batchShape(Tensor t) {
        int[] s = t.shape().toArray();
        return Shape.of(java.util.Arrays.copyOf(s, s.length - 2));
    }

    private static int[] append(Shape batch, int x, int y) {
        int[] s = java.util.Arrays.copyOf(batch.toArray(), batch.rank() + 2);
        s[batch.rank()] = x;
        s[batch.rank() + 1] = y;
        return s;
    }

    private static void checkInner(Tensor a, Tensor b, int ka, int kb) {
        if (ka != kb) {
            throw new ShapeException("matmul: shapes " + a.shape() + " and " + b.shape() + " cannot be multiplied ("
                    + ka + " columns vs " + kb + " rows)");
        }
    }

    /** The MatMul primitive on two 2-d or two 3-d operands; {@code ua, ub} are what the user passed, for messages. */
    private static Tensor mm(Tensor a, Tensor b, Tensor ua, Tensor ub) {
        checkInner(ua, ub, a.size(-1), b.size(-2));
        DType t = DType.promote(a.dtype(), b.dtype());
        if (!t.isFloating()) {
            throw new DTypeException("matmul needs floating tensors, got " + a.dtype() + " and " + b.dtype());
        }
        a = a.to(t);
        b = b.to(t);
        return Autograd.record(MATMUL, Backends.current().matmul(a, b), a, b);
    }

    static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3 || b.dim() != 3 || a.size(0) != b.size(0)) {
            throw new ShapeException("bmm: expected [B, M, K] and [B, K, N] with one B, got " + a.shape() + " and " + b.shape());
        }
        return mm(a, b, a, b);
    }

    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new ShapeException("outer: expected two vectors, got " + a.shape() + " and " + b.shape());
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1 || a.size(0) != b.size(0)) {
            throw new ShapeException("dot: expected two vectors of one length, got " + a.shape() + " and " + b.shape());
        }
        return a.mul(b).sum();
    }
}
