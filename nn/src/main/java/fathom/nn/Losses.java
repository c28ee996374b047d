package fathom.nn;

import fathom.DType;
import fathom.DTypeException;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;
import java.util.Arrays;

/**
 * The negative log-likelihood of class-index targets shared by {@link NllLoss} and {@link CrossEntropyLoss}:
 * ℓᵢ = −w[yᵢ]·logp[i, yᵢ] with ignored targets contributing 0, a MEAN divided by Σ w[yᵢ] over the
 * targets not ignored (PyTorch's weighted mean), and optional label smoothing as PyTorch 1.13 computes it;
 * and the shape checks of the element-wise losses.
 */
final class Losses {
    private Losses() {}

    /** logp [N, C, d...] and an integer target [N, d...]; an unbatched logp [C] with a 0-d target is accepted too. */
    static Tensor classIndices(String loss, Tensor logp, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction,
            double smoothing) {
        if (logp.dim() == 1 && target.dim() == 0) {
            Tensor out = classIndices(loss, logp.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, reduction, smoothing);
            return reduction == Reduction.NONE ? out.squeeze(0) : out;
        }
        checkInput(loss, logp, target);
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32) {
            throw new DTypeException(loss + ": class-index targets must be int64 (or int32), got " + target.dtype() + " target "
                    + target.shape() + " for input " + logp.shape() + "; floating targets must have the input's shape (class probabilities)");
        }
        int[] expected = withoutClassDim(logp);
        if (!Arrays.equals(expected, target.shape().toArray())) {
            throw new ShapeException(loss + ": input " + logp.shape() + " needs a class-index target of shape "
                    + Arrays.toString(expected) + ", got target " + target.shape());
        }
        int c = logp.size(1);
        Tensor classWeight = checkWeight(loss, weight, logp);
        boolean anyIgnored = validate(loss, target, c, ignoreIndex);
        Tensor valid = anyIgnored ? target.ne(Tensors.scalar(ignoreIndex, target.dtype())) : null;
        // ignored positions read class 0 (in range for gather) and are masked out below
        Tensor safe = anyIgnored ? Tensor.where(valid, target, Tensors.scalar(0, target.dtype())) : target;
        Tensor picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1); // [N, d...]
        Tensor w = classWeight == null ? null : classWeight.indexSelect(0, safe.reshape(-1)).reshape(expected);
        Tensor nll = w == null ? picked.neg() : picked.mul(w).neg();
        Tensor zero = Tensors.scalar(0, logp.dtype());
        if (anyIgnored) {
            nll = Tensor.where(valid, nll, zero);
        }
        Tensor smooth = null;
        if (smoothing > 0) {
            // −Σ_c w[c]·logp[i, c]: the loss against a uniform target, weighted per class as PyTorch does
            Tensor lp = classWeight == null ? logp : logp.mul(classWeight.reshape(broadcastable(c, logp.dim())));
            smooth = lp.sum(1).neg();
            if (anyIgnored) {
                smooth = Tensor.where(valid, smooth, zero);
            }
        }
        Tensor out = switch (reduction) {
            case NONE -> nll;
            case SUM -> nll.sum();
            case MEAN -> nll.sum().div(denominator(w, valid, target.numel(), logp.dtype()));
        };
        if (smooth == null) {
            return out;
        }
        Tensor s = switch (reduction) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> smooth.sum().div(denominator(w, valid, target.numel(), logp.dtype()));
        };
        return out.mul(1 - smoothing).add(s.mul(smoothing / c));
    }

    /** Σ w[yᵢ] over the targets not ignored: the weighted count PyTorch's MEAN divides by. */
    private static Tensor denominator(Tensor w, Tensor valid, int n, DType dtype) {
        if (w == null) {
            return valid == null ? Tensors.scalar(n, dtype) : valid.sum().to(dtype);
        }
        Tensor wd = w.detach();
        return valid == null ? wd.sum() : Tensor.where(valid, wd, Tensors.scalar(0, wd.dtype())).sum();
    }

    /** Cross-entropy against class probabilities target [N, C, d...] of the input's shape (PyTorch 1.13's prob-target path). */
    static Tensor probabilities(String loss, Tensor logp, Tensor target, Tensor weight, Reduction reduction, double smoothing) {
        if (!target.shape().equals(logp.shape())) {
            throw new ShapeException(loss + ": a probability target must have the input's shape: input " + logp.shape()
                    + ", target " + target.shape());
        }
        boolean unbatched = logp.dim() == 1;
        int classDim = unbatched ? 0 : 1;
        int c = logp.size(classDim);
        Tensor classWeight = checkWeight(loss, weight, unbatched ? logp.unsqueeze(0) : logp);
        Tensor t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / c) : target;
        Tensor prod = logp.mul(t);
        if (classWeight != null) {
            prod = prod.mul(unbatched ? classWeight : classWeight.reshape(broadcastable(c, logp.dim())));
        }
        return switch (reduction) {
            case NONE -> prod.sum(classDim).neg();
            case SUM -> prod.sum().neg();
            case MEAN -> prod.sum().neg().div((double) logp.numel() / c);
        };
    }

    static void checkInput(String loss, Tensor input, Tensor target) {
        if (!input.dtype().isFloating()) {
            throw new DTypeException(loss + ": the input must be floating, got " + input.dtype() + " input " + input.shape()
                    + " with target " + target.shape());
        }
        if (input.dim() < 1) {
            throw new ShapeException(loss + ": the input needs a class dimension, got input " + input.shape() + " with target " + target.shape());
        }
    }

    private static Tensor checkWeight(String loss, Tensor weight, Tensor logp) {
        if (weight == null) {
            return null;
        }
        if (weight.dim() != 1 || weight.size(0) != logp.size(1)) {
            throw new ShapeException(loss + ": the class weight must be [" + logp.size(1) + "] for input " + logp.shape()
                    + ", got " + weight.shape());
        }
        return weight.to(logp.dtype());
    }

    /** True when some target equals ignoreIndex; an error naming the first target outside [0, C) otherwise. */
    private static boolean validate(String loss, Tensor target, int c, int ignoreIndex) {
        long[] t = target.toLongArray();
        boolean ignored = false;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignoreIndex) {
                ignored = true;
            } else if (t[i] < 0 || t[i] >= c) {
                throw new IndexOutOfBoundsException(loss + ": target " + t[i] + " at flat index " + i + " is out of bounds for "
                        + c + " classes (ignoreIndex " + ignoreIndex + ")");
            }
        }
        return ignored;
    }

    private static int[] withoutClassDim(Tensor logp) {
        int[] s = logp.shape().toArray();
        int[] out = new int[s.length - 1];
        out[0] = s[0];
        System.arraycopy(s, 2, out, 1, s.length - 2);
        return out;
    }

    /** [C, 1, ...]: a per-class vector that broadcasts over [N, C, d...] of the given rank. */
    private static int[] broadcastable(int c, int rank) {
        int[] s = new int[rank - 1];
        Arrays.fill(s, 1);
        s[0] = c;
        return s;
    }

    /** Shape and dtype checks shared by the element-wise losses. */
    static void checkSameShape(String loss, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new ShapeException(loss + ": input " + input.shape() + " and target " + target.shape() + " must have the same shape");
        }
        if (!input.dtype().isFloating() || !target.dtype().isFloating()) {
            throw new DTypeException(loss + ": input " + input.shape() + " " + input.dtype() + " and target " + target.shape()
                    + " " + target.dtype() + " must both be floating");
        }
    }
}
