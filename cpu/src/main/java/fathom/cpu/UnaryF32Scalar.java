package fathom.cpu;

import fathom.backend.UnaryOp;

/**
 * The scalar twin of {@link UnaryF32Vector}: {@code out[outOff + i] = op(x[xOff + i])} for
 * {@code 0 <= i < n}, one plain loop per op.
 *
 * <p>exp, tanh, sigmoid, SiLU and both GELUs follow the vector kernels' float formulas operation for
 * operation ({@link ExpF32Scalar} for the exponential), so vector and scalar give the same bits and a
 * result does not depend on the vector width or the JIT tier. LOG, SIN, COS, LOG1P, EXPM1 and ERF go
 * through {@link Math} in double and round once (within 1 ulp of exact; the vector kernels use the
 * JDK's {@code lanewise} for these and can differ in the last bit). The per-element functions are
 * package-private because the vector kernels use them for their tails.
 */
final class UnaryF32Scalar {
    /** {@code sqrt(2/π)}, PyTorch's {@code kBeta} for the tanh approximation of GELU. */
    static final double GELU_TANH_BETA = 0.7978845608028654;
    /** PyTorch's {@code kKappa} for the tanh approximation of GELU. */
    static final double GELU_TANH_KAPPA = 0.044715;
    /** Above this input, softplus returns x itself (PyTorch's default threshold with beta 1). */
    static final float SOFTPLUS_THRESHOLD = 20f;
    /** The scale c in {@code u = 1 / (1 + c·|x|)}, the variable of {@link #NORMAL_TAIL}. */
    static final float NORMAL_TAIL_SCALE = 0.3f;
    /**
     * The |x| beyond which Φ's lower tail and φ count as 0, so GELU is x or -0 and its derivative 1 or 0: from
     * about 12.9 on Φ(-|x|) is a subnormal float (and φ from 13.2), below {@code Float.MIN_NORMAL}, on which this
     * CPU's multiplies and FMAs run many times slower. GELU with its derivative took 4.5 ms per million N(0, 11²)
     * inputs on one Zen 3 thread, against 2.2 for N(0, 1); with the tail cut here, 2.8.
     */
    static final float NORMAL_TAIL_END = 13f;
    /**
     * The least |x| the tail formulas see: below it x² would be subnormal, and from 2^-40 down every result is
     * already that of 0 in float, so raising |x| to it changes no bit.
     */
    static final float NORMAL_TAIL_TINY = 0x1p-40f;
    /** {@code 2β} and {@code 2βκ} in float, the coefficients of tanh-GELU's sigmoid argument. */
    static final float TWO_BETA = (float) (2 * GELU_TANH_BETA);
    static final float TWO_BETA_KAPPA = (float) (2 * GELU_TANH_BETA * GELU_TANH_KAPPA);
    /**
     * Coefficients, lowest degree first, of a degree-10 polynomial P(u) with
     * {@code P(1 / (1 + 0.3·|x|)) = erfc(|x|/√2)·exp(x²/2)} to 3e-9 relative error for {@code |x| <= 14}
     * (a Lawson-weighted least-squares fit of the relative error, reference/normal_cdf_fit.py).
     * Writing the normal tail as {@code exp(-x²/2)·P(u)} keeps full relative accuracy deep into the
     * tail, where {@code 1 + erf(x/√2)} would cancel.
     */
    static final float[] NORMAL_TAIL = {
        1.911943400045857e-06f, 0.23932944238185883f, 0.2395806610584259f, 0.21799398958683014f,
        0.16565102338790894f, 0.1712944358587265f, -0.12542389333248138f, 0.3482759892940521f,
        -0.4326931834220886f, 0.2156737744808197f, -0.03968419134616852f,
    };

    private UnaryF32Scalar() {}

    /** Applies {@code op} elementwise; {@code out} may alias {@code x} at the same offset. */
    static void unary(UnaryOp op, float[] x, int xOff, float[] out, int outOff, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) out[outOff + i] = -x[xOff + i]; }
            case EXP -> { for (int i = 0; i < n; i++) out[outOff + i] = ExpF32Scalar.exp(x[xOff + i]); }
            case LOG -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.log(x[xOff + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.sqrt(x[xOff + i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) out[outOff + i] = rsqrt(x[xOff + i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) out[outOff + i] = 1f / x[xOff + i]; }
            case SIN -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.sin(x[xOff + i]); }
            case COS -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.cos(x[xOff + i]); }
            case TANH -> { for (int i = 0; i < n; i++) out[outOff + i] = ExpF32Scalar.tanh(x[xOff + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) out[outOff + i] = ExpF32Scalar.sigmoid(x[xOff + i]); }
            case RELU -> { for (int i = 0; i < n; i++) out[outOff + i] = relu(x[xOff + i]); }
            case ABS -> { for (int i = 0; i < n; i++) out[outOff + i] = Math.abs(x[xOff + i]); }
            case SIGN -> { for (int i = 0; i < n; i++) out[outOff + i] = sign(x[xOff + i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.log1p(x[xOff + i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.expm1(x[xOff + i]); }
            case GELU -> { for (int i = 0; i < n; i++) out[outOff + i] = gelu(x[xOff + i]); }
            case GELU_TANH -> { for (int i = 0; i < n; i++) out[outOff + i] = geluTanh(x[xOff + i]); }
            case SILU -> { for (int i = 0; i < n; i++) out[outOff + i] = silu(x[xOff + i]); }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) out[outOff + i] = softplus(x[xOff + i]); }
            case SQUARE -> { for (int i = 0; i < n; i++) { float v = x[xOff + i]; out[outOff + i] = v * v; } }
            case ERF -> { for (int i = 0; i < n; i++) { out[outOff + i] = (float) fathom.backend.Erf.erf(x[xOff + i]); } }
        }
    }

    /** {@code 1 / sqrt(x)} as PyTorch computes it: a float sqrt, then a float division. */
    static float rsqrt(float x) {
        return 1f / (float) Math.sqrt(x);
    }

    /** {@code x < 0 ? 0 : x}, so NaN and -0 pass through like PyTorch's {@code clamp_min(x, 0)}. */
    static float relu(float x) {
        return x < 0 ? 0f : x;
    }

    /** -1, +0 or 1 by the sign of x; NaN passes through. */
    static float sign(float x) {
        if (x > 0) return 1f;
        if (x < 0) return -1f;
        return x == 0 ? 0f : x;
    }

    /** {@code x·Φ(x)} with {@link #normalCdf(float)}. */
    static float gelu(float x) {
        return x * normalCdf(x);
    }

    /**
     * Φ(x), the standard normal CDF, as {@code q} or {@code 1 - q} with {@code q = P(u)/2·exp(-x²/2)}
     * the lower tail at {@code -|x|}, in float, on |x| held to [{@link #NORMAL_TAIL_TINY}, {@link #NORMAL_TAIL_END}]
     * ({@link #tailArgument}) and with q = 0 beyond the end, so {@code gelu(-inf)} is NaN, as in PyTorch's
     * {@code 0.5·x·(1 + erf(x/√2))}.
     */
    static float normalCdf(float x) {
        return normalCdfFromExp(x, ExpF32Scalar.exp(gaussianExponent(x)));
    }

    /** {@code -ax²/2} rounded, with {@code ax} = {@link #tailArgument}: the argument of the exponential in {@link #normalCdf}. */
    static float gaussianExponent(float x) {
        float ax = tailArgument(x);
        return ax * ax * -0.5f;
    }

    /** |x| held to [{@link #NORMAL_TAIL_TINY}, {@link #NORMAL_TAIL_END}] (NaN stays NaN). */
    static float tailArgument(float x) {
        return Math.min(Math.max(Math.abs(x), NORMAL_TAIL_TINY), NORMAL_TAIL_END);
    }

    /** {@link #normalCdf} given {@code e} = exp of {@link #gaussianExponent}. */
    static float normalCdfFromExp(float x, float e) {
        float ax = tailArgument(x);
        float q = normalTail(ax) * gaussianInRange(x, ax, e);
        return x < 0f ? q : -q + 1f;
    }

    /** {@link #gaussian}, or 0 when |x| is beyond {@link #NORMAL_TAIL_END}. */
    static float gaussianInRange(float x, float ax, float e) {
        return Math.abs(x) > NORMAL_TAIL_END ? 0f : gaussian(ax, e);
    }

    /** {@code P(u)/2} with {@code u = 1/(1 + 0.3·ax)} and P the {@link #NORMAL_TAIL} polynomial. */
    static float normalTail(float ax) {
        float u = 1f / Math.fma(ax, NORMAL_TAIL_SCALE, 1f);
        int last = NORMAL_TAIL.length - 1;
        float p = Math.fma(u, NORMAL_TAIL[last], NORMAL_TAIL[last - 1]);
        for (int k = last - 2; k >= 0; k--) p = Math.fma(p, u, NORMAL_TAIL[k]);
        return p * 0.5f;
    }

    /**
     * {@code e^(-ax²/2)} for {@code ax ≥ 0} given {@code e = e^(-hi/2)}, where {@code ax² = hi + lo}
     * exactly (an FMA gives lo): rounding ax² before the exponential would cost about {@code ax²/2} ulp,
     * so this multiplies by {@code e^(-lo/2) ≈ 1 - lo/2} (|lo| is below half an ulp of ax²).
     */
    static float gaussian(float ax, float e) {
        float hi = ax * ax;
        float lo = Math.fma(ax, ax, -hi);
        return Math.fma(e, lo * -0.5f, e);
    }

    /**
     * PyTorch's tanh GELU, using {@code (1 + tanh(z)) / 2 = sigmoid(2z)}, which avoids the
     * cancellation of {@code 1 + tanh(z)} for negative x; {@code 2z = x·(2β + 2βκ·x²)}.
     */
    static float geluTanh(float x) {
        return x * ExpF32Scalar.sigmoid(geluTanhArgument(x));
    }

    /** {@code 2z = x·(2β + 2βκ·x²)}, the sigmoid argument of {@link #geluTanh}. */
    static float geluTanhArgument(float x) {
        return x * Math.fma(x * x, TWO_BETA_KAPPA, TWO_BETA);
    }

    /** {@code x·sigmoid(x)}. */
    static float silu(float x) {
        return x * ExpF32Scalar.sigmoid(x);
    }

    /** {@code x > 20 ? x : log1p(e^x)}, the exponential from {@link ExpF32Scalar}. */
    static float softplus(float x) {
        return softplusFromExp(x, ExpF32Scalar.exp(x));
    }

    /** {@link #softplus} given {@code e = e^x}. */
    static float softplusFromExp(float x, float e) {
        return x > SOFTPLUS_THRESHOLD ? x : (float) Math.log1p(e);
    }
}
