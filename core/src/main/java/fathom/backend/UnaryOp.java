package fathom.backend;

/**
 * The element-wise functions of one tensor, with PyTorch's float semantics; {@link #apply} is the
 * float64 reference every backend is tested against.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, SIGMOID, RELU, ABS, SIGN, LOG1P, EXPM1,
    /** x·Φ(x) with the exact normal CDF. */
    GELU,
    /** PyTorch's {@code gelu(approximate='tanh')}: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU_TANH,
    /** x·sigmoid(x). */
    SILU,
    /** log(1 + eˣ) with PyTorch's defaults beta = 1, threshold = 20 (above it the result is x). */
    SOFTPLUS,
    SQUARE,
    /** The error function. */
    ERF;

    static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /** Whether this op maps an integer tensor to an integer tensor (the rest compute in float). */
    public boolean keepsIntegers() {
        return this == NEG || this == ABS || this == SIGN || this == RELU || this == SQUARE;
    }

    /** The float64 reference value. */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU -> x > 0 || Double.isNaN(x) ? x : 0;
            case ABS -> Math.abs(x);
            case SIGN -> Double.isNaN(x) ? x : Math.signum(x) + 0.0;
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case GELU -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case SILU -> x * SIGMOID.apply(x);
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case SQUARE -> x * x;
            case ERF -> Erf.erf(x);
        };
    }

    /** The integer result for the ops that {@link #keepsIntegers() keep integers}. */
    public long applyLong(long x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case RELU -> Math.max(x, 0);
            case SQUARE -> x * x;
            default -> throw new IllegalStateException(this + " does not keep integers");
        };
    }
}
