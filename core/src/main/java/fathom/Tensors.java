package fathom;

import fathom.backend.Backends;
import fathom.backend.Storage;

/**
 * Creating tensors: filled, from Java arrays, ranges, and random draws from an explicit {@link Rng}.
 * Floating results default to float32, as PyTorch's default dtype; integer ranges are int64.
 */
public final class Tensors {
    private Tensors() {}

    /** A zero-filled contiguous tensor. */
    public static Tensor zeros(Shape shape, DType dtype) {
        return new Tensor(Storage.allocate(dtype, shape.numel()), shape, shape.contiguousStrides(), 0);
    }

    /**
     * A tensor whose elements are undefined ({@code torch.empty}): for a result that will be written in full. It may
     * reuse memory that autograd has finished with, so reading an element before writing it gives garbage.
     */
    public static Tensor empty(Shape shape, DType dtype) {
        return new Tensor(Storage.allocateUninitialized(dtype, shape.numel()), shape, shape.contiguousStrides(), 0);
    }

    /** float32 zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims), DType.FLOAT32);
    }

    /** float32 ones. */
    public static Tensor ones(int... dims) {
        return full(Shape.of(dims), DType.FLOAT32, 1);
    }

    /** Ones of the given dtype. */
    public static Tensor ones(Shape shape, DType dtype) {
        return full(shape, dtype, 1);
    }

    /** A tensor of {@code shape} with every element {@code value}. */
    public static Tensor full(Shape shape, DType dtype, double value) {
        return value == 0 ? zeros(shape, dtype) : Backends.current().full(shape, dtype, value);
    }

    /** A 0-d float32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(value, DType.FLOAT32);
    }

    /** A 0-d tensor of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        Tensor t = zeros(Shape.scalar(), dtype);
        t.storage.setDouble(0, value);
        return t;
    }

    /** A float32 tensor holding {@code values} (not copied) in {@code shape}, or 1-d when no shape is given. */
    public static Tensor of(float[] values, int... shape) {
        return wrap(DType.FLOAT32, values, values.length, shape);
    }

    /** A float64 tensor holding {@code values} (not copied). */
    public static Tensor of(double[] values, int... shape) {
        return wrap(DType.FLOAT64, values, values.length, shape);
    }

    /** An int64 tensor holding {@code values} (not copied). */
    public static Tensor of(long[] values, int... shape) {
        return wrap(DType.INT64, values, values.length, shape);
    }

    /** An int32 tensor holding {@code values} (not copied). */
    public static Tensor of(int[] values, int... shape) {
        return wrap(DType.INT32, values, values.length, shape);
    }

    /** A bool tensor holding {@code values} (not copied). */
    public static Tensor of(boolean[] values, int... shape) {
        return wrap(DType.BOOL, values, values.length, shape);
    }

    private static Tensor wrap(DType dtype, Object array, int length, int[] dims) {
        Shape shape = dims.length == 0 ? Shape.of(length) : Shape.of(dims);
        if (shape.numel() != length) {
            throw new ShapeException("shape " + shape + " needs " + shape.numel() + " values, got " + length);
        }
        return new Tensor(Storage.wrap(dtype, array), shape, shape.contiguousStrides(), 0);
    }

    /** A view of {@code storage} with the given shape, strides and offset (PyTorch's {@code as_strided}); bounds are checked. */
    public static Tensor asStrided(Storage storage, Shape shape, int[] strides, int offset) {
        if (strides.length != shape.rank()) {
            throw new ShapeException("asStrided: " + strides.length + " strides for shape " + shape);
        }
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < strides.length; d++) {
            long reach = (long) strides[d] * (shape.size(d) - 1);
            if (shape.size(d) == 0) {
                return new Tensor(storage, shape, strides.clone(), offset);
            }
            if (reach < 0) {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        if (lo < 0 || hi >= storage.length()) {
            throw new ShapeException("asStrided: view " + shape + " with strides " + java.util.Arrays.toString(strides)
                    + " at offset " + offset + " reaches outside a storage of " + storage.length() + " elements");
        }
        return new Tensor(storage, shape, strides.clone(), offset);
    }

    /** int64 values 0, 1, ..., end − 1. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** int64 values start, start + step, ... below end (above it for a negative step). */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be non-zero");
        }
        long n = Math.max(0, Math.ceilDiv(end - start, step));
        long[] v = new long[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return of(v);
    }

    /** float32 values start, start + step, ... short of end. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be non-zero");
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (start + i * step);
        }
        return of(v);
    }

    /** {@code steps} float32 values evenly spaced from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be ≥ 0, got " + steps);
        }
        float[] v = new float[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) {
            // fill from both ends, as PyTorch does, so that the last value is exactly end
            v[i] = (float) (i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step);
        }
        return of(v);
    }

    /** The n×n float32 identity matrix. */
    public static Tensor eye(int n) {
        float[] v = new float[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        return of(v, n, n);
    }

    /** float32 values uniform in [0, 1). */
    public static Tensor rand(Rng rng, int... dims) {
        return rand(rng, Shape.of(dims), DType.FLOAT32);
    }

    /** Uniform values in [0, 1) of a floating dtype. */
    public static Tensor rand(Rng rng, Shape shape, DType dtype) {
        Tensor t = zeros(shape, floating("rand", dtype));
        Storage s = t.storage;
        for (int i = 0; i < shape.numel(); i++) {
            s.setDouble(i, dtype == DType.FLOAT32 ? rng.nextFloat() : rng.nextDouble());
        }
        return t;
    }

    /** float32 values from the standard normal distribution. */
    public static Tensor randn(Rng rng, int... dims) {
        return randn(rng, Shape.of(dims), DType.FLOAT32);
    }

    /** Standard-normal values of a floating dtype. */
    public static Tensor randn(Rng rng, Shape shape, DType dtype) {
        Tensor t = zeros(shape, floating("randn", dtype));
        Storage s = t.storage;
        for (int i = 0; i < shape.numel(); i++) {
            s.setDouble(i, rng.nextGaussian());
        }
        return t;
    }

    /** int64 values uniform in [low, high). */
    public static Tensor randint(Rng rng, long low, long high, int... dims) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: empty range [" + low + ", " + high + ")");
        }
        Shape shape = Shape.of(dims);
        long[] v = new long[shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + rng.nextLong(high - low);
        }
        return new Tensor(Storage.wrap(DType.INT64, v), shape, shape.contiguousStrides(), 0);
    }

    /** A random permutation of 0 .. n − 1 as int64 (PyTorch's {@code randperm}), by Fisher-Yates. */
    public static Tensor randperm(Rng rng, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        return of(v);
    }

    /** 0 or 1 in p's dtype, 1 with the probability given by each element of p. */
    static Tensor bernoulli(Tensor p, Rng rng) {
        double[] probs = p.toDoubleArray();
        Tensor t = zeros(p.shape(), p.dtype().isFloating() ? p.dtype() : DType.FLOAT32);
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] < 0 || probs[i] > 1) {
                throw new IllegalArgumentException("bernoulli: probability " + probs[i] + " at element " + i + " is outside [0, 1]");
            }
            t.storage.setDouble(i, rng.nextDouble() < probs[i] ? 1 : 0);
        }
        return t;
    }

    private static DType floating(String op, DType dtype) {
        if (!dtype.isFloating()) {
            throw new DTypeException(op + " makes floating tensors, not " + dtype);
        }
        return dtype;
    }
}
