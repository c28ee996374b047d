package fathom.backend;

/** The element-wise functions of two broadcast tensors; {@link #apply} is the float64 reference. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** Element-wise maximum; NaN wins, as in PyTorch's {@code torch.maximum}. */
    MAXIMUM,
    /** Element-wise minimum; NaN wins. */
    MINIMUM,
    POW;

    /** The float64 reference value. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case POW -> Math.pow(a, b);
        };
    }

    /** The integer result (DIV is true division and never computes on integers). */
    public long applyLong(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> b < 0 ? (a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0) : longPow(a, b);
            case DIV -> throw new IllegalStateException("true division computes in floating point");
        };
    }

    private static long longPow(long a, long b) {
        long r = 1;
        while (b > 0) {
            if ((b & 1) == 1) {
                r *= a;
            }
            a *= a;
            b >>= 1;
        }
        return r;
    }
}
