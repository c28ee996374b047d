package fathom.optim;

import fathom.Tensor;
import fathom.Tensors;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad, as PyTorch's {@code Adagrad}: with {@code g ← ∇ + λ·p}, {@code s ← s + g²} and
 * {@code lr_t = lr / (1 + (t − 1)·δ)}, {@code p ← p − lr_t·g / (√s + ε)}.
 *
 * <p>The sum s starts at {@code initialAccumulatorValue}. PyTorch fills it when the optimizer is built;
 * here it is filled at a parameter's first update, which computes the same values (a parameter that
 * never got a gradient has no state in {@link #stateDict()}). State per parameter: {@code step},
 * {@code sum}.
 */
public final class Adagrad extends Optimizer<AdagradConfig> {
    private static final Set<String> KNOWN = Set.of(STEP, "sum");

    private static final class State {
        long step;
        Tensor sum;
    }

    private final Map<Tensor, State> states = new IdentityHashMap<>();

    /** Adagrad over {@code params} with one set of hyper-parameters. */
    public Adagrad(List<Tensor> params, AdagradConfig config) {
        this(List.of(new ParamGroup<>(params, config)));
    }

    /** Adagrad over {@code params} with PyTorch's other defaults ({@link AdagradConfig#AdagradConfig(double)}). */
    public Adagrad(List<Tensor> params, double lr) {
        this(params, new AdagradConfig(lr));
    }

    /** Adagrad over parameter groups, each with its own hyper-parameters. */
    public Adagrad(List<ParamGroup<AdagradConfig>> groups) {
        super(groups);
    }

    @Override
    protected void update(Tensor p, Tensor grad, AdagradConfig c) {
        State s = states.get(p);
        if (s == null) {
            s = new State();
            s.sum = Tensors.full(p.shape(), p.dtype(), c.initialAccumulatorValue());
            states.put(p, s);
        }
        s.step++;
        Tensor g = withWeightDecay(grad, p, c.weightDecay());
        double clr = c.lr() / (1 + (s.step - 1) * c.lrDecay());
        Tensor tmp = g.mul(g);
        s.sum.addInPlace(tmp);
        Tensor std = s.sum.sqrt().addInPlace(scalar(c.eps(), p));
        // addcdiv with value −lr_t: (value·g) / std, in PyTorch's order
        tmp.copyInPlace(g).mulInPlace(-clr).divInPlace(std);
        p.addInPlace(tmp);
    }

    @Override
    protected Map<String, Tensor> state(Tensor param) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        State s = states.get(param);
        if (s != null) {
            m.put(STEP, stepTensor(s.step));
            m.put("sum", s.sum);
        }
        return m;
    }

    @Override
    protected Set<String> requiredState(AdagradConfig config) {
        return KNOWN;
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
        s.sum = m.get("sum");
        states.put(param, s);
    }
}
