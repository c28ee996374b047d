package fathom.models;

import fathom.Autograd;
import fathom.DType;
import fathom.Shape;
import fathom.ShapeException;
import fathom.Tensor;
import fathom.Tensors;

/**
 * The keys and values a decoder has computed so far, per layer, so that the next token costs
 * attention over the cached keys (O(T) per layer) instead of recomputing the whole prefix.
 *
 * <p>Each layer holds preallocated buffers [B, H, capacity, D]; {@link #append} writes the new
 * positions in place and returns views of the filled prefix (no copy of the old entries). The cache
 * advances once all layers have appended ({@link #advance}). For inference only: writes happen with
 * gradients off.
 */
public final class KvCache {
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int capacity;
    private int length;

    /** An empty cache for {@code layers} layers of batch × heads × capacity × headDim. */
    public KvCache(int layers, int batch, int heads, int capacity, int headDim, DType dtype) {
        if (layers <= 0 || batch <= 0 || heads <= 0 || capacity <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("KvCache sizes must be positive: layers " + layers + ", batch " + batch + ", heads " + heads
                    + ", capacity " + capacity + ", headDim " + headDim);
        }
        this.capacity = capacity;
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = Tensors.zeros(Shape.of(batch, heads, capacity, headDim), dtype);
            values[l] = Tensors.zeros(Shape.of(batch, heads, capacity, headDim), dtype);
        }
    }

    /** Positions cached so far (the position of the next token). */
    public int length() {
        return length;
    }

    /** The most positions this cache holds. */
    public int capacity() {
        return capacity;
    }

    /** Number of layers. */
    public int layers() {
        return keys.length;
    }

    /**
     * Writes k and v [B, H, T, D] of {@code layer} at positions {@code length..length+T−1} and returns the keys
     * and values of positions {@code 0..length+T−1}, as views [B, H, length + T, D].
     */
    public Tensor[] append(int layer, Tensor k, Tensor v) {
        int t = k.size(2);
        if (length + t > capacity) {
            throw new ShapeException("KvCache: " + t + " new positions after " + length + " exceed the capacity " + capacity);
        }
        Tensor kb = keys[layer];
        if (!k.shape().equals(v.shape()) || k.dim() != 4 || k.size(0) != kb.size(0) || k.size(1) != kb.size(1) || k.size(3) != kb.size(3)) {
            throw new ShapeException("KvCache: keys and values must be [" + kb.size(0) + ", " + kb.size(1) + ", T, " + kb.size(3) + "], got "
                    + k.shape() + " and " + v.shape());
        }
        try (var _ = Autograd.noGrad()) {
            kb.narrow(2, length, t).copyInPlace(k);
            values[layer].narrow(2, length, t).copyInPlace(v);
        }
        return new Tensor[] {kb.narrow(2, 0, length + t), values[layer].narrow(2, 0, length + t)};
    }

    /** Moves past {@code t} appended positions, once every layer has appended them. */
    public void advance(int t) {
        if (t < 0 || length + t > capacity) {
            throw new IllegalArgumentException("KvCache: cannot advance by " + t + " from " + length + " with capacity " + capacity);
        }
        length += t;
    }

    /** Forgets every cached position. */
    public void clear() {
        length = 0;
    }

    /** Forgets the positions from {@code length} on (to roll back tokens that were tried and rejected). */
    public void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("KvCache: cannot truncate to " + length + " positions, it holds " + this.length);
        }
        this.length = length;
    }
}
