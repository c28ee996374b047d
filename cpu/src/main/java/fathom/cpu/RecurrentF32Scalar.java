package fathom.cpu;

/**
 * The scalar twins of {@link RecurrentF32Vector}: one row of a recurrent cell, elements {@code j} from
 * {@code from} to {@code hidden}, with the gate blocks of a row {@code hidden} apart. Also the tail of
 * every vector kernel, and bit for bit equal to it (sigmoid and tanh from {@link ExpF32Scalar}).
 */
final class RecurrentF32Scalar {
    private RecurrentF32Scalar() {}

    /** LSTM forward; {@code act} (σ(i), σ(f), tanh(g), σ(o)) may be null. */
    static void lstmForward(float[] g, int gOff, float[] c, int cOff, float[] act, int aOff, float[] h, int hOff,
                            float[] c2, int c2Off, int hidden, int from) {
        for (int j = from; j < hidden; j++) {
            float i = ExpF32Scalar.sigmoid(g[gOff + j]);
            float f = ExpF32Scalar.sigmoid(g[gOff + hidden + j]);
            float gg = ExpF32Scalar.tanh(g[gOff + 2 * hidden + j]);
            float o = ExpF32Scalar.sigmoid(g[gOff + 3 * hidden + j]);
            float cn = f * c[cOff + j] + i * gg;
            c2[c2Off + j] = cn;
            h[hOff + j] = o * ExpF32Scalar.tanh(cn);
            if (act != null) {
                act[aOff + j] = i;
                act[aOff + hidden + j] = f;
                act[aOff + 2 * hidden + j] = gg;
                act[aOff + 3 * hidden + j] = o;
            }
        }
    }

    /** LSTM backward from the activated gates: the pre-activation gate gradients and ∂/∂c. */
    static void lstmBackward(float[] act, int aOff, float[] c, int cOff, float[] c2, int c2Off, float[] dh, int dhOff,
                             float[] dc, int dcOff, float[] dg, int dgOff, float[] dcPrev, int dcpOff, int hidden, int from) {
        for (int j = from; j < hidden; j++) {
            float i = act[aOff + j];
            float f = act[aOff + hidden + j];
            float gg = act[aOff + 2 * hidden + j];
            float o = act[aOff + 3 * hidden + j];
            float tc = ExpF32Scalar.tanh(c2[c2Off + j]);
            float gh = dh[dhOff + j];
            float dcn = dc[dcOff + j] + gh * o * (1 - tc * tc);
            dg[dgOff + j] = dcn * gg * i * (1 - i);
            dg[dgOff + hidden + j] = dcn * c[cOff + j] * f * (1 - f);
            dg[dgOff + 2 * hidden + j] = dcn * i * (1 - gg * gg);
            dg[dgOff + 3 * hidden + j] = gh * tc * o * (1 - o);
            dcPrev[dcpOff + j] = dcn * f;
        }
    }

    /** GRU forward; {@code saved} (r, z, n, h_n) may be null. */
    static void gruForward(float[] xg, int xOff, float[] hg, int hgOff, float[] h, int hOff, float[] saved, int sOff,
                           float[] h2, int h2Off, int hidden, int from) {
        for (int j = from; j < hidden; j++) {
            float r = ExpF32Scalar.sigmoid(xg[xOff + j] + hg[hgOff + j]);
            float z = ExpF32Scalar.sigmoid(xg[xOff + hidden + j] + hg[hgOff + hidden + j]);
            float hn = hg[hgOff + 2 * hidden + j];
            float n = ExpF32Scalar.tanh(xg[xOff + 2 * hidden + j] + r * hn);
            h2[h2Off + j] = n + z * (h[hOff + j] - n);
            if (saved != null) {
                saved[sOff + j] = r;
                saved[sOff + hidden + j] = z;
                saved[sOff + 2 * hidden + j] = n;
                saved[sOff + 3 * hidden + j] = hn;
            }
        }
    }

    /** GRU backward from (r, z, n, h_n): ∂/∂xg, ∂/∂hg and the direct ∂/∂h = dh·z. */
    static void gruBackward(float[] saved, int sOff, float[] h, int hOff, float[] dh, int dhOff, float[] dx, int dxOff,
                            float[] dhg, int dhgOff, float[] dhDirect, int ddOff, int hidden, int from) {
        for (int j = from; j < hidden; j++) {
            float r = saved[sOff + j];
            float z = saved[sOff + hidden + j];
            float n = saved[sOff + 2 * hidden + j];
            float hn = saved[sOff + 3 * hidden + j];
            float g = dh[dhOff + j];
            float dn = g * (1 - z) * (1 - n * n);
            float dz = g * (h[hOff + j] - n) * z * (1 - z);
            float dr = dn * hn * r * (1 - r);
            dx[dxOff + j] = dr;
            dx[dxOff + hidden + j] = dz;
            dx[dxOff + 2 * hidden + j] = dn;
            dhg[dhgOff + j] = dr;
            dhg[dhgOff + hidden + j] = dz;
            dhg[dhgOff + 2 * hidden + j] = dn * r;
            dhDirect[ddOff + j] = g * z;
        }
    }

    /** RNN backward: d[j] = dh[j]·(1 − h²) for tanh, dh[j]·[h > 0] for relu. */
    static void rnnBackward(boolean tanh, float[] h, int hOff, float[] dh, int dhOff, float[] d, int dOff, int hidden, int from) {
        for (int j = from; j < hidden; j++) {
            float y = h[hOff + j];
            float g = dh[dhOff + j];
            d[dOff + j] = tanh ? g * (1 - y * y) : y > 0 ? g : 0f;
        }
    }
}
