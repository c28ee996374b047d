package fathom.cpu;

/**
 * Whether the Vector API kernels run, and at what width.
 *
 * <p>Set once per JVM by the environment variable {@code FATHOM_VECTOR} (or the system property
 * {@code fathom.vector}, which wins): {@code max} (the default: the machine's preferred width),
 * a bit width such as {@code 128} or {@code 256} (narrower than preferred, for conformance tests), or
 * {@code off} (every kernel runs its scalar twin). Vectors are also off when the module
 * {@code jdk.incubator.vector} is not in the boot layer, so the backend still works without
 * {@code --add-modules jdk.incubator.vector}. Kernel classes read {@link #BITS} into their own
 * {@code static final} species, so the JIT sees a constant.
 */
public final class Simd {
    /** True when the vector kernels run. */
    public static final boolean ENABLED;
    /** The vector width in bits the kernels use, or 0 when {@link #ENABLED} is false. */
    public static final int BITS;

    static {
        String setting = System.getProperty("fathom.vector", System.getenv().getOrDefault("FATHOM_VECTOR", "max"));
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present || setting.equalsIgnoreCase("off") || setting.equalsIgnoreCase("scalar")) {
            ENABLED = false;
            BITS = 0;
        } else {
            int preferred = PreferredWidth.bits();
            int bits = setting.equalsIgnoreCase("max") ? preferred : Integer.parseInt(setting.trim());
            if (bits != 64 && bits != 128 && bits != 256 && bits != 512) {
                throw new IllegalArgumentException("FATHOM_VECTOR must be off, max, 64, 128, 256 or 512, got " + setting);
            }
            ENABLED = true;
            BITS = Math.min(bits, preferred);
        }
    }

    private Simd() {}

    /** A one-line description for logs and benchmarks, such as {@code "vector 256-bit"} or {@code "scalar"}. */
    public static String describe() {
        return ENABLED ? "vector " + BITS + "-bit" : "scalar";
    }

    /** Isolated so that {@link Simd} itself loads without the vector module. */
    private static final class PreferredWidth {
        static int bits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
