package fathom.optim;

import fathom.ParameterUpdates;
import fathom.Tensor;
import fathom.Tensors;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The moment averages and the bias-corrected step shared by {@link Adam} and {@link AdamW}, computed in
 * PyTorch 1.13's order of operations (its single-tensor path) so float32 results agree to the last bits.
 */
final class AdamMoments {
    static final Set<String> KNOWN = Set.of(Optimizer.STEP, "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    private static final class State {
        long step;
        Tensor expAvg;
        Tensor expAvgSq;
        Tensor maxExpAvgSq;
    }

    private final Map<Tensor, State> states = new IdentityHashMap<>();

    /**
     * m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², v̂ ← max(v̂, v) with amsgrad, then
     * p ← p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε).
     */
    void update(Tensor p, Tensor g, AdamConfig c) {
        State s = states.get(p);
        if (s == null) {
            s = new State();
            s.expAvg = Tensors.zeros(p.shape(), p.dtype());
            s.expAvgSq = Tensors.zeros(p.shape(), p.dtype());
            states.put(p, s);
        }
        s.step++;
        double biasCorrection1 = 1 - Math.pow(c.beta1(), s.step);
        double biasCorrection2 = 1 - Math.pow(c.beta2(), s.step);
        double stepSize = c.lr() / biasCorrection1;
        if (!c.amsgrad()) {
            // the moments and the parameter in one pass
            ParameterUpdates.adam(p, g, s.expAvg, s.expAvgSq, c.beta1(), c.beta2(), c.eps(), stepSize, biasCorrection2);
            return;
        }
        s.expAvg.mulInPlace(c.beta1()).addInPlace(g, 1 - c.beta1());
        // one parameter-sized temporary serves both products below: (1 − β₂)·g·g in PyTorch's addcmul order
        Tensor tmp = g.mul(1 - c.beta2()).mulInPlace(g);
        s.expAvgSq.mulInPlace(c.beta2()).addInPlace(tmp);
        if (s.maxExpAvgSq == null) {
            s.maxExpAvgSq = Tensors.zeros(p.shape(), p.dtype());
        }
        s.maxExpAvgSq.copyInPlace(s.maxExpAvgSq.maximum(s.expAvgSq));
        Tensor denom = s.maxExpAvgSq.sqrt()
                .divInPlace(Optimizer.scalar(Math.sqrt(biasCorrection2), p))
                .addInPlace(Optimizer.scalar(c.eps(), p));
        // addcdiv with value −stepSize: (value·m) / denom, then added
        tmp.copyInPlace(s.expAvg).mulInPlace(-stepSize).divInPlace(denom);
        p.addInPlace(tmp);
    }

    Map<String, Tensor> state(Tensor p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        State s = states.get(p);
        if (s != null) {
            m.put(Optimizer.STEP, Optimizer.stepTensor(s.step));
            m.put("exp_avg", s.expAvg);
            m.put("exp_avg_sq", s.expAvgSq);
            if (s.maxExpAvgSq != null) {
                m.put("max_exp_avg_sq", s.maxExpAvgSq);
            }
        }
        return m;
    }

    static Set<String> required(AdamConfig c) {
        return c.amsgrad() ? KNOWN : Set.of(Optimizer.STEP, "exp_avg", "exp_avg_sq");
    }

    void set(Tensor p, Map<String, Tensor> m) {
        if (m.isEmpty()) {
            states.remove(p);
            return;
        }
        State s = new State();
        s.step = Optimizer.stepOf(m.get(Optimizer.STEP));
        s.expAvg = m.get("exp_avg");
        s.expAvgSq = m.get("exp_avg_sq");
        s.maxExpAvgSq = m.get("max_exp_avg_sq");
        states.put(p, s);
    }
}
