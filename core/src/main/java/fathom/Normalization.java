package fathom;

import fathom.autograd.Op;
import fathom.backend.Backend;
import fathom.backend.Backends;
import fathom.backend.BinaryOp;
import fathom.backend.NormResult;
import fathom.backend.UnaryOp;
import java.util.Arrays;

/**
 * Normalization layers' functional forms. Batch and group normalization (PyTorch's {@code F.batch_norm}
 * and {@code F.group_norm}) run on one fused primitive: per-channel statistics, the normalization with
 * its affine part, and a backward pass that reads x once, instead of the dozen element-wise passes (and
 * temporaries) of a composition. {@link #layerNorm} over the last dimensions is a fused op of its own
 * ({@code F.layer_norm}); {@link #rmsNorm} is composed of element-wise ops (PyTorch 2.4's {@code F.rms_norm}).
 */
public final class Normalization {
    private Normalization() {}

    /**
     * y = (x − mean)/√(var + eps)·weight + bias per channel of x [N, C, *] (rank ≥ 2); weight, bias and
     * the running statistics are [C], each may be null.
     *
     * <p>With {@code training} the batch's mean and biased variance normalize (over N and the trailing
     * dimensions, so more than one value per channel is needed), and running statistics, when given,
     * move in place: {@code running = (1 − momentum)·running + momentum·batch}, the variance term
     * unbiased (n/(n − 1) times the biased one), exactly as PyTorch. Without {@code training} the
     * running statistics normalize; they are constants for autograd.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
            double momentum, double eps) {
        if (input.dim() < 2) {
            throw new ShapeException("batchNorm expects an input [N, C, *] of rank at least 2, got " + input.shape());
        }
        int c = input.size(1);
        checkChannels("batchNorm", input, c, "weight", weight);
        checkChannels("batchNorm", input, c, "bias", bias);
        checkChannels("batchNorm", input, c, "runningMean", runningMean);
        checkChannels("batchNorm", input, c, "runningVar", runningVar);
        if ((weight == null) != (bias == null)) {
            throw new IllegalArgumentException("batchNorm: give both weight and bias or neither");
        }
        if (training) {
            int n = c == 0 ? 0 : input.numel() / c;
            if (n <= 1) {
                throw new ShapeException("batchNorm: expected more than 1 value per channel when training, got input " + input.shape());
            }
            return normalizeWithBatchStats(input, weight, bias, eps, runningMean, runningVar, momentum);
        }
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchNorm: evaluation (training = false) needs runningMean and runningVar");
        }
        Backend be = Backends.current();
        Tensor x = floating("batchNorm", input);
        Tensor mean = runningMean.detach().to(x.dtype()).clone(); // a copy: later training steps update the buffer in place
        Tensor invStd = be.unary(UnaryOp.RSQRT, be.binary(BinaryOp.ADD, runningVar.detach().to(x.dtype()), Tensors.scalar(eps, x.dtype())));
        return fused(x, mean, invStd, weight, bias, false);
    }

    /**
     * y = (x − mean)/√(var + eps)·weight + bias with mean and biased variance over each of
     * {@code numGroups} groups of consecutive channels (and the trailing dimensions) of each sample, and
     * weight, bias [C] per channel (both null for none): x [N, C, *] gives y of the same shape.
     */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 2) {
            throw new ShapeException("groupNorm expects an input [N, C, *] of rank at least 2, got " + input.shape());
        }
        int c = input.size(1);
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: the " + c + " channels of input " + input.shape()
                    + " must divide into numGroups = " + numGroups + " groups");
        }
        checkChannels("groupNorm", input, c, "weight", weight);
        checkChannels("groupNorm", input, c, "bias", bias);
        int n = input.size(0);
        int perGroup = c / numGroups;
        for (int d = 2; d < input.dim(); d++) {
            perGroup *= input.size(d);
        }
        // each (sample, group) is one "channel" of a batch of one: [1, N·G, (C/G)·*]
        Tensor grouped = floating("groupNorm", input).reshape(1, n * numGroups, perGroup);
        Tensor y = normalizeWithBatchStats(grouped, null, null, eps, null, null, 0).reshape(input.shape().toArray());
        return weight == null ? y : y.mul(perChannel(weight, input.dim())).add(perChannel(bias, input.dim()));
    }

    private static Tensor normalizeWithBatchStats(Tensor input, Tensor weight, Tensor bias, double eps, Tensor runningMean,
            Tensor runningVar, double momentum) {
        Backend be = Backends.current();
        Tensor x = floating("batchNorm", input);
        Tensor[] stats = be.batchNormStats(x.detach());
        Tensor invStd = be.unary(UnaryOp.RSQRT, be.binary(BinaryOp.ADD, stats[1], Tensors.scalar(eps, x.dtype())));
        if (runningMean != null || runningVar != null) {
            int n = x.numel() / x.size(1);
            try (var _ = Autograd.noGrad()) {
                if (runningMean != null) {
                    runningMean.mulInPlace(1 - momentum).addInPlace(stats[0], momentum);
                }
                if (runningVar != null) {
                    runningVar.mulInPlace(1 - momentum).addInPlace(stats[1], momentum * n / (n - 1));
                }
            }
        }
        return fused(x, stats[0], invStd, weight, bias, true);
    }

    private static Tensor fused(Tensor x, Tensor mean, Tensor invStd, Tensor weight, Tensor bias, boolean batchStats) {
        Backend be = Backends.current();
        Op op = new Op.BatchNorm(batchStats);
        if (weight == null) {
            return Autograd.record(op, be.batchNormForward(x, mean, invStd, null, null), x, mean, invStd);
        }
        Tensor w = weight.to(x.dtype());
        Tensor b = bias.to(x.dtype());
        return Autograd.record(op, be.batchNormForward(x, mean, invStd, w, b), x, mean, invStd, w, b);
    }

    private static Tensor floating(String op, Tensor x) {
        if (!x.dtype().isFloating()) {
            throw new DTypeException(op + " needs a floating input, got " + x.dtype());
        }
        return x;
    }

    private static void checkChannels(String op, Tensor input, int c, String name, Tensor t) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new ShapeException(op + ": " + name + " must have shape [" + c + "] for input " + input.shape() + ", got " + t.shape());
        }
    }

    /** A [C] tensor viewed as [C, 1, ...] so that it broadcasts over x [N, C, *]. */
    private static Tensor perChannel(Tensor t, int rank) {
        int[] sizes = new int[rank - 1];
        java.util.Arrays.fill(sizes, 1);
        sizes[0] = t.numel();
        return t.reshape(sizes);
    }

    /**
     * y = (x − E[x]) / √(Var[x] + eps)·weight + bias over the last dimensions, which must equal
     * {@code normalizedShape}; the variance is biased (divides by n). weight and bias have shape
     * normalizedShape and may be null (scale 1, shift 0). x [*, normalizedShape] gives y of x's shape.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        Shape ns = checkTrailing("layerNorm", x, normalizedShape);
        DType t = x.dtype().isFloating() ? x.dtype() : DType.FLOAT32;
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null) {
                if (!p.shape().equals(ns)) {
                    throw new ShapeException("layerNorm: weight and bias must have the normalized shape " + ns + ", got " + p.shape());
                }
                t = DType.promote(t, p.dtype());
            }
        }
        x = x.to(t);
        boolean affine = weight != null || bias != null;
        Tensor w = weight == null ? (affine ? Tensors.ones(ns, t) : null) : weight.to(t);
        Tensor b = bias == null ? (affine ? Tensors.zeros(ns, t) : null) : bias.to(t);
        int k = normalizedShape.length;
        NormResult r = Backends.current().layerNorm(x, w, b, k, eps);
        Op op = new Op.LayerNorm(k, affine, r.mean(), r.rstd());
        return affine ? Autograd.record(op, r.output(), x, w, b) : Autograd.record(op, r.output(), x);
    }

    /**
     * y = x / √(mean(x²) + eps)·weight over the last dimensions, which must equal {@code normalizedShape};
     * weight (normalizedShape) may be null. A null eps means the machine epsilon of x's dtype, as PyTorch's default.
     */
    public static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, Double eps) {
        Shape ns = checkTrailing("rmsNorm", x, normalizedShape);
        if (weight != null && !weight.shape().equals(ns)) {
            throw new ShapeException("rmsNorm: weight must have the normalized shape " + ns + ", got " + weight.shape());
        }
        int k = normalizedShape.length;
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = i - k;
        }
        double e = eps != null ? eps : x.dtype() == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        Tensor y = x.mul(x.square().mean(dims, true).add(e).rsqrt());
        return weight == null ? y : y.mul(weight);
    }

    private static Shape checkTrailing(String op, Tensor x, int[] normalizedShape) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException(op + ": normalizedShape must have at least one dimension");
        }
        Shape ns = Shape.of(normalizedShape);
        int k = normalizedShape.length;
        if (x.dim() < k || !Shape.of(Arrays.copyOfRange(x.shape().toArray(), x.dim() - k, x.dim())).equals(ns)) {
            throw new ShapeException(op + ": expects an input whose last dimensions are " + ns + ", got " + x.shape());
        }
        return ns;
    }
}
