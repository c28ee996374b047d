package fathom.autograd;

import fathom.Attention;
import fathom.DType;
import fathom.Node;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.backend.UnaryOp;

/**
 * The one derivative table: for each recorded op, the vector-Jacobian product that turns the gradient
 * of its result into gradients of its inputs (null where an input needs none).
 *
 * <p>Bodies are written with tensor ops, read the forward values through {@link Node#input} and
 * {@link Node#output} (which refuse values overwritten in place), and run with grad mode off.
 * Gradients of broadcast inputs are summed back to the input's shape.
 */
public final class Derivatives {
    private Derivatives() {}

    /**
     * The gradients of node's inputs given {@code g}, the gradient of its output; null for an input that needs none,
     * or whose gradient the step added into the leaf's existing one itself ({@link Node#leafGradient}).
     */
    public static Tensor[] vjp(Node n, Tensor g) {
        return vjp(n, g, false);
    }

    /**
     * {@link #vjp(Node, Tensor)}; when {@code gIsScratch} (no other tensor shares g's storage and nothing reads g
     * after this step, as autograd knows of a gradient it made itself), a pointwise step may write its result
     * over g instead of into a new tensor.
     */
    public static Tensor[] vjp(Node n, Tensor g, boolean gIsScratch) {
        return switch (n.op()) {
            case Op.Unary u -> new Tensor[] {unary(u.fn(), n, g, gIsScratch)};
            case Op.Gelu ge -> new Tensor[] {gIsScratch ? g.mulInPlace(ge.derivative()) : g.mul(ge.derivative())};
            case Op.Binary b -> binary(b, n, g);
            case Op.Where w -> {
                Tensor cond = n.input(0);
                Tensor zero = Tensors.scalar(0, g.dtype());
                yield new Tensor[] {null,
                    n.needsGrad(1) ? sumTo(Tensor.where(cond, g, zero), n.input(1).shape()) : null,
                    n.needsGrad(2) ? sumTo(Tensor.where(cond, zero, g), n.input(2).shape()) : null};
            }
            case Op.Sum s -> new Tensor[] {g.expand(n.input(0).shape().toArray())};
            case Op.Amax a -> {
                Tensor x = n.input(0);
                Tensor hit = x.eq(n.output()).to(g.dtype());
                yield new Tensor[] {hit.div(hit.sum(a.dims(), true)).mul(g)};
            }
            case Op.Prod p -> new Tensor[] {prod(p.dim(), n, g)};
            case Op.Cumsum c -> new Tensor[] {g.flip(c.dim()).cumsum(c.dim()).flip(c.dim())};
            case Op.MatMul m -> new Tensor[] {
                n.needsGrad(0) ? matmulGradient(g, n.input(1).mT(), n.input(0)) : null,
                n.needsGrad(1) ? matmulGradientOrAdd(n.input(0).mT(), g, n, 1) : null};
            case Op.Linear l -> linear(n, g, 0);
            case Op.LinearGelu lg -> linear(n, gIsScratch ? g.mulInPlace(lg.derivative()) : g.mul(lg.derivative()), 0);
            case Op.AddLinear al -> {
                Tensor[] grads = linear(n, g, 1);
                grads[0] = n.needsGrad(0) ? g : null;
                yield grads;
            }
            case Op.Gather ga -> {
                Tensor x = n.input(0);
                yield new Tensor[] {Tensors.zeros(x.shape(), g.dtype()).scatterAdd(ga.dim(), n.input(1), g), null};
            }
            case Op.Scatter sc -> {
                Tensor index = n.input(1);
                Tensor gx = sc.accumulate() ? g : g.scatter(sc.dim(), index, Tensors.zeros(index.shape(), g.dtype()));
                yield new Tensor[] {n.needsGrad(0) ? gx : null, null, n.needsGrad(2) ? g.gather(sc.dim(), index) : null};
            }
            case Op.Reshape r -> new Tensor[] {g.reshape(r.from().toArray())};
            case Op.Permute p -> new Tensor[] {g.permute(inverse(p.perm()))};
            case Op.Expand e -> new Tensor[] {sumTo(g, e.from())};
            case Op.Slice s -> {
                Tensor full = Tensors.zeros(s.from(), g.dtype());
                full.slice(s.dim(), s.start(), s.start() + s.step() * (g.size(s.dim()) - 1) + 1, s.step()).copyInPlace(g);
                yield new Tensor[] {full};
            }
            case Op.Flip f -> new Tensor[] {g.flip(f.dims())};
            case Op.Cat c -> {
                Tensor[] parts = new Tensor[c.sizes().length];
                for (int i = 0, at = 0; i < parts.length; at += c.sizes()[i], i++) {
                    parts[i] = n.needsGrad(i) ? g.narrow(c.dim(), at, c.sizes()[i]) : null;
                }
                yield parts;
            }
            case Op.Cast c -> new Tensor[] {c.from().isFloating() ? g.to(c.from()) : null};
            case Op.Copy c -> new Tensor[] {g};
            case Op.Softmax s -> new Tensor[] {Backends.current().softmaxBackward(n.output(), g, s.dim())};
            case Op.LogSoftmax s -> new Tensor[] {Backends.current().logSoftmaxBackward(n.output(), g, s.dim())};
            case Op.Conv2d c -> ConvGradients.conv2d(c, n, g);
            case Op.ConvTranspose2d c -> ConvGradients.convTranspose2d(c, n, g);
            case Op.ScaledDotProductAttention a -> attention(a, n, g);
            case Op.PackedAttention a -> new Tensor[] {packedAttention(a, n, g)};
            case Op.LayerNorm l -> {
                Tensor[] grads = Backends.current().layerNormBackward(n.input(0), l.affine() ? n.input(1) : null, l.mean(), l.rstd(),
                        g, l.normalizedDims(), l.affine() && (n.needsGrad(1) || n.needsGrad(2)));
                yield l.affine() ? grads : new Tensor[] {grads[0]};
            }
            case Op.MaxPool m -> new Tensor[] {Backends.current().maxPool2dBackward(g, n.input(1), m.from()), null};
            case Op.AvgPool a -> new Tensor[] {Backends.current().avgPool2dBackward(g, a.h(), a.w(), a.divisor(), a.from())};
            case Op.BatchNorm b -> batchNorm(b, n, g);
            case Op.LstmCell l -> Backends.current().lstmCellBackward(n.input(0), n.input(1), n.output(), g);
            case Op.GruCell c -> Backends.current().gruCellBackward(n.input(0), n.input(1), n.input(2), g);
            case Op.Recurrence r -> recurrence(r, n, g);
        };
    }

    /**
     * dq, dk and dv, each laid out as [B, T, H, D] and seen as [B, H, T, D] (as the CPU kernel's output is), so that
     * merging the heads of a gradient, where multi-head attention's projections read it, is a view and not a copy.
     */
    private static Tensor[] attention(Op.ScaledDotProductAttention a, Node n, Tensor g) {
        Tensor[] grads = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            Tensor x = n.input(i);
            grads[i] = Tensors.empty(Shape.of(x.size(0), x.size(2), x.size(1), x.size(3)), g.dtype()).transpose(1, 2);
        }
        Backends.current().attentionBackward(n.input(0), n.input(1), n.input(2), n.output(), a.logSumExp(), g, a.config(),
                grads[0], grads[1], grads[2]);
        return grads;
    }

    /** The [B, T, 3·E] gradient of the packed q, k and v, which the backend writes part by part. */
    private static Tensor packedAttention(Op.PackedAttention a, Node n, Tensor g) {
        Tensor qkv = n.input(0);
        Tensor grad = Tensors.empty(qkv.shape(), g.dtype());
        Tensor[] x = Attention.splitHeads(qkv, a.heads());
        Tensor[] dx = Attention.splitHeads(grad, a.heads());
        int b = qkv.size(0);
        int t = qkv.size(1);
        int d = qkv.size(2) / 3 / a.heads();
        Backends.current().attentionBackward(x[0], x[1], x[2], n.output().reshape(b, t, a.heads(), d).transpose(1, 2), a.logSumExp(),
                g.reshape(b, t, a.heads(), d).transpose(1, 2), a.config(), dx[0], dx[1], dx[2]);
        return grad;
    }

    /**
     * y = x·Wᵀ + b: dx = g·W, dW = gᵀ·x (contiguous, as the weight is stored), db = the column sums of g.
     * dW goes straight into a gradient the weight already holds (overwriting it while it is still zeroed), as the
     * MLP benchmark's steps with {@code zeroGrad(false)} do: 6 % faster per step than a fresh array for it each
     * step, which the JVM zeroes and whose memory then misses the cache. x, weight and (when the node has an input
     * after them) bias are the node's inputs {@code first}, {@code first + 1} and {@code first + 2}; the result has a
     * slot for every input of the node.
     */
    private static Tensor[] linear(Node n, Tensor g, int first) {
        Tensor[] grads = new Tensor[n.inputCount()];
        grads[first] = n.needsGrad(first) ? g.matmul(n.input(first + 1)) : null;
        grads[first + 1] = n.needsGrad(first + 1) ? matmulGradientOrAdd(g.mT(), n.input(first), n, first + 1) : null;
        if (n.inputCount() > first + 2 && n.needsGrad(first + 2)) {
            grads[first + 2] = g.sum(0);
        }
        return grads;
    }

    private static Tensor unary(UnaryOp fn, Node n, Tensor g, boolean gIsScratch) {
        return switch (fn) {
            case NEG -> g.neg();
            case EXP -> g.mul(n.output());
            case LOG -> g.div(n.input(0));
            case SQRT -> g.div(n.output().mul(2));
            case RSQRT -> g.mul(n.output().pow(3)).mul(-0.5);
            case RECIPROCAL -> g.mul(n.output().square()).neg();
            case SIN -> g.mul(n.input(0).cos());
            case COS -> g.mul(n.input(0).sin()).neg();
            case TANH -> g.mul(n.output().square().rsub(1));
            case SIGMOID -> {
                Tensor y = n.output();
                yield g.mul(y.mul(y.rsub(1)));
            }
            case RELU -> gIsScratch ? Backends.current().reluBackwardInPlace(n.input(0), g) : Backends.current().reluBackward(n.input(0), g);
            case ABS -> g.mul(n.input(0).sign());
            case SIGN -> Tensors.zeros(g.shape(), g.dtype());
            case LOG1P -> g.div(n.input(0).add(1));
            case EXPM1 -> g.mul(n.output().add(1));
            case GELU -> g.mul(Backends.current().geluWithDerivative(n.input(0)).derivative()); // Tensor.gelu records Op.Gelu instead
            case GELU_TANH -> {
                Tensor x = n.input(0);
                double k = Math.sqrt(2 / Math.PI);
                Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(k);
                Tensor th = inner.tanh();
                Tensor dInner = x.square().mul(3 * 0.044715).add(1).mul(k);
                Tensor d = th.add(1).mul(0.5).add(x.mul(0.5).mul(th.square().rsub(1)).mul(dInner));
                yield g.mul(d);
            }
            case SILU -> {
                Tensor x = n.input(0);
                Tensor s = x.sigmoid();
                yield g.mul(s.mul(x.mul(s.rsub(1)).add(1)));
            }
            case SOFTPLUS -> {
                Tensor x = n.input(0);
                yield Tensor.where(x.gt(20), g, g.mul(x.sigmoid()));
            }
            case SQUARE -> g.mul(n.input(0)).mul(2);
            case ERF -> g.mul(n.input(0).square().neg().exp().mul(2 / Math.sqrt(Math.PI)));
        };
    }

    private static Tensor[] binary(Op.Binary op, Node n, Tensor g) {
        Shape sa = n.needsGrad(0) ? n.input(0).shape() : null;
        Shape sb = n.needsGrad(1) ? n.input(1).shape() : null;
        Tensor ga = null;
        Tensor gb = null;
        switch (op.fn()) {
            case ADD -> {
                ga = g;
                gb = g;
            }
            case SUB -> {
                ga = g;
                gb = sb != null ? g.neg() : null;
            }
            case MUL -> {
                ga = sa != null ? g.mul(n.input(1)) : null;
                gb = sb != null ? g.mul(n.input(0)) : null;
            }
            case DIV -> {
                Tensor b = n.input(1);
                ga = sa != null ? g.div(b) : null;
                gb = sb != null ? g.mul(n.output()).div(b).neg() : null;
            }
            case POW -> {
                Tensor a = n.input(0);
                Tensor b = n.input(1);
                ga = sa != null ? g.mul(b).mul(a.pow(b.sub(1))) : null;
                if (sb != null) {
                    // d/db a^b = a^b·log a, taken as 0 where a = 0 (PyTorch's convention, avoiding 0·(−inf))
                    Tensor logA = Tensor.where(a.eq(0), Tensors.scalar(0, a.dtype()), a.log());
                    gb = g.mul(n.output()).mul(logA);
                }
            }
            case MAXIMUM, MINIMUM -> {
                Tensor a = n.input(0);
                Tensor b = n.input(1);
                Tensor aWins = (op.fn() == fathom.backend.BinaryOp.MAXIMUM ? a.gt(b) : a.lt(b)).to(g.dtype());
                Tensor tie = a.eq(b).to(g.dtype()).mul(0.5);
                ga = sa != null ? g.mul(aWins.add(tie)) : null;
                gb = sb != null ? g.mul(aWins.rsub(1).sub(tie)) : null;
            }
        }
        return new Tensor[] {sa != null ? sumTo(ga, sa) : null, sb != null ? sumTo(gb, sb) : null};
    }

    /** Inputs (xg, wHh, bHh, h0, [c0,] saved): gradients for all but the saved activations. */
    private static Tensor[] recurrence(Op.Recurrence r, Node n, Tensor g) {
        boolean lstm = r.mode() == fathom.backend.RecurrentMode.LSTM;
        int savedAt = lstm ? 5 : 4;
        Tensor[] d = Backends.current().recurrenceBackward(r.mode(), g, n.input(1), n.input(3), lstm ? n.input(4) : null,
                n.output(), n.input(savedAt), r.lengths(), r.reverse());
        return lstm ? new Tensor[] {d[0], d[1], d[2], d[3], d[4], null} : new Tensor[] {d[0], d[1], d[2], d[3], null};
    }

    /** ∂ prod / ∂ x_i = product of the others; computed without dividing by zero when the slice holds zeros. */
    private static Tensor prod(int dim, Node n, Tensor g) {
        Tensor x = n.input(0);
        Tensor out = n.output();
        Tensor isZero = x.eq(0);
        Tensor one = Tensors.scalar(1, x.dtype());
        Tensor safe = Tensor.where(isZero, one, x);
        Tensor zeros = isZero.to(DType.INT64).sum(new int[] {dim}, true);
        Tensor othersIfOneZero = safe.prod(dim, true);
        Tensor atZero = Tensor.where(zeros.eq(1), g.mul(othersIfOneZero), Tensors.scalar(0, g.dtype()));
        return Tensor.where(isZero, atZero, g.mul(out).div(safe));
    }

    /** Gradients of (x, mean, invStd[, weight, bias]); mean and invStd get none (they are x's statistics or constants). */
    private static Tensor[] batchNorm(Op.BatchNorm b, Node n, Tensor g) {
        boolean affine = n.inputCount() == 5;
        Tensor[] d = Backends.current().batchNormBackward(g, n.input(0), n.input(1), n.input(2), affine ? n.input(3) : null,
                b.batchStats());
        return affine ? new Tensor[] {d[0], null, null, d[1], d[2]} : new Tensor[] {d[0], null, null};
    }

    /** g summed over the dimensions along which {@code shape} was broadcast, then viewed as {@code shape}. */
    public static Tensor sumTo(Tensor g, Shape shape) {
        if (g.shape().equals(shape)) {
            return g;
        }
        int lead = g.dim() - shape.rank();
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        for (int i = 0; i < g.dim(); i++) {
            if (i < lead || shape.size(i - lead) == 1 && g.size(i) != 1) {
                dims.add(i);
            }
        }
        Tensor s = dims.isEmpty() ? g : g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(shape.toArray());
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    /** {@link #matmulGradient} for input i, or null after adding {@code x·y} straight into the gradient that leaf holds. */
    private static Tensor matmulGradientOrAdd(Tensor x, Tensor y, Node n, int i) {
        Tensor into = x.dim() == 2 && y.dim() == 2 ? n.leafGradient(i) : null;
        if (into == null) {
            return matmulGradient(x, y, n.input(i));
        }
        into.addMatmulInPlace(x, y, n.leafGradientIsZero(i) ? 0 : 1);
        return null;
    }

    /**
     * {@code x·y}, the gradient of a matmul input stored like {@code input}: for an input that is a transposed
     * view of contiguous storage (a weight used as {@code x.matmul(w.t())}), the product is computed transposed,
     * {@code (yᵀ·xᵀ)ᵀ}, so that the gradient reaching the weight through the transpose is contiguous. The
     * same sums in the same order; computed directly, the weight gradient arrived as a transposed view, and
     * the copy that accumulating it into {@code .grad} makes ran with strided reads: 12% of an MLP step.
     */
    private static Tensor matmulGradient(Tensor x, Tensor y, Tensor input) {
        if (input.dim() >= 2 && !input.isContiguous() && input.mT().isContiguous()) {
            return y.mT().matmul(x.mT()).mT();
        }
        return x.matmul(y);
    }
}
