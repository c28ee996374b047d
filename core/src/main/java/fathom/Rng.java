package fathom;

/**
 * A seeded, splittable random number generator (SplitMix64, the algorithm behind the JDK's
 * {@code SplittableRandom}); every random op in Fathom takes one explicitly, so a run is reproduced by
 * its seed alone.
 *
 * <p>{@link #split()} derives an independent generator (for a data loader worker, a dropout layer, an
 * augmentation), so streams do not depend on how many numbers another stream drew. The whole state is
 * two longs ({@link #state()}), which checkpoints save and {@link #restore} brings back.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final float FLOAT_UNIT = 0x1.0p-24f;

    private long seed;
    private long gamma;

    /** A generator whose whole stream is fixed by {@code seed}. */
    public Rng(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** A generator in the state {@link #state()} returned. */
    public static Rng restore(long[] state) {
        if (state.length != 2 || (state[1] & 1) == 0) {
            throw new IllegalArgumentException("an Rng state is two longs, the second odd; got " + java.util.Arrays.toString(state));
        }
        return new Rng(state[0], state[1]);
    }

    /** Puts this generator back in the state {@link #state()} returned (a checkpoint restoring a layer's generator). */
    public void restoreInPlace(long[] state) {
        Rng r = restore(state);
        seed = r.seed;
        gamma = r.gamma;
    }

    /** The complete state: {seed, gamma}. */
    public long[] state() {
        return new long[] {seed, gamma};
    }

    /** A new generator whose stream is independent of this one's; advances this one. */
    public Rng split() {
        return new Rng(nextLong(), mixGamma(nextSeed()));
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        return mix64(nextSeed());
    }

    /** Uniform in [0, bound) without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = bound - 1;
        long r = nextLong();
        if ((bound & m) == 0) {
            return r & m;
        }
        for (long u = r >>> 1; u + m - (r = u % bound) < 0; u = nextLong() >>> 1) {
            // rejection keeps every residue equally likely
        }
        return r;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * FLOAT_UNIT;
    }

    /** A standard normal value (Box-Muller on two uniforms; no cached second value, so the state stays two longs). */
    public double nextGaussian() {
        double u1 = 1 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private long nextSeed() {
        return seed += gamma;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return n < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
