package fathom.cpu;

/**
 * The float32 elementwise unary ops of {@link ElementwiseF32#unary}, each with PyTorch's float32
 * semantics, special values included.
 */
public enum UnaryKind {
    /** {@code -x}. */
    NEG,
    /** {@code e^x}. */
    EXP,
    /** Natural logarithm; {@code log(-0) = -inf}, negative inputs give NaN. */
    LOG,
    /** Square root; {@code sqrt(-0) = -0}. */
    SQRT,
    /** {@code 1 / sqrt(x)}, so {@code rsqrt(-0) = -inf}. */
    RSQRT,
    /** {@code 1 / x}. */
    RECIPROCAL,
    /** Sine of an angle in radians. */
    SIN,
    /** Cosine of an angle in radians. */
    COS,
    /** Hyperbolic tangent. */
    TANH,
    /** {@code 1 / (1 + e^-x)}, evaluated so that no intermediate overflows. */
    SIGMOID,
    /** {@code x < 0 ? 0 : x}: NaN passes through, as {@code torch.relu}. */
    RELU,
    /** {@code |x|}. */
    ABS,
    /** -1, 0 or 1 by the sign of x; {@code sign(±0) = +0}, {@code sign(NaN) = NaN}. */
    SIGN,
    /** {@code log(1 + x)}, accurate for small x. */
    LOG1P,
    /** {@code e^x - 1}, accurate for small x. */
    EXPM1,
    /** {@code x·Φ(x)} with Φ the standard normal CDF (PyTorch's {@code gelu(approximate='none')}). */
    GELU,
    /** {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))} (PyTorch's {@code gelu(approximate='tanh')}). */
    GELU_TANH,
    /** {@code x·sigmoid(x)}. */
    SILU,
    /** {@code x > 20 ? x : log(1 + e^x)}: PyTorch's softplus with beta 1 and threshold 20. */
    SOFTPLUS,
    /** {@code x·x}. */
    SQUARE
}
