package fathom.optim;

/** Argument checks shared by the configs and schedules; each throws an IllegalArgumentException naming the value. */
final class Check {
    private Check() {}

    static void nonNegative(String name, double v) {
        if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("invalid " + name + ": " + v + " (must be finite and ≥ 0)");
        }
    }

    static void positive(String name, double v) {
        if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("invalid " + name + ": " + v + " (must be finite and > 0)");
        }
    }

    /** 0 ≤ v < 1, as PyTorch requires of betas and alphas. */
    static void unitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("invalid " + name + ": " + v + " (must be in [0, 1))");
        }
    }

    static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("invalid " + name + ": " + v + " (must be > 0)");
        }
    }
}
