package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fathom.backend.UnaryOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fathom's float32 exp ({@link ExpF32Scalar}, {@link ExpF32Vector}): within 1 ulp of the correctly
 * rounded {@code (float) Math.exp(x)} over a dense sweep of [-104, 89] and windows around every edge
 * (overflow, the subnormal range, underflow to 0, the neighbourhood of 0), exact special values, and
 * the vector kernels equal to their scalar twins bit for bit, in this JVM and in a JVM that only
 * interprets (where the Vector API runs its plain-Java fallback).
 */
class ExpF32Test {
    /** Every STRIDE-th float bit pattern of [-104, 89] for the accuracy sweep: 4.4 million inputs. */
    private static final int STRIDE = 509;
    /** A coarser sweep for the vector-against-scalar checks, whose first calls run the Vector API's slow fallback. */
    private static final int VECTOR_STRIDE = 65_521;
    private static final int VECTOR_WINDOW = 2_000;
    private static final float[] SPECIAL_IN = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.MIN_VALUE, -Float.MIN_VALUE, 88.72283f, 88.72284f, -103.97208f, -103.972084f, 100f, -110f, 1000f, -1000f,
    };
    private static final float[] SPECIAL_OUT = {
        Float.NaN, Float.POSITIVE_INFINITY, 0f, 1f, 1f, Float.POSITIVE_INFINITY, 0f,
        1f, 1f, 3.4027985E38f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, 0f, Float.POSITIVE_INFINITY, 0f,
        Float.POSITIVE_INFINITY, 0f,
    };

    /** The sweep inputs: every stride-th float of [-104, 89] plus 20,000 consecutive floats around each edge. */
    static float[] sweep(int stride) {
        return sweep(stride, 20_000);
    }

    /** The sweep inputs: every stride-th float of [-104, 89] plus {@code window} consecutive floats around each edge. */
    static float[] sweep(int stride, int window) {
        List<float[]> parts = new ArrayList<>();
        int posEnd = Float.floatToIntBits(89f);
        int negEnd = Float.floatToIntBits(104f);
        float[] strided = new float[(posEnd / stride + 1) + (negEnd / stride + 1)];
        int k = 0;
        for (int b = 0; b <= posEnd; b += stride) strided[k++] = Float.intBitsToFloat(b);
        for (int b = 0; b <= negEnd; b += stride) strided[k++] = -Float.intBitsToFloat(b);
        parts.add(strided);
        for (float edge : new float[] {88.72284f, -87.33655f, -103.97208f, 0x1p-24f, -0x1p-25f, 0.34657f, -0.34657f, 1f, -1f}) {
            float[] around = new float[window];
            for (int i = 0; i < window; i++) {
                around[i] = Float.intBitsToFloat(Float.floatToIntBits(edge) + i - window / 2);
            }
            parts.add(around);
        }
        float[] smallest = new float[2 * window]; // the smallest magnitudes of both signs, subnormals included
        for (int i = 0; i < window; i++) {
            smallest[2 * i] = Float.intBitsToFloat(i);
            smallest[2 * i + 1] = -Float.intBitsToFloat(i);
        }
        parts.add(smallest);
        int total = parts.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void scalarIsWithinOneUlpOfTheCorrectlyRoundedValue() {
        float[] x = sweep(STRIDE);
        long rounded = 0;
        double worstUlp = 0;
        for (float xi : x) {
            float got = ExpF32Scalar.exp(xi);
            float want = (float) Math.exp(xi);
            int diff = Math.abs(Float.floatToIntBits(got) - Float.floatToIntBits(want));
            if (diff > 1) fail("exp(" + xi + ") = " + got + ", correctly rounded " + want + " (" + diff + " ulp apart)");
            if (diff == 0) rounded++;
            if (Float.isFinite(want) && want >= Float.MIN_NORMAL) {
                worstUlp = Math.max(worstUlp, Math.abs(got - Math.exp(xi)) / Math.ulp(want));
            }
        }
        System.out.printf("exp: %d inputs, %.3f %% correctly rounded, max error %.3f ulp of exact (normal results)%n",
                x.length, 100.0 * rounded / x.length, worstUlp);
        assertTrue(rounded > 0.98 * x.length, "correctly rounded for only " + rounded + " of " + x.length);
    }

    @Test
    void specialValues() {
        for (int i = 0; i < SPECIAL_IN.length; i++) {
            Samples.assertSame(ExpF32Scalar.exp(SPECIAL_IN[i]), SPECIAL_OUT[i], "exp(" + SPECIAL_IN[i] + ")");
            Samples.assertSame(SPECIAL_OUT[i], (float) Math.exp(SPECIAL_IN[i]), "the test's table at " + SPECIAL_IN[i]);
        }
        Samples.assertSame(ExpF32Scalar.sigmoid(Float.NEGATIVE_INFINITY), 0f, "sigmoid(-inf)");
        Samples.assertSame(ExpF32Scalar.sigmoid(Float.POSITIVE_INFINITY), 1f, "sigmoid(inf)");
        Samples.assertSame(ExpF32Scalar.sigmoid(Float.NaN), Float.NaN, "sigmoid(NaN)");
        Samples.assertSame(ExpF32Scalar.tanh(Float.NEGATIVE_INFINITY), -1f, "tanh(-inf)");
        Samples.assertSame(ExpF32Scalar.tanh(Float.POSITIVE_INFINITY), 1f, "tanh(inf)");
        Samples.assertSame(ExpF32Scalar.tanh(-0f), -0f, "tanh(-0)");
        Samples.assertSame(ExpF32Scalar.tanh(Float.NaN), Float.NaN, "tanh(NaN)");
    }

    @Test
    void tanhIsWithinTwoUlpAndSigmoidWithinTwoAndAHalf() {
        double worstTanh = 0, worstSigmoid = 0;
        for (int b = 0; b < 0x7f800000; b += 2 * STRIDE + 1) {
            for (float x : new float[] {Float.intBitsToFloat(b), -Float.intBitsToFloat(b)}) {
                double slack = Float.MIN_NORMAL;
                worstTanh = Math.max(worstTanh, Samples.ulpError(ExpF32Scalar.tanh(x), Math.tanh(x), slack));
                worstSigmoid = Math.max(worstSigmoid, Samples.ulpError(ExpF32Scalar.sigmoid(x), 1 / (1 + Math.exp(-(double) x)), slack));
            }
        }
        System.out.printf("tanh max error %.3f ulp, sigmoid %.3f ulp%n", worstTanh, worstSigmoid);
        assertTrue(worstTanh <= 2, "tanh " + worstTanh + " ulp");
        assertTrue(worstSigmoid <= 2.5, "sigmoid " + worstSigmoid + " ulp");
    }

    /**
     * The vector kernels at this JVM's width ({@code fathom.vector}; the cpu module also runs this test
     * at 128 bits) against the scalar twins, every element: exp with and without a shift and its sum,
     * and every unary op built on exp.
     */
    @Test
    void vectorKernelsEqualScalarTwinsBitForBit() {
        assumeTrue(Simd.ENABLED, "vectors off");
        float[] x = withSpecials(sweep(VECTOR_STRIDE, VECTOR_WINDOW));
        int n = x.length;
        float[] got = new float[n];
        float[] want = new float[n];
        for (float shift : new float[] {0f, 3.5f, -20f}) {
            ExpF32Vector.expShift(x, 0, shift, got, 0, n);
            for (int i = 0; i < n; i++) Samples.assertSame(got[i], ExpF32Scalar.exp(x[i] - shift), "exp(" + x[i] + " - " + shift + ")");
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.SILU, UnaryOp.GELU, UnaryOp.GELU_TANH}) {
            UnaryF32Vector.unary(op, x, 0, got, 0, n);
            UnaryF32Scalar.unary(op, x, 0, want, 0, n);
            for (int i = 0; i < n; i++) Samples.assertSame(got[i], want[i], op + "(" + x[i] + ") at " + i);
        }
        float[] gotDerivative = new float[n];
        float[] wantDerivative = new float[n];
        float[] gelu = new float[n];
        UnaryF32Scalar.unary(UnaryOp.GELU, x, 0, gelu, 0, n);
        GeluF32Vector.withDerivative(x, 0, got, 0, gotDerivative, 0, n);
        GeluF32Scalar.withDerivative(x, 0, want, 0, wantDerivative, 0, n);
        for (int i = 0; i < n; i++) {
            Samples.assertSame(got[i], gelu[i], "GELU with its derivative, the GELU at x=" + x[i]);
            Samples.assertSame(want[i], gelu[i], "the scalar twin's GELU at x=" + x[i]);
            Samples.assertSame(gotDerivative[i], wantDerivative[i], "GELU's derivative at x=" + x[i]);
        }
    }

    @Test
    void expShiftReturnsTheSumOfItsOutputs() {
        assumeTrue(Simd.ENABLED, "vectors off");
        float[] x = new float[1003];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(0.37 * i) * 5;
        float[] out = new float[x.length];
        float sum = ExpF32Vector.expShift(x, 0, 2f, out, 0, x.length);
        double want = 0;
        for (float v : out) want += v;
        assertEquals(want, sum, 1e-5 * want);
    }

    /**
     * The exp-based kernels in a JVM run with {@code -Xint} (the Vector API's Java fallback, lane by
     * lane) give the same bits as this JVM after warm-up (C2's intrinsics); with {@code lanewise(EXP)}
     * they did not, because C2 calls an SVML stub there and the fallback calls {@link Math#exp}.
     */
    @Test
    void interpretedRunGivesTheSameBitsAsCompiledRun() throws IOException, InterruptedException {
        assumeTrue(Samples.VECTOR, "jdk.incubator.vector not in the boot layer");
        Path file = Files.createTempFile("exp-xint", ".bin");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xint",
                    "--add-modules", "jdk.incubator.vector", "-Dfathom.vector=" + (Simd.ENABLED ? String.valueOf(Simd.BITS) : "off"),
                    "-cp", System.getProperty("java.class.path"), ExpF32Outputs.class.getName(), file.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            float[][] here = null;
            for (int round = 0; round < 3000; round++) here = ExpF32Outputs.compute(); // long enough for C2
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the -Xint run did not finish");
            assertEquals(0, p.exitValue(), log);
            float[][] there = ExpF32Outputs.read(file, here);
            List<String> differences = new ArrayList<>();
            for (int k = 0; k < here.length; k++) {
                int count = 0, first = -1;
                for (int i = 0; i < here[k].length; i++) {
                    if (Float.floatToIntBits(there[k][i]) != Float.floatToIntBits(here[k][i])) {
                        if (count++ == 0) first = i;
                    }
                }
                if (count > 0) {
                    differences.add(ExpF32Outputs.NAMES[k] + ": " + count + " of " + here[k].length + " differ, first at " + first
                            + " (interpreted " + there[k][first] + ", compiled " + here[k][first] + ")");
                }
            }
            assertEquals(List.of(), differences);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static float[] withSpecials(float[] x) {
        float[] all = java.util.Arrays.copyOf(x, x.length + SPECIAL_IN.length);
        System.arraycopy(SPECIAL_IN, 0, all, x.length, SPECIAL_IN.length);
        return all;
    }
}
