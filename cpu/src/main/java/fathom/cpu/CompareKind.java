package fathom.cpu;

/** The float32 comparisons of {@link ElementwiseF32#compare}; as IEEE 754, only NE is true when an operand is NaN. */
public enum CompareKind {
    /** {@code a == b}. */
    EQ,
    /** {@code a != b}. */
    NE,
    /** {@code a < b}. */
    LT,
    /** {@code a <= b}. */
    LE,
    /** {@code a > b}. */
    GT,
    /** {@code a >= b}. */
    GE
}
