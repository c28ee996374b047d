package fathom.cpu;

import fathom.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for one row of a recurrent cell, the gate blocks of a row {@code hidden} apart,
 * element for element bit-identical to {@link RecurrentF32Scalar} (same operations in the same
 * order). Each returns where it stopped; the caller finishes with {@link RecurrentF32Scalar}. Loaded
 * only when {@link Simd#ENABLED}.
 *
 * <p>The forward kernels run as a few passes over the row: the gate nonlinearities through the unary
 * kernels ({@link UnaryF32Vector}, built on {@link ExpF32Vector}), then the state update. One loop
 * holding all five sigmoids and tanhs of an LSTM step was too large for C2 to inline whole, so their
 * vectors were boxed (see {@link ExpF32Vector}); for the same reason the loops here call no helper
 * that takes or returns a vector.
 */
final class RecurrentF32Vector {
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS));
    private static final int L = F.length();

    private RecurrentF32Vector() {}

    /** LSTM forward; {@code act} (σ(i), σ(f), tanh(g), σ(o)) is required here. Does the whole row. */
    static int lstmForward(float[] g, int gOff, float[] c, int cOff, float[] act, int aOff, float[] h, int hOff,
                           float[] c2, int c2Off, int hidden) {
        UnaryF32Vector.unary(UnaryOp.SIGMOID, g, gOff, act, aOff, 2 * hidden);
        UnaryF32Vector.unary(UnaryOp.TANH, g, gOff + 2 * hidden, act, aOff + 2 * hidden, hidden);
        UnaryF32Vector.unary(UnaryOp.SIGMOID, g, gOff + 3 * hidden, act, aOff + 3 * hidden, hidden);
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector i = FloatVector.fromArray(F, act, aOff + j);
            FloatVector f = FloatVector.fromArray(F, act, aOff + hidden + j);
            FloatVector gg = FloatVector.fromArray(F, act, aOff + 2 * hidden + j);
            f.mul(FloatVector.fromArray(F, c, cOff + j)).add(i.mul(gg)).intoArray(c2, c2Off + j);
        }
        for (; j < hidden; j++) {
            c2[c2Off + j] = act[aOff + hidden + j] * c[cOff + j] + act[aOff + j] * act[aOff + 2 * hidden + j];
        }
        UnaryF32Vector.unary(UnaryOp.TANH, c2, c2Off, h, hOff, hidden);
        j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector o = FloatVector.fromArray(F, act, aOff + 3 * hidden + j);
            o.mul(FloatVector.fromArray(F, h, hOff + j)).intoArray(h, hOff + j);
        }
        for (; j < hidden; j++) {
            h[hOff + j] = act[aOff + 3 * hidden + j] * h[hOff + j];
        }
        return hidden;
    }

    /** LSTM backward; tanh(c') goes first into the o block of dg, which each element overwrites after reading it. */
    static int lstmBackward(float[] act, int aOff, float[] c, int cOff, float[] c2, int c2Off, float[] dh, int dhOff,
                            float[] dc, int dcOff, float[] dg, int dgOff, float[] dcPrev, int dcpOff, int hidden) {
        int dgo = dgOff + 3 * hidden;
        UnaryF32Vector.unary(UnaryOp.TANH, c2, c2Off, dg, dgo, hidden);
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector i = FloatVector.fromArray(F, act, aOff + j);
            FloatVector f = FloatVector.fromArray(F, act, aOff + hidden + j);
            FloatVector gg = FloatVector.fromArray(F, act, aOff + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(F, act, aOff + 3 * hidden + j);
            FloatVector tc = FloatVector.fromArray(F, dg, dgo + j);
            FloatVector gh = FloatVector.fromArray(F, dh, dhOff + j);
            FloatVector dcn = FloatVector.fromArray(F, dc, dcOff + j).add(gh.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dcn.mul(gg).mul(i).mul(i.neg().add(1f)).intoArray(dg, dgOff + j);
            dcn.mul(FloatVector.fromArray(F, c, cOff + j)).mul(f).mul(f.neg().add(1f)).intoArray(dg, dgOff + hidden + j);
            dcn.mul(i).mul(gg.mul(gg).neg().add(1f)).intoArray(dg, dgOff + 2 * hidden + j);
            gh.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dg, dgo + j);
            dcn.mul(f).intoArray(dcPrev, dcpOff + j);
        }
        return j;
    }

    /** GRU forward; {@code saved} (r, z, n, h_n) is required here. Does the whole row. */
    static int gruForward(float[] xg, int xOff, float[] hg, int hgOff, float[] h, int hOff, float[] saved, int sOff,
                          float[] h2, int h2Off, int hidden) {
        int rz = 2 * hidden;
        int k = 0;
        for (int bound = F.loopBound(rz); k < bound; k += L) {
            FloatVector.fromArray(F, xg, xOff + k).add(FloatVector.fromArray(F, hg, hgOff + k)).intoArray(saved, sOff + k);
        }
        for (; k < rz; k++) saved[sOff + k] = xg[xOff + k] + hg[hgOff + k];
        UnaryF32Vector.unary(UnaryOp.SIGMOID, saved, sOff, saved, sOff, rz);
        int so = sOff + 2 * hidden;
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector r = FloatVector.fromArray(F, saved, sOff + j);
            FloatVector hn = FloatVector.fromArray(F, hg, hgOff + 2 * hidden + j);
            FloatVector.fromArray(F, xg, xOff + 2 * hidden + j).add(r.mul(hn)).intoArray(saved, so + j);
            hn.intoArray(saved, sOff + 3 * hidden + j);
        }
        for (; j < hidden; j++) {
            float hn = hg[hgOff + 2 * hidden + j];
            saved[so + j] = xg[xOff + 2 * hidden + j] + saved[sOff + j] * hn;
            saved[sOff + 3 * hidden + j] = hn;
        }
        UnaryF32Vector.unary(UnaryOp.TANH, saved, so, saved, so, hidden);
        j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector z = FloatVector.fromArray(F, saved, sOff + hidden + j);
            FloatVector n = FloatVector.fromArray(F, saved, so + j);
            n.add(z.mul(FloatVector.fromArray(F, h, hOff + j).sub(n))).intoArray(h2, h2Off + j);
        }
        for (; j < hidden; j++) {
            float n = saved[so + j];
            h2[h2Off + j] = n + saved[sOff + hidden + j] * (h[hOff + j] - n);
        }
        return hidden;
    }

    static int gruBackward(float[] saved, int sOff, float[] h, int hOff, float[] dh, int dhOff, float[] dx, int dxOff,
                           float[] dhg, int dhgOff, float[] dhDirect, int ddOff, int hidden) {
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector r = FloatVector.fromArray(F, saved, sOff + j);
            FloatVector z = FloatVector.fromArray(F, saved, sOff + hidden + j);
            FloatVector n = FloatVector.fromArray(F, saved, sOff + 2 * hidden + j);
            FloatVector hn = FloatVector.fromArray(F, saved, sOff + 3 * hidden + j);
            FloatVector g = FloatVector.fromArray(F, dh, dhOff + j);
            FloatVector dn = g.mul(z.neg().add(1f)).mul(n.mul(n).neg().add(1f));
            FloatVector dz = g.mul(FloatVector.fromArray(F, h, hOff + j).sub(n)).mul(z).mul(z.neg().add(1f));
            FloatVector dr = dn.mul(hn).mul(r).mul(r.neg().add(1f));
            dr.intoArray(dx, dxOff + j);
            dz.intoArray(dx, dxOff + hidden + j);
            dn.intoArray(dx, dxOff + 2 * hidden + j);
            dr.intoArray(dhg, dhgOff + j);
            dz.intoArray(dhg, dhgOff + hidden + j);
            dn.mul(r).intoArray(dhg, dhgOff + 2 * hidden + j);
            g.mul(z).intoArray(dhDirect, ddOff + j);
        }
        return j;
    }

    static int rnnBackward(boolean tanh, float[] h, int hOff, float[] dh, int dhOff, float[] d, int dOff, int hidden) {
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector y = FloatVector.fromArray(F, h, hOff + j);
            FloatVector g = FloatVector.fromArray(F, dh, dhOff + j);
            FloatVector out = tanh ? g.mul(y.mul(y).neg().add(1f)) : g.blend(0f, y.compare(VectorOperators.LE, 0f));
            out.intoArray(d, dOff + j);
        }
        return j;
    }
}
