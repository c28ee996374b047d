package fathom.cpu;

import fathom.DType;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.NormResult;

/**
 * Float32 layer normalization over the last dimensions, seen as rows of a row-major {@code [rows, n]}
 * matrix: one pass for the statistics and one for the output, and a backward that reads x, the saved
 * mean and rstd and the output's gradient once more. Rows run in parallel; the weight and bias gradients
 * are summed per block of rows into per-block buffers, then added, so no two threads write one place.
 * Row steps run {@link LayerNormF32Vector} or, with vectors off, {@link LayerNormF32Scalar}.
 */
final class LayerNormF32 {
    private static final boolean VECTOR = Simd.ENABLED;

    private LayerNormF32() {}

    static NormResult forward(Tensor x, Tensor weight, Tensor bias, int normalizedDims, double eps) {
        Tensor xs = x.contiguous();
        int n = features(x, normalizedDims);
        int rows = n == 0 ? 0 : x.numel() / n;
        Shape stats = statShape(x, normalizedDims);
        Tensor y = Tensors.empty(x.shape(), DType.FLOAT32);
        Tensor mean = Tensors.zeros(stats, DType.FLOAT32);
        Tensor rstd = Tensors.zeros(stats, DType.FLOAT32);
        float[] xa = xs.storage().floats();
        int xo = xs.offset();
        float[] w = weight == null ? null : weight.contiguous().toFloatArray();
        float[] b = bias == null ? null : bias.contiguous().toFloatArray();
        float[] ya = y.storage().floats();
        float[] ma = mean.storage().floats();
        float[] ra = rstd.storage().floats();
        float e = (float) eps;
        Parallel.forRange(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, 4 * n)), (s, t) -> {
            if (VECTOR) LayerNormF32Vector.forward(xa, xo + s * n, t - s, n, w, b, e, ya, s * n, ma, ra, s);
            else LayerNormF32Scalar.forward(xa, xo + s * n, t - s, n, w, b, e, ya, s * n, ma, ra, s);
        });
        return new NormResult(y, mean, rstd);
    }

    static Tensor[] backward(Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor g, int normalizedDims, boolean affineGrads) {
        Tensor xs = x.contiguous();
        Tensor gs = g.contiguous();
        Tensor ms = mean.contiguous();
        Tensor rs = rstd.contiguous();
        int n = features(x, normalizedDims);
        int rows = n == 0 ? 0 : x.numel() / n;
        Tensor dx = Tensors.empty(x.shape(), DType.FLOAT32);
        float[] xa = xs.storage().floats();
        float[] ga = gs.storage().floats();
        float[] ma = ms.toFloatArray();
        float[] ra = rs.toFloatArray();
        float[] w = weight == null ? null : weight.contiguous().toFloatArray();
        float[] da = dx.storage().floats();
        int xo = xs.offset();
        int go = gs.offset();
        // Blocks of rows, each with its own weight and bias gradient buffers when those are wanted.
        int blocks = Math.max(1, Math.min(rows, 4 * Parallel.threads()));
        int per = rows == 0 ? 0 : (rows + blocks - 1) / blocks;
        float[][] dw = affineGrads ? new float[blocks][n] : null;
        float[][] db = affineGrads ? new float[blocks][n] : null;
        int grain = Math.max(1, CpuBackend.GRAIN / Math.max(1, 4 * n * Math.max(1, per)));
        Parallel.forRange(blocks, grain, (s, t) -> {
            for (int k = s; k < t; k++) {
                int r0 = Math.min(rows, k * per);
                int r1 = Math.min(rows, r0 + per);
                float[] bw = dw == null ? null : dw[k];
                float[] bb = db == null ? null : db[k];
                if (VECTOR) LayerNormF32Vector.backward(xa, xo + r0 * n, ga, go + r0 * n, r1 - r0, n, w, ma, ra, r0, da, r0 * n, bw, bb);
                else LayerNormF32Scalar.backward(xa, xo + r0 * n, ga, go + r0 * n, r1 - r0, n, w, ma, ra, r0, da, r0 * n, bw, bb);
            }
        });
        if (!affineGrads) {
            return new Tensor[] {dx, null, null};
        }
        int[] ns = java.util.Arrays.copyOfRange(x.shape().toArray(), x.dim() - normalizedDims, x.dim());
        float[] tw = new float[n];
        float[] tb = new float[n];
        for (int k = 0; k < blocks; k++) {
            for (int c = 0; c < n; c++) {
                tw[c] += dw[k][c];
                tb[c] += db[k][c];
            }
        }
        return new Tensor[] {dx, Tensors.of(tw, ns), Tensors.of(tb, ns)};
    }

    private static int features(Tensor x, int normalizedDims) {
        int n = 1;
        for (int d = x.dim() - normalizedDims; d < x.dim(); d++) {
            n *= x.size(d);
        }
        return n;
    }

    private static Shape statShape(Tensor x, int normalizedDims) {
        int[] s = x.shape().toArray();
        for (int d = x.dim() - normalizedDims; d < x.dim(); d++) {
            s[d] = 1;
        }
        return Shape.of(s);
    }
}
