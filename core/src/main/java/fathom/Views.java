package fathom;

import fathom.autograd.Op;
import fathom.backend.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Movement ops as stride arithmetic on one storage (reshape, permute, expand, slice, flip), plus
 * copies and joins. Each public op records itself; the {@code *View} methods make the view alone.
 */
final class Views {
    private static final Op.Copy COPY = new Op.Copy();

    private Views() {}

    static boolean isContiguous(Tensor t) {
        int expected = 1;
        for (int d = t.dim() - 1; d >= 0; d--) {
            int size = t.shape.size(d);
            if (size != 1) {
                if (t.strides[d] != expected) {
                    return false;
                }
                expected *= size;
            }
        }
        return true;
    }

    static Tensor view(Tensor base, Shape shape, int[] strides, int offset) {
        return new Tensor(base.storage, shape, strides, offset);
    }

    /** The sizes with one −1 replaced so the element count is {@code numel}, or an error naming both. */
    static Shape infer(Tensor t, int[] dims) {
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (unknown >= 0) {
                    throw new ShapeException("reshape: only one dimension can be -1, got " + Arrays.toString(dims));
                }
                unknown = i;
            } else if (dims[i] < 0) {
                throw new ShapeException("reshape: invalid size " + dims[i] + " in " + Arrays.toString(dims));
            } else {
                known *= dims[i];
            }
        }
        int[] out = dims.clone();
        if (unknown >= 0) {
            if (known == 0 || t.numel() % known != 0) {
                throw new ShapeException("reshape: shape " + Arrays.toString(dims) + " is invalid for input of shape " + t.shape);
            }
            out[unknown] = (int) (t.numel() / known);
        } else if (known != t.numel()) {
            throw new ShapeException("reshape: shape " + Arrays.toString(dims) + " is invalid for input of shape " + t.shape
                    + " (" + known + " vs " + t.numel() + " elements)");
        }
        return Shape.of(out);
    }

    /** Strides that view t's elements in {@code shape} without copying, or null when none exist (PyTorch's computeStride). */
    static int[] viewStrides(Tensor t, Shape shape) {
        int[] oldSizes = t.shape.dims();
        int[] oldStrides = t.strides;
        int[] newSizes = shape.dims();
        int[] out = new int[newSizes.length];
        if (t.numel() == 0) {
            return shape.contiguousStrides();
        }
        int viewD = newSizes.length - 1;
        int chunkBase = oldStrides.length > 0 ? oldStrides[oldStrides.length - 1] : 1;
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = oldSizes.length - 1; d >= 0; d--) {
            tensorNumel *= oldSizes[d];
            if (d == 0 || oldSizes[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newSizes[viewD] == 1)) {
                    out[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newSizes[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            while (viewD >= 0) {
                out[viewD--] = 1;
            }
        }
        return out;
    }

    static Tensor reshape(Tensor t, int[] dims) {
        Shape shape = infer(t, dims);
        if (shape.equals(t.shape)) {
            return t;
        }
        int[] strides = viewStrides(t, shape);
        Tensor out = strides != null ? view(t, shape, strides, t.offset) : reshapeCopy(t, shape);
        return Autograd.record(new Op.Reshape(t.shape), out, t);
    }

    private static Tensor reshapeCopy(Tensor t, Shape shape) {
        Tensor c = Backends.current().copy(t, t.dtype());
        return view(c, shape, shape.contiguousStrides(), 0);
    }

    static Tensor view(Tensor t, int[] dims) {
        Shape shape = infer(t, dims);
        if (viewStrides(t, shape) == null) {
            throw new ShapeException("view: shape " + shape + " is not compatible with the strides of input " + t.shape
                    + " " + Arrays.toString(t.strides) + "; use reshape(), which copies when it must");
        }
        return reshape(t, dims);
    }

    static Tensor permute(Tensor t, int[] perm) {
        int rank = t.dim();
        if (perm.length != rank) {
            throw new ShapeException("permute: " + perm.length + " dimensions given for a tensor of shape " + t.shape);
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        int[] sizes = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shape.normalizeDim(perm[i], rank);
            if (seen[p[i]]) {
                throw new ShapeException("permute: dimension " + p[i] + " repeats in " + Arrays.toString(perm));
            }
            seen[p[i]] = true;
            sizes[i] = t.shape.size(p[i]);
            strides[i] = t.strides[p[i]];
        }
        return Autograd.record(new Op.Permute(p), view(t, Shape.of(sizes), strides, t.offset), t);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        int rank = t.dim();
        int[] p = new int[rank];
        Arrays.setAll(p, i -> i);
        int a = Shape.normalizeDim(d0, rank);
        int b = Shape.normalizeDim(d1, rank);
        if (rank == 0 || a == b) {
            return t;
        }
        p[a] = b;
        p[b] = a;
        return permute(t, p);
    }

    static Tensor squeeze(Tensor t, Integer dim) {
        int[] sizes = t.shape.dims();
        List<Integer> keep = new ArrayList<>();
        Integer only = dim == null ? null : Shape.normalizeDim(dim, t.dim());
        for (int d = 0; d < sizes.length; d++) {
            boolean drop = sizes[d] == 1 && (only == null || only == d);
            if (!drop) {
                keep.add(d);
            }
        }
        return keepDims(t, keep);
    }

    private static Tensor keepDims(Tensor t, List<Integer> keep) {
        if (keep.size() == t.dim()) {
            return t;
        }
        int[] sizes = new int[keep.size()];
        int[] strides = new int[keep.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = t.shape.size(keep.get(i));
            strides[i] = t.strides[keep.get(i)];
        }
        return Autograd.record(new Op.Reshape(t.shape), view(t, Shape.of(sizes), strides, t.offset), t);
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int rank = t.dim();
        int d = Shape.normalizeDim(dim, rank + 1);
        int[] sizes = new int[rank + 1];
        int[] strides = new int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            if (i == d) {
                sizes[i] = 1;
                strides[i] = j < rank ? t.strides[j] * t.shape.size(j) : 1;
            } else {
                sizes[i] = t.shape.size(j);
                strides[i] = t.strides[j++];
            }
        }
        return Autograd.record(new Op.Reshape(t.shape), view(t, Shape.of(sizes), strides, t.offset), t);
    }

    static Tensor expand(Tensor t, int[] dims) {
        int rank = dims.length;
        int lead = rank - t.dim();
        if (lead < 0) {
            throw new ShapeException("expand: target " + Arrays.toString(dims) + " has fewer dimensions than " + t.shape);
        }
        int[] sizes = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            int have = i < lead ? 1 : t.shape.size(i - lead);
            int want = dims[i] == -1 && i >= lead ? have : dims[i];
            if (want < 0 || have != want && have != 1) {
                throw new ShapeException("expand: cannot expand shape " + t.shape + " to " + Arrays.toString(dims)
                        + " (dimension " + i + ": " + have + " to " + dims[i] + "); only size-1 dimensions expand");
            }
            sizes[i] = want;
            strides[i] = i < lead || have != want ? 0 : t.strides[i - lead];
        }
        Shape shape = Shape.of(sizes);
        if (shape.equals(t.shape)) {
            return t;
        }
        return Autograd.record(new Op.Expand(t.shape), view(t, shape, strides, t.offset), t);
    }

    static Tensor flatten(Tensor t, int start, int end) {
        if (t.dim() == 0) {
            return t.reshape(1);
        }
        int s = Shape.normalizeDim(start, t.dim());
        int e = Shape.normalizeDim(end, t.dim());
        if (s > e) {
            throw new ShapeException("flatten: start dimension " + start + " comes after end dimension " + end);
        }
        int[] sizes = new int[t.dim() - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            sizes[k++] = t.size(i);
        }
        sizes[k++] = -1;
        for (int i = e + 1; i < t.dim(); i++) {
            sizes[k++] = t.size(i);
        }
        int prod = 1;
        for (int i = s; i <= e; i++) {
            prod *= t.size(i);
        }
        sizes[s] = prod;
        return t.reshape(sizes);
    }

    static Tensor unflatten(Tensor t, int dim, int[] parts) {
        int d = Shape.normalizeDim(dim, t.dim());
        int[] sizes = new int[t.dim() - 1 + parts.length];
        int k = 0;
        for (int i = 0; i < t.dim(); i++) {
            if (i == d) {
                int known = 1;
                int unknown = -1;
                for (int j = 0; j < parts.length; j++) {
                    if (parts[j] == -1) {
                        unknown = k + j;
                    } else {
                        known *= parts[j];
                    }
                }
                System.arraycopy(parts, 0, sizes, k, parts.length);
                if (unknown >= 0 && known > 0) {
                    sizes[unknown] = t.size(d) / known;
                }
                int prod = 1;
                for (int j = 0; j < parts.length; j++) {
                    prod *= sizes[k + j];
                }
                if (prod != t.size(d)) {
                    throw new ShapeException("unflatten: sizes " + Arrays.toString(parts) + " do not multiply to " + t.size(d)
                            + ", the size of dimension " + d + " of " + t.shape);
                }
                k += parts.length;
            } else {
                sizes[k++] = t.size(i);
            }
        }
        return t.reshape(sizes);
    }

    /** The view x[start:end:step] along dim, with Python's clamping of start and end. */
    static Tensor sliceView(Tensor t, int dim, int start, int end, int step) {
        int n = t.size(dim);
        int s = clampIndex(start, n);
        int e = clampIndex(end, n);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] sizes = t.shape.toArray();
        int[] strides = t.strides.clone();
        sizes[dim] = len;
        strides[dim] = t.strides[dim] * step;
        return view(t, Shape.of(sizes), strides, len == 0 ? t.offset : t.offset + s * t.strides[dim]);
    }

    private static int clampIndex(int i, int n) {
        return i < 0 ? Math.max(0, i + n) : Math.min(i, n);
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        int d = Shape.normalizeDim(dim, t.dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step + "; use flip() to reverse");
        }
        Tensor out = sliceView(t, d, start, end, step);
        int s = clampIndex(start, t.size(d));
        return Autograd.record(new Op.Slice(t.shape, d, s, step), out, t);
    }

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        int d = Shape.normalizeDim(dim, t.dim());
        int n = t.size(d);
        int s = start < 0 ? start + n : start;
        if (s < 0 || length < 0 || s + length > n) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " and length " + length
                    + " exceed dimension " + d + " of size " + n);
        }
        return slice(t, d, s, s + length, 1);
    }

    static Tensor select(Tensor t, int dim, int index) {
        int d = Shape.normalizeDim(dim, t.dim());
        int n = t.size(d);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + d + " of size " + n);
        }
        return squeeze(slice(t, d, i, i + 1, 1), d);
    }

    static Tensor flip(Tensor t, int[] dims) {
        int[] d = Reductions.dims(t, dims);
        int offset = t.offset;
        int[] strides = t.strides.clone();
        for (int i : d) {
            if (t.size(i) > 0) {
                offset += (t.size(i) - 1) * strides[i];
            }
            strides[i] = -strides[i];
        }
        return Autograd.record(new Op.Flip(d), view(t, t.shape, strides, offset), t);
    }

    static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int d = Shape.normalizeDim(dim, t.dim());
        return split(t, Math.max(1, (t.size(d) + chunks - 1) / chunks), d);
    }

    static List<Tensor> split(Tensor t, int size, int dim) {
        if (size <= 0) {
            throw new IllegalArgumentException("split: size must be positive, got " + size);
        }
        int d = Shape.normalizeDim(dim, t.dim());
        List<Tensor> parts = new ArrayList<>();
        for (int s = 0; s < t.size(d); s += size) {
            parts.add(narrow(t, d, s, Math.min(size, t.size(d) - s)));
        }
        return parts;
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        Tensor first = tensors.get(0);
        int d = Shape.normalizeDim(dim, first.dim());
        DType dtype = first.dtype();
        int[] sizes = new int[tensors.size()];
        int total = 0;
        for (int i = 0; i < sizes.length; i++) {
            Tensor t = tensors.get(i);
            if (t.dim() != first.dim()) {
                throw new ShapeException("cat: tensor " + i + " has shape " + t.shape + ", rank differs from " + first.shape);
            }
            for (int k = 0; k < t.dim(); k++) {
                if (k != d && t.size(k) != first.size(k)) {
                    throw new ShapeException("cat: tensor " + i + " has shape " + t.shape + ", which differs from " + first.shape
                            + " in dimension " + k + " (only dimension " + d + " may differ)");
                }
            }
            dtype = DType.promote(dtype, t.dtype());
            sizes[i] = t.size(d);
            total += sizes[i];
        }
        int[] outSizes = first.shape.toArray();
        outSizes[d] = total;
        Tensor out = Tensors.zeros(Shape.of(outSizes), dtype);
        Tensor[] inputs = new Tensor[sizes.length];
        for (int i = 0, at = 0; i < sizes.length; at += sizes[i], i++) {
            inputs[i] = tensors.get(i).to(dtype);
            Backends.current().copyInto(sliceView(out, d, at, at + sizes[i], 1), inputs[i]);
        }
        return Autograd.record(new Op.Cat(d, sizes), out, inputs);
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        Shape shape = tensors.get(0).shape;
        int d = Shape.normalizeDim(dim, shape.rank() + 1);
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!t.shape.equals(shape)) {
                throw new ShapeException("stack: tensor " + i + " has shape " + t.shape + ", expected " + shape);
            }
            parts.add(t.unsqueeze(d));
        }
        return cat(parts, d);
    }

    /** A contiguous copy in {@code dtype}, recorded as a Cast (or a Copy when the dtype stays). */
    static Tensor copy(Tensor t, DType dtype) {
        Tensor out = Backends.current().copy(t, dtype);
        if (!dtype.isFloating()) {
            return out;
        }
        return Autograd.record(dtype == t.dtype() ? COPY : new Op.Cast(t.dtype()), out, t);
    }

    static int offsetOf(Tensor t, int[] index) {
        if (index.length != t.dim()) {
            throw new ShapeException("get: " + index.length + " indices for a tensor of shape " + t.shape);
        }
        int off = t.offset;
        for (int d = 0; d < index.length; d++) {
            int n = t.size(d);
            int i = index[d] < 0 ? index[d] + n : index[d];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension " + d + " with size " + n);
            }
            off += i * t.strides[d];
        }
        return off;
    }
}
