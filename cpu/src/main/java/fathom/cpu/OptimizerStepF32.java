package fathom.cpu;

/**
 * Float32 optimizer updates in one pass over each parameter: SGD with momentum and Adam. Each computes
 * what the optimizer's in-place tensor ops compute, element for element with the same roundings, but
 * reads and writes every array once instead of once per op, and makes no temporaries.
 *
 * <p>Why: the composed SGD momentum step made three passes over each parameter-sized array (scale the
 * buffer, add the gradient, add to the parameter) and Adam eleven passes with two parameter-sized
 * temporaries, each pass a separate call that wakes the worker threads. Runs the Vector API kernels
 * when {@link Simd#ENABLED} and their scalar twins otherwise; kernels are single-threaded, the caller
 * splits the range across threads.
 */
public final class OptimizerStepF32 {
    private OptimizerStepF32() {}

    /**
     * For {@code i < n}: {@code buf = momentum·buf + gScale·d}, then {@code p += alpha·buf}, each array at
     * its offset (PyTorch's SGD momentum step: {@code gScale = 1 − dampening}, {@code alpha = −lr}).
     */
    public static void sgdMomentum(float[] p, int pOff, float[] buf, int bufOff, float[] d, int dOff,
                                   float momentum, float gScale, float alpha, int n) {
        if (Simd.ENABLED) OptimizerStepF32Vector.sgdMomentum(p, pOff, buf, bufOff, d, dOff, momentum, gScale, alpha, n);
        else OptimizerStepF32Scalar.sgdMomentum(p, pOff, buf, bufOff, d, dOff, momentum, gScale, alpha, n);
    }

    /**
     * For {@code i < n}, Adam's step with the order of operations of PyTorch's {@code Adam}:
     * {@code m = β₁·m + (1 − β₁)·g}, {@code v = β₂·v + (1 − β₂)·g·g},
     * {@code p += (stepScale·m) / (√v / √c₂ + ε)}, where {@code stepScale = −lr / c₁} and
     * {@code c₁, c₂} are the bias corrections ({@code sqrtC2} is {@code √c₂}).
     */
    public static void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                            float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                            float sqrtC2, float eps, float stepScale, int n) {
        if (Simd.ENABLED) {
            OptimizerStepF32Vector.adam(p, pOff, g, gOff, m, mOff, v, vOff, beta1, oneMinusBeta1, beta2, oneMinusBeta2, sqrtC2, eps, stepScale, n);
        } else {
            OptimizerStepF32Scalar.adam(p, pOff, g, gOff, m, mOff, v, vOff, beta1, oneMinusBeta1, beta2, oneMinusBeta2, sqrtC2, eps, stepScale, n);
        }
    }
}
