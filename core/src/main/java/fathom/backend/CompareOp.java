package fathom.backend;

/** Element-wise comparisons of two broadcast tensors, giving bool; any comparison with NaN is false but NE. */
public enum CompareOp {
    EQ, NE, LT, LE, GT, GE;

    /** The reference result. */
    public boolean test(double a, double b) {
        return switch (this) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    /** The reference result on integers (exact for all int64 values). */
    public boolean test(long a, long b) {
        return switch (this) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }
}
