package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels for one row of a recurrent cell (the gate nonlinearities and the state update in
 * one pass, so each step reads its gates once): elements {@code j} from 0 while a full vector fits in
 * {@code hidden}, the gate blocks of a row {@code hidden} apart. Each returns where it stopped; the
 * caller finishes with {@link RecurrentF32Scalar}. Loaded only when {@link Simd#ENABLED}.
 */
final class RecurrentF32Vector {
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS));
    private static final int L = F.length();

    private RecurrentF32Vector() {}

    private static FloatVector load(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }

    /**
     * tanh within 1.5 ulp (measured against {@link Math#tanh}) at about 60% of the cost of
     * {@code lanewise(TANH)}: Cephes' odd polynomial (tanhf) for |x| ≤ 0.625, where 1 − e^{−2|x|} would
     * cancel, and (1 − e)/(1 + e) with e = e^{−2|x|} and the sign of x above.
     */
    private static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = ax.mul(-2f).lanewise(VectorOperators.EXP);
        FloatVector big = e.neg().add(1f).div(e.add(1f));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.mul(-5.70498872745E-3f).add(2.06390887954E-2f).fma(z, FloatVector.broadcast(F, -5.37397155531E-2f))
                .fma(z, FloatVector.broadcast(F, 1.33314422036E-1f)).fma(z, FloatVector.broadcast(F, -3.33332819422E-1f));
        FloatVector small = p.mul(z).fma(x, x);
        return small.blend(big, ax.compare(VectorOperators.GT, 0.625f));
    }

    /** y·(1 − y). */
    private static FloatVector slope(FloatVector y) {
        return y.mul(y.neg().add(1f));
    }

    static int lstmForward(float[] g, int gOff, float[] c, int cOff, float[] act, int aOff, float[] h, int hOff,
                           float[] c2, int c2Off, int hidden) {
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector i = UnaryF32Vector.sigmoid(load(g, gOff + j));
            FloatVector f = UnaryF32Vector.sigmoid(load(g, gOff + hidden + j));
            FloatVector gg = tanh(load(g, gOff + 2 * hidden + j));
            FloatVector o = UnaryF32Vector.sigmoid(load(g, gOff + 3 * hidden + j));
            FloatVector cn = f.mul(load(c, cOff + j)).add(i.mul(gg));
            cn.intoArray(c2, c2Off + j);
            o.mul(tanh(cn)).intoArray(h, hOff + j);
            if (act != null) {
                i.intoArray(act, aOff + j);
                f.intoArray(act, aOff + hidden + j);
                gg.intoArray(act, aOff + 2 * hidden + j);
                o.intoArray(act, aOff + 3 * hidden + j);
            }
        }
        return j;
    }

    static int lstmBackward(float[] act, int aOff, float[] c, int cOff, float[] c2, int c2Off, float[] dh, int dhOff,
                            float[] dc, int dcOff, float[] dg, int dgOff, float[] dcPrev, int dcpOff, int hidden) {
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector i = load(act, aOff + j);
            FloatVector f = load(act, aOff + hidden + j);
            FloatVector gg = load(act, aOff + 2 * hidden + j);
            FloatVector o = load(act, aOff + 3 * hidden + j);
            FloatVector tc = tanh(load(c2, c2Off + j));
            FloatVector gh = load(dh, dhOff + j);
            FloatVector dcn = load(dc, dcOff + j).add(gh.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dcn.mul(gg).mul(slope(i)).intoArray(dg, dgOff + j);
            dcn.mul(load(c, cOff + j)).mul(slope(f)).intoArray(dg, dgOff + hidden + j);
            dcn.mul(i).mul(gg.mul(gg).neg().add(1f)).intoArray(dg, dgOff + 2 * hidden + j);
            gh.mul(tc).mul(slope(o)).intoArray(dg, dgOff + 3 * hidden + j);
            dcn.mul(f).intoArray(dcPrev, dcpOff + j);
        }
        return j;
    }

    static int gruForward(float[] xg, int xOff, float[] hg, int hgOff, float[] h, int hOff, float[] saved, int sOff,
                          float[] h2, int h2Off, int hidden) {
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector r = UnaryF32Vector.sigmoid(load(xg, xOff + j).add(load(hg, hgOff + j)));
            FloatVector z = UnaryF32Vector.sigmoid(load(xg, xOff + hidden + j).add(load(hg, hgOff + hidden + j)));
            FloatVector hn = load(hg, hgOff + 2 * hidden + j);
            FloatVector n = tanh(load(xg, xOff + 2 * hidden + j).add(r.mul(hn)));
            n.add(z.mul(load(h, hOff + j).sub(n))).intoArray(h2, h2Off + j);
            if (saved != null) {
                r.intoArray(saved, sOff + j);
                z.intoArray(saved, sOff + hidden + j);
                n.intoArray(saved, sOff + 2 * hidden + j);
                hn.intoArray(saved, sOff + 3 * hidden + j);
            }
        }
        return j;
    }

    static int gruBackward(float[] saved, int sOff, float[] h, int hOff, float[] dh, int dhOff, float[] dx, int dxOff,
                           float[] dhg, int dhgOff, float[] dhDirect, int ddOff, int hidden) {
        int j = 0;
        for (int bound = F.loopBound(hidden); j < bound; j += L) {
            FloatVector r = load(saved, sOff + j);
            FloatVector z = load(saved, sOff + hidden + j);
            FloatVector n = load(saved, sOff + 2 * hidden + j);
            FloatVector hn = load(saved, sOff + 3 * hidden + j);
            FloatVector g = load(dh, dhOff + j);
            FloatVector dn = g.mul(z.neg().add(1f)).mul(n.mul(n).neg().add(1f));
            FloatVector dz = g.mul(load(h, hOff + j).sub(n)).mul(slope(z));
            FloatVector dr = dn.mul(hn).mul(slope(r));
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
            FloatVector y = load(h, hOff + j);
            FloatVector g = load(dh, dhOff + j);
            FloatVector out = tanh ? g.mul(y.mul(y).neg().add(1f)) : g.blend(0f, y.compare(VectorOperators.LE, 0f));
            out.intoArray(d, dOff + j);
        }
        return j;
    }
}
