package fathom;

import fathom.backend.BinaryOp;
import fathom.backend.CompareOp;
import fathom.backend.Storage;
import fathom.backend.UnaryOp;
import java.util.List;

/**
 * An n-dimensional array of one {@link DType}, with PyTorch's semantics: a view (shape, strides and
 * offset) of a {@link Storage}, broadcasting in every binary op, and reverse-mode autograd.
 *
 * <p>Every op runs at once (eagerly) on the current {@link fathom.backend.Backend}. When grad mode is
 * on and an input {@link #requiresGrad() requires grad}, the result remembers the op that made it
 * ({@link #gradFn()}), and {@link #backward()} walks those records in reverse to fill {@link #grad()}.
 * Movement ops (reshape, permute, expand, slice, flip, ...) return views that share storage; in-place
 * ops end in {@code InPlace}. Nothing needs freeing: storage is an ordinary Java array.
 */
public final class Tensor {
    final Storage storage;
    final Shape shape;
    final int[] strides;
    final int offset;
    boolean requiresGrad;
    Tensor grad;
    Node gradFn;
    /** The gradient as {@link #zeroGrad(boolean)} left it, all zeros while its storage is still at {@link #zeroedGradVersion}. */
    Tensor zeroedGrad;
    int zeroedGradVersion;

    Tensor(Storage storage, Shape shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** 0 or 1 in this tensor's dtype, 1 with the probability given by each element of this tensor. */
    public Tensor bernoulli(Rng rng) {
        return Tensors.bernoulli(this, rng);
    }

    // ---- metadata ----

    public Shape shape() {
        return shape;
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.rank();
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape.size(d);
    }

    /** Number of elements. */
    public int numel() {
        return shape.numel();
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** Element strides per dimension (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** The element stride of dimension {@code dim} (negative counts from the end), without copying the stride array: PyTorch's {@code stride(dim)}. */
    public int stride(int dim) {
        return strides[shape.index(dim)];
    }

    /** Index of the first element in the storage. */
    public int offset() {
        return offset;
    }

    /** The storage this tensor views; shared with its other views. */
    public Storage storage() {
        return storage;
    }

    /** True when the elements lie in row-major order without gaps from {@link #offset()}. */
    public boolean isContiguous() {
        return Views.isContiguous(this);
    }

    // ---- autograd ----

    /** Whether gradients flow to (or through) this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a parameter whose gradient {@link #backward()} fills; returns this. */
    public Tensor requiresGrad(boolean value) {
        Autograd.setRequiresGrad(this, value);
        return this;
    }

    /** The accumulated gradient, or null before any backward pass reached it. */
    public Tensor grad() {
        return grad;
    }

    /** Sets the gradient to null (as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Sets the gradient to null, or with {@code setToNone} false fills it with zeros in place (PyTorch's
     * {@code zero_grad(set_to_none=False)}). A kept gradient is reused: the next backward pass adds into it, and
     * a linear layer's weight gradient is computed straight into it, which spares the JVM a new array per step.
     */
    public void zeroGrad(boolean setToNone) {
        if (setToNone || grad == null) {
            grad = null;
            zeroedGrad = null;
        } else {
            try (var _ = Autograd.noGrad()) {
                grad.zeroInPlace();
            }
            zeroedGrad = grad;
            zeroedGradVersion = grad.storage.version();
        }
    }

    /** Replaces the gradient (optimizers and gradient clipping use this). */
    public void setGrad(Tensor g) {
        grad = g;
    }

    /** The record of the op that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** True when no recorded op produced this tensor. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Keeps this non-leaf tensor's gradient in {@link #grad()} during backward. */
    public Tensor retainGrad() {
        if (gradFn != null) {
            gradFn.retained = this;
        }
        return this;
    }

    /** A view of the same storage with no gradient history. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    /** Back-propagates from this scalar: fills {@code grad} of every leaf that requires grad. Frees the graph. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** Back-propagates {@code gradient} (this tensor's shape) from this tensor. Frees the graph. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    /** Back-propagates; with {@code retainGraph} the graph stays usable for another backward call. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    // ---- element-wise ----

    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    public Tensor add(double value) {
        return Elementwise.binary(BinaryOp.ADD, this, Elementwise.scalarLike(this, value));
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    public Tensor sub(double value) {
        return Elementwise.binary(BinaryOp.SUB, this, Elementwise.scalarLike(this, value));
    }

    /** value − this (PyTorch's {@code rsub}). */
    public Tensor rsub(double value) {
        return Elementwise.binary(BinaryOp.SUB, Elementwise.scalarLike(this, value), this);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mul(double value) {
        return Elementwise.binary(BinaryOp.MUL, this, Elementwise.scalarLike(this, value));
    }

    /** True division: integers divide as float32. */
    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    public Tensor div(double value) {
        return Elementwise.binary(BinaryOp.DIV, this, Elementwise.scalarLike(this, value));
    }

    public Tensor pow(Tensor exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor pow(double exponent) {
        return Elementwise.pow(this, exponent);
    }

    /** Element-wise maximum; NaN propagates. */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
    }

    /** Element-wise minimum; NaN propagates. */
    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other);
    }

    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this);
    }

    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this);
    }

    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this);
    }

    /** log(1 + x), accurate near 0. */
    public Tensor log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this);
    }

    /** eˣ − 1, accurate near 0. */
    public Tensor expm1() {
        return Elementwise.unary(UnaryOp.EXPM1, this);
    }

    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this);
    }

    /** 1/√x. */
    public Tensor rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this);
    }

    /** 1/x. */
    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this);
    }

    public Tensor square() {
        return Elementwise.unary(UnaryOp.SQUARE, this);
    }

    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this);
    }

    /** −1, 0 or 1; its gradient is zero. */
    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this);
    }

    public Tensor sin() {
        return Elementwise.unary(UnaryOp.SIN, this);
    }

    public Tensor cos() {
        return Elementwise.unary(UnaryOp.COS, this);
    }

    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this);
    }

    /** 1 / (1 + e⁻ˣ), without overflow at large |x|. */
    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this);
    }

    /** max(x, 0); the gradient at 0 is 0, as in PyTorch. */
    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this);
    }

    /** x for x > 0, else slope·x. */
    public Tensor leakyRelu(double negativeSlope) {
        return Elementwise.leakyRelu(this, negativeSlope);
    }

    /** x for x > 0, else alpha·(eˣ − 1). */
    public Tensor elu(double alpha) {
        return Elementwise.elu(this, alpha);
    }

    /** x·Φ(x) with the exact normal CDF (PyTorch's default {@code gelu}). */
    public Tensor gelu() {
        return Elementwise.gelu(this);
    }

    /** PyTorch's {@code gelu(approximate='tanh')}. */
    public Tensor geluTanh() {
        return Elementwise.unary(UnaryOp.GELU_TANH, this);
    }

    /** x·sigmoid(x), also called swish. */
    public Tensor silu() {
        return Elementwise.unary(UnaryOp.SILU, this);
    }

    /** log(1 + eˣ) with beta 1 and threshold 20, as PyTorch's default. */
    public Tensor softplus() {
        return Elementwise.unary(UnaryOp.SOFTPLUS, this);
    }

    /** The error function. */
    public Tensor erf() {
        return Elementwise.unary(UnaryOp.ERF, this);
    }

    /** Each element limited to [min, max]; the gradient passes where min ≤ x ≤ max. */
    public Tensor clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    /** max(x, min) with the gradient passing where x ≥ min. */
    public Tensor clampMin(double min) {
        return Elementwise.clamp(this, min, Double.POSITIVE_INFINITY);
    }

    /** min(x, max) with the gradient passing where x ≤ max. */
    public Tensor clampMax(double max) {
        return Elementwise.clamp(this, Double.NEGATIVE_INFINITY, max);
    }

    /** {@code cond ? a : b} element-wise with broadcasting. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    /** This tensor with {@code value} where the (broadcast) bool mask is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        return Elementwise.where(mask, Elementwise.scalarLike(this, value), this);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.compare(CompareOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return Elementwise.compare(CompareOp.EQ, this, Elementwise.scalarLike(this, value));
    }

    public Tensor ne(Tensor other) {
        return Elementwise.compare(CompareOp.NE, this, other);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.compare(CompareOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return Elementwise.compare(CompareOp.LT, this, Elementwise.scalarLike(this, value));
    }

    public Tensor le(Tensor other) {
        return Elementwise.compare(CompareOp.LE, this, other);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.compare(CompareOp.GT, this, other);
    }

    public Tensor gt(double value) {
        return Elementwise.compare(CompareOp.GT, this, Elementwise.scalarLike(this, value));
    }

    public Tensor ge(Tensor other) {
        return Elementwise.compare(CompareOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return Elementwise.compare(CompareOp.GE, this, Elementwise.scalarLike(this, value));
    }

    /** True where the element is NaN. */
    public Tensor isNaN() {
        return Elementwise.compare(CompareOp.NE, this, this);
    }

    /** True where the element is neither infinite nor NaN. */
    public Tensor isFinite() {
        return Elementwise.isFinite(this);
    }

    /** Element-wise not of a bool tensor. */
    public Tensor logicalNot() {
        return Elementwise.compare(CompareOp.EQ, this, Tensors.scalar(0, DType.BOOL));
    }

    // ---- reductions (see Reductions) ----

    /** Sum of all elements, as a 0-d tensor. */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    /** Sum over one dimension, removing it. */
    public Tensor sum(int dim) {
        return Reductions.sum(this, new int[] {dim}, false);
    }

    /** Sum over {@code dims}; with keepDim they stay as size 1. */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, dims, keepDim);
    }

    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    public Tensor mean(int dim) {
        return Reductions.mean(this, new int[] {dim}, false);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    /** Variance of all elements with Bessel's correction (divides by n − 1), as PyTorch's default. */
    public Tensor var() {
        return Reductions.var(this, null, 1, false);
    }

    /** Variance over {@code dims}, dividing by n − correction. */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim);
    }

    /** Standard deviation of all elements with Bessel's correction. */
    public Tensor std() {
        return Reductions.var(this, null, 1, false).sqrt();
    }

    /** Standard deviation over {@code dims}, dividing by n − correction. */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim).sqrt();
    }

    /** Maximum over {@code dims}; the gradient is shared evenly among tied maxima. */
    public Tensor amax(int[] dims, boolean keepDim) {
        return Reductions.amax(this, dims, keepDim);
    }

    /** Minimum over {@code dims}; the gradient is shared evenly among tied minima. */
    public Tensor amin(int[] dims, boolean keepDim) {
        return Reductions.amax(neg(), dims, keepDim).neg();
    }

    /** The largest element, as a 0-d tensor. */
    public Tensor max() {
        return Reductions.amax(this, null, false);
    }

    /** The smallest element, as a 0-d tensor. */
    public Tensor min() {
        return amin(null, false);
    }

    /** Values and (int64) indices of the maxima along {@code dim}; the gradient goes to the returned index. */
    public ValuesAndIndices max(int dim, boolean keepDim) {
        return Reductions.maxAlong(this, dim, keepDim, true);
    }

    /** Values and (int64) indices of the minima along {@code dim}. */
    public ValuesAndIndices min(int dim, boolean keepDim) {
        return Reductions.maxAlong(this, dim, keepDim, false);
    }

    /** Index of the largest element of the flattened tensor (int64, 0-d). */
    public Tensor argmax() {
        return Reductions.argExtreme(this, null, false, true);
    }

    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, dim, keepDim, true);
    }

    public Tensor argmin() {
        return Reductions.argExtreme(this, null, false, false);
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argExtreme(this, dim, keepDim, false);
    }

    /** log Σ exp(x) over {@code dims}, computed without overflow. */
    public Tensor logSumExp(int[] dims, boolean keepDim) {
        return Reductions.logSumExp(this, dims, keepDim);
    }

    /** Product of all elements. */
    public Tensor prod() {
        return Reductions.prod(flatten(), 0, false);
    }

    /** Product along {@code dim}. */
    public Tensor prod(int dim, boolean keepDim) {
        return Reductions.prod(this, dim, keepDim);
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return Reductions.norm(this, 2, null, false);
    }

    /** The p-norm over {@code dims} (p = 1, 2, any positive p, or infinity). */
    public Tensor norm(double p, int[] dims, boolean keepDim) {
        return Reductions.norm(this, p, dims, keepDim);
    }

    /** Running sum along {@code dim}. */
    public Tensor cumsum(int dim) {
        return Reductions.cumsum(this, dim);
    }

    /** exp(x) / Σ exp(x) along {@code dim}, stable for large x. */
    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim, false);
    }

    /** x − log Σ exp(x) along {@code dim}, stable for large x. */
    public Tensor logSoftmax(int dim) {
        return Reductions.softmax(this, dim, true);
    }

    // ---- linear algebra (see Linalg) ----

    /** The matrix product with PyTorch's rules for 1-d, 2-d, batched and broadcast operands. */
    public Tensor matmul(Tensor other) {
        return Linalg.matmul(this, other);
    }

    /** Batched product [B, M, K]·[B, K, N] with no broadcasting. */
    public Tensor bmm(Tensor other) {
        return Linalg.bmm(this, other);
    }

    /** Outer product of two vectors: [M]·[N] → [M, N]. */
    public Tensor outer(Tensor other) {
        return Linalg.outer(this, other);
    }

    /** Dot product of two vectors of one length. */
    public Tensor dot(Tensor other) {
        return Linalg.dot(this, other);
    }

    // ---- indexing (see Indexing) ----

    /** {@code out[i][j] = this[index[i][j]][j]} for dim 0, and likewise for any dim. */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** A copy with {@code src} written at the positions {@code index} names along {@code dim}. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src, false);
    }

    /** A copy with {@code src} added at the positions {@code index} names along {@code dim}; repeats accumulate. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src, true);
    }

    /** The entries at {@code index} (1-d, int64 or int32) along {@code dim}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** For an integer tensor of class indices, int64 one-hot vectors along a new last dimension. */
    public Tensor oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    /** Rows of {@code weight} [V, D] picked by integer {@code indices} of any shape: result [..., D]. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return Indexing.embedding(indices, weight);
    }

    // ---- views and joins (see Views) ----

    /** The same elements in a new shape (one size may be −1); a view when the strides allow, else a copy. */
    public Tensor reshape(int... dims) {
        return Views.reshape(this, dims);
    }

    /** Like {@link #reshape} but never copies: an error when the strides do not allow a view. */
    public Tensor view(int... dims) {
        return Views.view(this, dims);
    }

    /** Dimensions reordered: result dimension i is this tensor's dimension {@code perm[i]}. */
    public Tensor permute(int... perm) {
        return Views.permute(this, perm);
    }

    /** Dimensions d0 and d1 swapped. */
    public Tensor transpose(int d0, int d1) {
        return Views.transpose(this, d0, d1);
    }

    /** The transpose of a matrix (rank ≤ 2). */
    public Tensor t() {
        if (dim() > 2) {
            throw new ShapeException("t() expects a tensor of rank at most 2, got shape " + shape + "; use mT() or transpose()");
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** The last two dimensions swapped (batched matrix transpose). */
    public Tensor mT() {
        if (dim() < 2) {
            throw new ShapeException("mT() expects a tensor of rank at least 2, got shape " + shape);
        }
        return transpose(-2, -1);
    }

    /** Every size-1 dimension removed. */
    public Tensor squeeze() {
        return Views.squeeze(this, null);
    }

    /** Dimension {@code dim} removed if its size is 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** A size-1 dimension inserted at {@code dim} (from −rank−1 to rank). */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** A view with size-1 dimensions repeated (stride 0) to {@code dims}; −1 keeps a size. */
    public Tensor expand(int... dims) {
        return Views.expand(this, dims);
    }

    /** All dimensions flattened into one. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Dimensions start..end (inclusive) flattened into one. */
    public Tensor flatten(int start, int end) {
        return Views.flatten(this, start, end);
    }

    /** Dimension {@code dim} split into {@code sizes} (one may be −1). */
    public Tensor unflatten(int dim, int... sizes) {
        return Views.unflatten(this, dim, sizes);
    }

    /** Elements start, start+step, ... below end along {@code dim} (Python's {@code x[start:end:step]}); bounds clamp. */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    /** {@code length} elements from {@code start} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) {
        return Views.narrow(this, dim, start, length);
    }

    /** The slice at {@code index} (negative counts from the end) along {@code dim}, which is removed. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** Elements reversed along {@code dims}. */
    public Tensor flip(int... dims) {
        return Views.flip(this, dims);
    }

    /** {@code chunks} views along {@code dim}, all of size ⌈n/chunks⌉ but the last. */
    public List<Tensor> chunk(int chunks, int dim) {
        return Views.chunk(this, chunks, dim);
    }

    /** Views of {@code size} elements along {@code dim} (the last may be shorter). */
    public List<Tensor> split(int size, int dim) {
        return Views.split(this, size, dim);
    }

    /** Tensors joined along an existing dimension. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Views.cat(tensors, dim);
    }

    /** Tensors of one shape joined along a new dimension. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Views.stack(tensors, dim);
    }

    /** This tensor if contiguous, else a contiguous copy (gradients flow through). */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A contiguous copy (gradients flow through). */
    @Override
    public Tensor clone() {
        return Views.copy(this, dtype());
    }

    /** A copy converted to {@code dtype} (this tensor if already of it); floats to integers truncate. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Views.copy(this, dtype);
    }

    // ---- in place (see InPlace) ----

    /** this += other, broadcasting other. */
    public Tensor addInPlace(Tensor other) {
        return InPlace.binary(BinaryOp.ADD, this, other);
    }

    /** this += a·b for a 2-d this [M, N], a [M, K] and b [K, N] of this tensor's dtype, without a temporary (PyTorch's {@code addmm_}). */
    public Tensor addMatmulInPlace(Tensor a, Tensor b) {
        return addMatmulInPlace(a, b, 1);
    }

    /**
     * this = beta·this + a·b (PyTorch's {@code addmm_(a, b, beta=beta)}); with beta 0 this tensor's old values are
     * not read, so a NaN in them does not survive, as in PyTorch.
     */
    public Tensor addMatmulInPlace(Tensor a, Tensor b, double beta) {
        return InPlace.addMatmul(this, a, b, beta);
    }

    /** this += alpha·other (PyTorch's {@code add_(other, alpha=alpha)}): one pass, no temporary, on float tensors. */
    public Tensor addInPlace(Tensor other, double alpha) {
        return alpha == 1 ? InPlace.binary(BinaryOp.ADD, this, other) : InPlace.addScaled(this, other, alpha);
    }

    public Tensor subInPlace(Tensor other) {
        return InPlace.binary(BinaryOp.SUB, this, other);
    }

    public Tensor mulInPlace(Tensor other) {
        return InPlace.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mulInPlace(double value) {
        return InPlace.binary(BinaryOp.MUL, this, Elementwise.scalarLike(this, value));
    }

    public Tensor divInPlace(Tensor other) {
        return InPlace.binary(BinaryOp.DIV, this, other);
    }

    /** Every element set to {@code value}. */
    public Tensor fillInPlace(double value) {
        return InPlace.copy(this, Elementwise.scalarLike(this, value));
    }

    /** Every element set to zero. */
    public Tensor zeroInPlace() {
        return fillInPlace(0);
    }

    /** Elements of {@code src} (broadcast, converted) copied into this tensor. */
    public Tensor copyInPlace(Tensor src) {
        return InPlace.copy(this, src);
    }

    /** The single element of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new ShapeException("item() needs a tensor with one element, got shape " + shape);
        }
        return storage.getDouble(offset);
    }

    /** The element at {@code index} (one index per dimension, negative counts from the end). */
    public double get(int... index) {
        return storage.getDouble(Views.offsetOf(this, index));
    }

    /** The elements in row-major order as floats (a copy). */
    public float[] toFloatArray() {
        return Views.copy(detach(), DType.FLOAT32).storage.floats();
    }

    /** The elements in row-major order as doubles (a copy). */
    public double[] toDoubleArray() {
        return Views.copy(detach(), DType.FLOAT64).storage.doubles();
    }

    /** The elements in row-major order as longs (a copy; floats truncate). */
    public long[] toLongArray() {
        return Views.copy(detach(), DType.INT64).storage.longs();
    }

    /** The elements in row-major order as ints (a copy). */
    public int[] toIntArray() {
        return Views.copy(detach(), DType.INT32).storage.ints();
    }

    /** The elements in row-major order as booleans (a copy; non-zero is true). */
    public boolean[] toBooleanArray() {
        return Views.copy(detach(), DType.BOOL).storage.booleans();
    }

    /** As PyTorch prints a tensor: values (abbreviated when large), then dtype, shape and grad function. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
