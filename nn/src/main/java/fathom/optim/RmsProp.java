package fathom.optim;

import fathom.Tensor;
import fathom.Tensors;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop, as PyTorch's {@code RMSprop}: with {@code g ← ∇ + λ·p} and {@code v ← α·v + (1 − α)·g²},
 * {@code d = √v + ε}, or {@code d = √(v − ḡ²) + ε} with {@code ḡ ← α·ḡ + (1 − α)·g} when centered; then
 * {@code p ← p − lr·g/d}, or with momentum {@code b ← μ·b + g/d}, {@code p ← p − lr·b}.
 *
 * <p>ε is added outside the square root, as PyTorch does (TensorFlow adds it inside). State per
 * parameter: {@code step}, {@code square_avg}, {@code momentum_buffer} with momentum, {@code grad_avg}
 * when centered; all start at zero.
 */
public final class RmsProp extends Optimizer<RmsPropConfig> {
    private static final Set<String> KNOWN = Set.of(STEP, "square_avg", "momentum_buffer", "grad_avg");

    private static final class State {
        long step;
        Tensor squareAvg;
        Tensor momentumBuffer;
        Tensor gradAvg;
    }

    private final Map<Tensor, State> states = new IdentityHashMap<>();

    /** RMSprop over {@code params} with one set of hyper-parameters. */
    public RmsProp(List<Tensor> params, RmsPropConfig config) {
        this(List.of(new ParamGroup<>(params, config)));
    }

    /** RMSprop over {@code params} with PyTorch's other defaults ({@link RmsPropConfig#RmsPropConfig(double)}). */
    public RmsProp(List<Tensor> params, double lr) {
        this(params, new RmsPropConfig(lr));
    }

    /** RMSprop over parameter groups, each with its own hyper-parameters. */
    public RmsProp(List<ParamGroup<RmsPropConfig>> groups) {
        super(groups);
    }

    @Override
    protected void update(Tensor p, Tensor grad, RmsPropConfig c) {
        State s = states.get(p);
        if (s == null) {
            s = new State();
            s.squareAvg = Tensors.zeros(p.shape(), p.dtype());
            states.put(p, s);
        }
        s.step++;
        Tensor g = withWeightDecay(grad, p, c.weightDecay());
        double a = c.alpha();
        // tmp is the one parameter-sized temporary; products keep PyTorch's addcmul/addcdiv order
        Tensor tmp = g.mul(1 - a).mulInPlace(g);
        s.squareAvg.mulInPlace(a).addInPlace(tmp);
        Tensor avg;
        if (c.centered()) {
            if (s.gradAvg == null) {
                s.gradAvg = Tensors.zeros(p.shape(), p.dtype());
            }
            tmp.copyInPlace(g).mulInPlace(1 - a);
            s.gradAvg.mulInPlace(a).addInPlace(tmp);
            tmp.copyInPlace(s.gradAvg).mulInPlace(-1).mulInPlace(s.gradAvg).addInPlace(s.squareAvg);
            avg = tmp.sqrt();
        } else {
            avg = s.squareAvg.sqrt();
        }
        avg.addInPlace(scalar(c.eps(), p));
        if (c.momentum() > 0) {
            if (s.momentumBuffer == null) {
                s.momentumBuffer = Tensors.zeros(p.shape(), p.dtype());
            }
            tmp.copyInPlace(g).divInPlace(avg);
            s.momentumBuffer.mulInPlace(c.momentum()).addInPlace(tmp);
            tmp.copyInPlace(s.momentumBuffer).mulInPlace(-c.lr());
        } else {
            tmp.copyInPlace(g).mulInPlace(-c.lr()).divInPlace(avg);
        }
        p.addInPlace(tmp);
    }

    @Override
    protected Map<String, Tensor> state(Tensor param) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        State s = states.get(param);
        if (s != null) {
            m.put(STEP, stepTensor(s.step));
            m.put("square_avg", s.squareAvg);
            if (s.momentumBuffer != null) {
                m.put("momentum_buffer", s.momentumBuffer);
            }
            if (s.gradAvg != null) {
                m.put("grad_avg", s.gradAvg);
            }
        }
        return m;
    }

    @Override
    protected Set<String> requiredState(RmsPropConfig c) {
        Set<String> names = new HashSet<>(Set.of(STEP, "square_avg"));
        if (c.momentum() > 0) {
            names.add("momentum_buffer");
        }
        if (c.centered()) {
            names.add("grad_avg");
        }
        return names;
    }

    @Override
    protected Set<String> knownState() {
        return KNOWN;
    }

    @Override
    protected void setState(Tensor param, Map<String, Tensor> m) {
        if (m.isEmpty()) {
            states.remove(param);
            return;
        }
        State s = new State();
        s.step = stepOf(m.get(STEP));
        s.squareAvg = m.get("square_avg");
        s.momentumBuffer = m.get("momentum_buffer");
        s.gradAvg = m.get("grad_avg");
        states.put(param, s);
    }
}
