package fathom.cpu;

import fathom.backend.UnaryOp;

/**
 * The scalar twin of {@link UnaryF32Vector}: {@code out[outOff + i] = op(x[xOff + i])} for
 * {@code 0 <= i < n}, one plain loop per op.
 *
 * <p>Transcendentals go through {@link Math} in double and round once to float, so these results
 * are within 1 ulp of the exact value and serve as the accuracy yardstick for the vector kernels.
 * The per-element functions are package-private because the vector kernels use them for their tails.
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
            case EXP -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.exp(x[xOff + i]); }
            case LOG -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.log(x[xOff + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.sqrt(x[xOff + i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) out[outOff + i] = rsqrt(x[xOff + i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) out[outOff + i] = 1f / x[xOff + i]; }
            case SIN -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.sin(x[xOff + i]); }
            case COS -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.cos(x[xOff + i]); }
            case TANH -> { for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.tanh(x[xOff + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) out[outOff + i] = sigmoid(x[xOff + i]); }
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

    /** {@code 1 / (1 + e^-x)} from {@link #sigmoidDouble}, rounded once. */
    static float sigmoid(float x) {
        return (float) sigmoidDouble(x);
    }

    /** {@code 1 / (1 + e^-x)} through {@code e = e^-|x|}, which never overflows: x ≥ 0 gives 1/(1+e), x < 0 gives e/(1+e). */
    static double sigmoidDouble(double x) {
        double e = Math.exp(-Math.abs(x));
        double r = 1 / (1 + e);
        return x < 0 ? e * r : r;
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

    /** {@code x·Φ(x)}, computed in double from {@link #normalCdf}. */
    static float gelu(float x) {
        return (float) (x * normalCdf(x));
    }

    /**
     * Φ(x), the standard normal CDF, as {@code q} or {@code 1 - q} with {@code q = exp(-x²/2)·P(u) / 2}
     * the lower tail at {@code -|x|}; |x| is clamped at 40 so that q underflows to exactly 0 and
     * {@code gelu(-inf)} is NaN, as in PyTorch's {@code 0.5·x·(1 + erf(x/√2))}.
     */
    static double normalCdf(double x) {
        double ax = Math.min(Math.abs(x), 40.0);
        double u = 1 / (1 + NORMAL_TAIL_SCALE * ax);
        double p = NORMAL_TAIL[NORMAL_TAIL.length - 1];
        for (int k = NORMAL_TAIL.length - 2; k >= 0; k--) p = p * u + NORMAL_TAIL[k];
        double q = 0.5 * Math.exp(-0.5 * ax * ax) * p;
        return x < 0 ? q : 1 - q;
    }

    /**
     * PyTorch's tanh GELU, using {@code (1 + tanh(z)) / 2 = sigmoid(2z)}, which avoids the
     * cancellation of {@code 1 + tanh(z)} for negative x.
     */
    static float geluTanh(float x) {
        double xd = x;
        double inner = GELU_TANH_BETA * (xd + GELU_TANH_KAPPA * xd * xd * xd);
        return (float) (xd * sigmoidDouble(2 * inner));
    }

    /** {@code x·sigmoid(x)}. */
    static float silu(float x) {
        return (float) (x * sigmoidDouble(x));
    }

    /** {@code x > 20 ? x : log1p(e^x)}. */
    static float softplus(float x) {
        return x > SOFTPLUS_THRESHOLD ? x : (float) Math.log1p(Math.exp(x));
    }
}
