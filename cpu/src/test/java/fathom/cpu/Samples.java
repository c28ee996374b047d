package fathom.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Shared test inputs and closeness checks for the float32 kernel tests: the lengths and offsets
 * every kernel is run at, seeded random inputs salted with special values, and an ulp-based
 * comparison against a double-precision reference.
 */
final class Samples {
    /** Lengths around every vector width from 64 to 512 bits, plus long ones that exercise blocking. */
    static final int[] LENGTHS = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000, 4099};
    /** Nonzero offsets, different per operand, so no kernel can assume aligned or equal offsets. */
    static final int X_OFF = 3, Y_OFF = 5, OUT_OFF = 7;
    /** Written around every output range; a kernel that writes outside its range is caught. */
    static final float SENTINEL = -12345.678f;
    /** True when the Vector API module is in the boot layer, so the vector kernel classes can load. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static final float[] SPECIALS = {
        0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
        1e30f, -1e30f, 88.7f, 89f, -87.3f, -103f, -104f, 20f, Math.nextUp(20f), Math.nextDown(20f),
        -20f, 1e-7f, -1e-7f, 14f, -14f, -13.5f, 6f, -6f, 0.5f, -0.5f,
    };

    private Samples() {}

    /**
     * n + offset floats, the first offset ones padding, drawn from a mix: moderate values, wide
     * values up to ±100, log-uniform magnitudes from 1e-30 to 1e30, tiny values near 0, and
     * {@link #SPECIALS} (when {@code specials}).
     */
    static float[] mixed(SplittableRandom rnd, int offset, int n, boolean specials) {
        float[] x = new float[offset + n];
        for (int i = 0; i < offset; i++) x[i] = Float.NaN;
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(specials ? 10 : 9);
            float v = switch (kind) {
                case 0, 1, 2, 3 -> (float) rnd.nextDouble(-5, 5);
                case 4, 5 -> (float) rnd.nextDouble(-100, 100);
                case 6, 7 -> (float) (Math.exp(rnd.nextDouble(-69, 69)) * (rnd.nextBoolean() ? 1 : -1));
                case 8 -> (float) rnd.nextDouble(-1e-4, 1e-4);
                default -> SPECIALS[rnd.nextInt(SPECIALS.length)];
            };
            x[offset + i] = v;
        }
        return x;
    }

    /** n + offset floats uniform in [lo, hi), padding NaN. */
    static float[] uniform(SplittableRandom rnd, int offset, int n, double lo, double hi) {
        float[] x = new float[offset + n];
        for (int i = 0; i < offset; i++) x[i] = Float.NaN;
        for (int i = 0; i < n; i++) x[offset + i] = (float) rnd.nextDouble(lo, hi);
        return x;
    }

    /** An output array of n + offset + 3 elements, all {@link #SENTINEL}. */
    static float[] output(int offset, int n) {
        float[] out = new float[offset + n + 3];
        java.util.Arrays.fill(out, SENTINEL);
        return out;
    }

    /** Fails unless every element outside {@code [offset, offset + n)} is still {@link #SENTINEL}. */
    static void assertUntouched(float[] out, int offset, int n, String what) {
        for (int i = 0; i < out.length; i++) {
            if ((i < offset || i >= offset + n) && Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(SENTINEL)) {
                fail(what + ": wrote outside its range at index " + i);
            }
        }
    }

    /** The float ulp at |v|, with subnormal and zero results measured at the smallest normal's ulp. */
    static double ulp(double v) {
        float f = (float) Math.abs(v);
        if (Float.isInfinite(f)) f = Float.MAX_VALUE;
        return Math.ulp(Math.max(f, Float.MIN_NORMAL));
    }

    /**
     * The error of {@code got} against the exact {@code ref} in float ulps of ref, or 0 when they
     * agree exactly in kind (both NaN, the same infinity, both zero); infinite when they disagree in
     * kind. {@code absSlack} is subtracted first, for results known to lose absolute precision.
     */
    static double ulpError(float got, double ref, double absSlack) {
        if (Double.isNaN(ref) || Float.isNaN(got)) return Double.isNaN(ref) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        float rf = (float) ref;
        if (Float.isInfinite(rf) || Float.isInfinite(got)) return got == rf ? 0 : Double.POSITIVE_INFINITY;
        return Math.max(0, Math.abs(got - ref) - absSlack) / ulp(ref);
    }

    /** Fails when {@code got} is more than {@code ulps} ulps (after {@code absSlack}) from {@code ref}. */
    static void assertClose(float got, double ref, double ulps, double absSlack, String what) {
        double e = ulpError(got, ref, absSlack);
        if (!(e <= ulps)) fail(what + ": got " + got + ", expected " + ref + " (" + e + " ulp, allowed " + ulps + ")");
    }

    /** Fails unless got and want are the same float bit pattern, any NaN matching any NaN. */
    static void assertSame(float got, float want, String what) {
        if (Float.isNaN(got) && Float.isNaN(want)) return;
        if (Float.floatToIntBits(got) != Float.floatToIntBits(want)) fail(what + ": got " + got + ", expected " + want);
    }
}
