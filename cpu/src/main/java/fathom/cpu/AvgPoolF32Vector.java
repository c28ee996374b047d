package fathom.cpu;

import fathom.backend.PoolAxis;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Average pooling with the contracts of {@link AvgPoolF32}, separably; loaded only when
 * {@link Simd#ENABLED}. Forward: per output row, the window's input rows are summed column by column
 * with vectors, then each output adds its window's columns. Backward, the mirror image: per output row,
 * each output's share g/divisor is spread over its columns in one row buffer, which is then added with
 * vectors to each input row of the window. Global average pooling reads every row once.
 */
final class AvgPoolF32Vector {
    private static final VectorSpecies<Float> F = UnaryF32Vector.F;
    private static final int L = F.length();

    private AvgPoolF32Vector() {}

    static void forward(float[] x, int xOff, int planes, int height, int width, PoolAxis h, PoolAxis w, double[] divisor, float[] out,
            int outOff) {
        int oh = h.outSize();
        int ow = w.outSize();
        float[] colSum = new float[width];
        int bound = F.loopBound(width);
        for (int p = 0; p < planes; p++) {
            int plane = xOff + p * height * width;
            int o = outOff + p * oh * ow;
            for (int i = 0; i < oh; i++, o += ow) {
                Arrays.fill(colSum, 0);
                for (int a = 0, r = h.first()[i]; a < h.taps()[i]; a++, r += h.step()) {
                    int row = plane + r * width;
                    int c = 0;
                    for (; c < bound; c += L) {
                        FloatVector.fromArray(F, colSum, c).add(FloatVector.fromArray(F, x, row + c)).intoArray(colSum, c);
                    }
                    for (; c < width; c++) {
                        colSum[c] += x[row + c];
                    }
                }
                for (int j = 0; j < ow; j++) {
                    float sum = 0;
                    for (int b = 0, c = w.first()[j]; b < w.taps()[j]; b++, c += w.step()) {
                        sum += colSum[c];
                    }
                    out[o + j] = (float) (sum / divisor[i * ow + j]);
                }
            }
        }
    }

    static void backward(float[] g, int gOff, int planes, int height, int width, PoolAxis h, PoolAxis w, double[] divisor, float[] gx,
            int gxOff) {
        int oh = h.outSize();
        int ow = w.outSize();
        float[] rowGrad = new float[width];
        int bound = F.loopBound(width);
        for (int p = 0; p < planes; p++) {
            int plane = gxOff + p * height * width;
            int o = gOff + p * oh * ow;
            for (int i = 0; i < oh; i++, o += ow) {
                Arrays.fill(rowGrad, 0);
                for (int j = 0; j < ow; j++) {
                    float v = (float) (g[o + j] / divisor[i * ow + j]);
                    for (int b = 0, c = w.first()[j]; b < w.taps()[j]; b++, c += w.step()) {
                        rowGrad[c] += v;
                    }
                }
                for (int a = 0, r = h.first()[i]; a < h.taps()[i]; a++, r += h.step()) {
                    int row = plane + r * width;
                    int c = 0;
                    for (; c < bound; c += L) {
                        FloatVector.fromArray(F, gx, row + c).add(FloatVector.fromArray(F, rowGrad, c)).intoArray(gx, row + c);
                    }
                    for (; c < width; c++) {
                        gx[row + c] += rowGrad[c];
                    }
                }
            }
        }
    }
}
