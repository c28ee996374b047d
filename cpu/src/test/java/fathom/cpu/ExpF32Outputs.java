package fathom.cpu;

import fathom.backend.UnaryOp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The outputs of every kernel that uses Fathom's exp, on fixed inputs, through the same dispatch
 * the backend uses (vector body, scalar tail). {@link ExpF32Test} compares them between a warm JVM
 * and one started with {@code -Xint}; {@link #main} writes them for the latter.
 */
public final class ExpF32Outputs {
    static final String[] NAMES = {
        "exp", "tanh", "sigmoid", "silu", "gelu", "geluTanh", "softmax", "logSoftmax", "logSoftmaxBackward",
        "attention expShift", "gelu derivative", "lstm h", "lstm c", "gru h",
    };
    private static final int N = 1027;
    private static final int HIDDEN = 19;
    private static final int ROWS = 4;
    private static final float[] X;
    private static final float[] G;
    private static final float[] LOGITS;

    static {
        SplittableRandom rnd = new SplittableRandom(11);
        X = Samples.mixed(rnd, 0, N, true);
        G = Samples.uniform(rnd, 0, N, -2, 2);
        LOGITS = Samples.uniform(rnd, 0, N, -30, 30);
    }

    private ExpF32Outputs() {}

    static float[][] compute() {
        float[][] out = new float[NAMES.length][];
        UnaryOp[] ops = {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SILU, UnaryOp.GELU, UnaryOp.GELU_TANH};
        for (int k = 0; k < ops.length; k++) {
            out[k] = new float[N];
            ElementwiseF32.unary(ops[k], X, 0, out[k], 0, N);
        }
        int cols = N / ROWS;
        out[6] = new float[ROWS * cols];
        SoftmaxF32.softmaxRows(LOGITS, 0, ROWS, cols, out[6], 0);
        out[7] = new float[ROWS * cols];
        SoftmaxF32.logSoftmaxRows(LOGITS, 0, ROWS, cols, out[7], 0);
        out[8] = new float[ROWS * cols];
        SoftmaxF32.logSoftmaxBackwardRows(out[7], 0, G, 0, ROWS, cols, out[8], 0);
        out[9] = java.util.Arrays.copyOf(LOGITS, 64 * (N / 64));
        float sum = Simd.ENABLED ? AttentionRowF32Vector.expShift(out[9], 0, out[9].length, 3f)
                : AttentionRowF32Scalar.expShift(out[9], 0, out[9].length, 3f);
        out[9] = java.util.Arrays.copyOf(out[9], out[9].length + 1);
        out[9][out[9].length - 1] = sum;
        out[10] = new float[N];
        float[] gelu = new float[N];
        if (Simd.ENABLED) GeluF32Vector.withDerivative(X, 0, gelu, 0, out[10], 0, N);
        else GeluF32Scalar.withDerivative(X, 0, gelu, 0, out[10], 0, N);
        out[11] = new float[HIDDEN];
        out[12] = new float[HIDDEN];
        // gates from moderate logits, the cell state from G
        RecurrentF32.lstmForward(LOGITS, 0, G, 0, null, 0, out[11], 0, out[12], 0, HIDDEN);
        out[13] = new float[HIDDEN];
        RecurrentF32.gruForward(LOGITS, 0, LOGITS, 3 * HIDDEN, G, 0, null, 0, out[13], 0, HIDDEN);
        return out;
    }

    /** Writes the bits of {@link #compute()} to the file {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        float[][] out = compute();
        int total = 0;
        for (float[] o : out) total += o.length;
        ByteBuffer buf = ByteBuffer.allocate(4 * total);
        for (float[] o : out) {
            for (float v : o) buf.putInt(Float.floatToRawIntBits(v));
        }
        Files.write(Path.of(args[0]), buf.array());
    }

    /** Reads what {@link #main} wrote, in the array shapes of {@code like}. */
    static float[][] read(Path file, float[][] like) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        float[][] out = new float[like.length][];
        for (int k = 0; k < like.length; k++) {
            out[k] = new float[like[k].length];
            for (int i = 0; i < out[k].length; i++) out[k][i] = Float.intBitsToFloat(buf.getInt());
        }
        return out;
    }
}
