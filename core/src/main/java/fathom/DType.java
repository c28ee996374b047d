package fathom;

/**
 * The element type of a tensor: float32 for training, float64 for gradient checks and references,
 * int64 and int32 for indices and labels, bool for masks.
 *
 * <p>Promotion follows PyTorch's category order {@code bool < int32 < int64 < float32 < float64}:
 * a binary op on two dtypes computes in the larger one.
 */
public enum DType {
    FLOAT32("F32", 4),
    FLOAT64("F64", 8),
    INT64("I64", 8),
    INT32("I32", 4),
    BOOL("BOOL", 1);

    private final String safetensorsName;
    private final int byteSize;

    DType(String safetensorsName, int byteSize) {
        this.safetensorsName = safetensorsName;
        this.byteSize = byteSize;
    }

    /** The dtype's name in a safetensors header, such as {@code "F32"}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for float32 and float64. */
    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The dtype both operands of a binary op are computed in. */
    public static DType promote(DType a, DType b) {
        return a.rank() >= b.rank() ? a : b;
    }

    private int rank() {
        return switch (this) {
            case BOOL -> 0;
            case INT32 -> 1;
            case INT64 -> 2;
            case FLOAT32 -> 3;
            case FLOAT64 -> 4;
        };
    }

    /** The dtype named {@code name} in a safetensors header, or an error naming it. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new DTypeException("unsupported safetensors dtype " + name + " (Fathom reads F32, F64, I64, I32, BOOL)");
    }
}
