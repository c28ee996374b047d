package fathom.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays that autograd has finished with, kept per thread for the next allocation of the same length that
 * will overwrite every element ({@link Storage#allocateUninitialized}), as PyTorch's caching allocator hands freed
 * blocks back: that allocation skips the JVM's zeroing of a fresh array (about 0.3 ms per MB on the thread that
 * allocates, while the other threads wait for the next parallel loop) and writes memory that is still in cache.
 * Bounded: {@link #PER_LENGTH} arrays of each length and {@link #MAX_FLOATS} floats in all per thread; what does not
 * fit is left to the garbage collector.
 */
final class RecycledArrays {
    /** Arrays below this many floats (64 KiB) are cheap to zero; they are not kept. */
    static final int MIN_LENGTH = 1 << 14;
    /** 64 MiB per thread. */
    static final long MAX_FLOATS = 16L << 20;
    /** Arrays kept of one length: a transformer's step hands back several activations of one length per layer. */
    static final int PER_LENGTH = 64;
    private static final ThreadLocal<RecycledArrays> MINE = ThreadLocal.withInitial(RecycledArrays::new);

    private final Map<Integer, ArrayDeque<float[]>> byLength = new HashMap<>();
    private long floats;

    static RecycledArrays mine() {
        return MINE.get();
    }

    /** A kept array of exactly {@code length} floats, or null. */
    float[] take(int length) {
        ArrayDeque<float[]> kept = byLength.get(length);
        float[] a = kept == null ? null : kept.pollLast();
        if (a != null) {
            floats -= length;
        }
        return a;
    }

    /** Keeps {@code a} if the bounds allow. */
    void give(float[] a) {
        ArrayDeque<float[]> kept = byLength.computeIfAbsent(a.length, n -> new ArrayDeque<>());
        if (kept.size() < PER_LENGTH && floats + a.length <= MAX_FLOATS) {
            kept.addLast(a);
            floats += a.length;
        }
    }

    /** Floats kept now. */
    long floats() {
        return floats;
    }

    void clear() {
        byLength.clear();
        floats = 0;
    }
}
