package fathom.cpu;

/** The float32 elementwise binary ops of {@link ElementwiseF32#binary}, with PyTorch's float32 semantics. */
public enum BinaryKind {
    /** {@code a + b}. */
    ADD,
    /** {@code a - b}. */
    SUB,
    /** {@code a · b}. */
    MUL,
    /** {@code a / b} (true division). */
    DIV,
    /** The larger of a and b; NaN if either is NaN, as {@code torch.maximum}. */
    MAXIMUM,
    /** The smaller of a and b; NaN if either is NaN, as {@code torch.minimum}. */
    MINIMUM,
    /** {@code a^b} with C's {@code powf} special cases: {@code pow(1, y) = 1} and {@code pow(-1, ±inf) = 1}, even for NaN y. */
    POW
}
