package fathom.testing;

import fathom.Rng;
import fathom.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * One op as the tests see it (PyTorch's OpInfo idea): how to call it, which sample inputs to try and
 * how closely results must agree. Every parameterized test (gradient check, PyTorch reference,
 * backend conformance) walks the {@link OpRegistry}; an op without a spec is untested.
 *
 * @param name the op's name, equal to the PyTorch fixture case that checks it where there is one
 * @param fn the call: inputs in, outputs out (most ops have one output)
 * @param samples float64 sample inputs, drawn from the given generator; integer inputs (indices) stay integer
 * @param differentiable whether gradients are checked
 * @param tolerance the float32 tolerance, relative to the output's scale, for comparing backends
 */
public record OpSpec(String name, Fn fn, Function<Rng, List<List<Tensor>>> samples, boolean differentiable, double tolerance) {
    /** An op under test: a list of inputs to a list of outputs. */
    @FunctionalInterface
    public interface Fn {
        List<Tensor> apply(List<Tensor> inputs);
    }

    @Override
    public String toString() {
        return name;
    }
}
