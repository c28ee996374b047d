package fathom.cpu;

/**
 * Fathom's float32 {@code e^x}, and the sigmoid and tanh built on it: the scalar twins of
 * {@link ExpF32Vector}, bit for bit, lane for lane.
 *
 * <p>{@link #exp} uses only exactly rounded operations (add, multiply, {@link Math#fma}, integer
 * shift and add on the bits, compare), so it gives the same float on every JVM, JIT tier and
 * platform; the JDK's {@code lanewise(EXP)} does not (an SVML stub once C2 compiles it, a
 * {@link Math#exp} loop before). Method: {@code x = n·ln2 + r} with {@code n = round(x/ln2)} (Cody-Waite,
 * ln2 split so that {@code n·LN2_HI} and {@code x − n·LN2_HI} are exact), {@code e^r ≈ 1 + r·(1 + r·P(r))}
 * on {@code |r| ≤ ln2/2} with P the degree-4 minimax fit of reference/exp_f32_fit.py (Horner's rule in
 * FMAs), then the scaling by {@code 2^n} as two exact powers of two {@code 2^⌊n/2⌋·2^⌈n/2⌉} built from
 * exponent bits, so that overflow and the subnormal range each come out of one correctly rounded multiply.
 *
 * <p>Accuracy, checked on every one of the 2.24·10⁹ floats in [-104, 89]: within 1 ulp of the
 * correctly rounded {@code (float) Math.exp(x)} everywhere and equal to it for 99.53 % of them; at
 * most 0.91 ulp from the exact value where the result is a normal float. Subnormal results are
 * kept, not flushed (as PyTorch). {@code x > 88.7228} gives +∞, {@code x < -103.9721} gives +0, NaN
 * gives NaN, −∞ gives 0, +∞ gives +∞.
 */
final class ExpF32Scalar {
    static final float LOG2E = 1.44269504088896341f;
    /**
     * 1.5·2^23 + 254: adding it rounds {@code x/ln2} to the integer n and leaves {@code 254 + n} in the
     * low mantissa bits, from which shifts alone give the exponent fields of {@code 2^⌊n/2⌋} and
     * {@code 2^⌈n/2⌉} (the two biases of 127).
     */
    static final float SHIFTER = 0x1.8p23f + 254f;
    /** ln2 to 15 significant bits, so that {@code n·LN2_HI} is exact for |n| < 512. */
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.428606765330187045e-06f;
    /** Coefficients of r² to r⁶ (reference/exp_f32_fit.py: 3.8e-9 relative error with these float values). */
    static final float C2 = 0.4999999403953552f, C3 = 0.1666652113199234f, C4 = 0.04166838899254799f,
            C5 = 0.008368715643882751f, C6 = 0.0013814599951729178f;
    /**
     * Inputs are clamped to [X_MIN, X_MAX] first, so n stays within ±160 and each half-power of two is a
     * normal float; the clamped ends still overflow to +∞ and underflow to +0.
     */
    static final float X_MAX = 100f, X_MIN = -110f;
    /** Up to this |x| tanh takes the polynomial; above it {@code e = e^{−2|x|} ≤ 0.29}, so {@code 1 − e} loses no bits. */
    static final float TANH_SMALL = 0.625f;
    /** Cephes' tanhf polynomial p(z) on |x| ≤ 0.625, highest degree first. */
    static final float T4 = -5.70498872745E-3f, T3 = 2.06390887954E-2f, T2 = -5.37397155531E-2f,
            T1 = 1.33314422036E-1f, T0 = -3.33332819422E-1f;

    private ExpF32Scalar() {}

    /** {@code e^x} within 1 ulp of the correctly rounded value; see the class comment. */
    static float exp(float x) {
        float xc = x > X_MAX ? X_MAX : x;
        xc = xc < X_MIN ? X_MIN : xc;
        float t = Math.fma(xc, LOG2E, SHIFTER);
        float n = t - SHIFTER;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(C6, r, C5), r, C4), r, C3), r, C2);
        float p = Math.fma(Math.fma(q, r, 1f), r, 1f);
        // the low 22 bits of t hold 254 + n; the bits above them shift out of every int below
        int bits = Float.floatToRawIntBits(t);
        int half = (bits >>> 1) << 23;
        return p * Float.intBitsToFloat(half) * Float.intBitsToFloat((bits << 23) - half);
    }

    /**
     * {@code 1 / (1 + e^-x)} through {@code e = e^-|x|} (never overflows): 1/(1+e) for x ≥ 0, e/(1+e)
     * for x < 0, each one division; within 2.5 ulp of the exact value.
     */
    static float sigmoid(float x) {
        return sigmoidFromExp(x, exp(-Math.abs(x)));
    }

    /** {@link #sigmoid} given {@code e = e^-|x|}: the step after the exponential, shared with the vector kernels' tails. */
    static float sigmoidFromExp(float x, float e) {
        return (x < 0f ? e : 1f) / (e + 1f);
    }

    /**
     * tanh x: Cephes' odd polynomial {@code x·(1 + x²·p(x²))} for |x| ≤ 0.625, where {@code 1 − e^{−2|x|}}
     * would cancel, and {@code ±(1 − e)/(1 + e)} with {@code e = e^{−2|x|}} above; within 1.5 ulp of the
     * exact value.
     */
    static float tanh(float x) {
        return tanhFromExp(x, exp(Math.abs(x) * -2f));
    }

    /** {@link #tanh} given {@code e = e^(−2|x|)}. */
    static float tanhFromExp(float x, float e) {
        float big = (-e + 1f) / (e + 1f);
        big = x < 0f ? -big : big;
        float z = x * x;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(z, T4, T3), z, T2), z, T1), z, T0);
        // x·(1 + z·p) rather than x + x·(z·p): the latter turns tanh(-0) into +0
        float small = x * Math.fma(z, p, 1f);
        return Math.abs(x) > TANH_SMALL ? big : small;
    }
}
