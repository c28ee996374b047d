package fathom.testing;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backend;
import fathom.backend.Backends;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a backend against the reference over an op's samples: outputs and input gradients must agree
 * to the spec's tolerance (relative to the output's scale) in float32, to 1e-10 in float64, and
 * exactly for integer and bool results.
 */
public final class Conformance {
    private Conformance() {}

    /** Every disagreement of {@code backend} with {@code reference} on {@code spec}'s samples in {@code dtype}; empty when they agree. */
    public static List<String> compare(Backend backend, Backend reference, OpSpec spec, DType dtype, long seed) {
        List<String> problems = new ArrayList<>();
        List<List<Tensor>> samples = spec.samples().apply(new Rng(seed));
        for (int s = 0; s < samples.size(); s++) {
            List<Tensor> inputs = convert(samples.get(s), dtype);
            Result want = run(reference, spec, inputs, seed + s);
            Result got = run(backend, spec, inputs, seed + s);
            double tol = dtype == DType.FLOAT32 ? spec.tolerance() : 1e-10;
            for (int k = 0; k < want.values.size(); k++) {
                String p = differ(got.values.get(k), want.values.get(k), tol);
                if (p != null) {
                    problems.add(spec.name() + " sample " + s + " " + dtype + ": " + want.labels.get(k) + " " + p);
                }
            }
        }
        return problems;
    }

    private record Result(List<Tensor> values, List<String> labels) {}

    private static List<Tensor> convert(List<Tensor> sample, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor x : sample) {
            if (!x.dtype().isFloating()) {
                out.add(x);
            } else {
                Tensor c = x.to(dtype);
                out.add(x.isContiguous() ? c : Samples.nonContiguous(c));
            }
        }
        return out;
    }

    private static Result run(Backend backend, OpSpec spec, List<Tensor> inputs, long seed) {
        List<Tensor> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (var _ = Backends.use(backend)) {
            List<Tensor> leaves = inputs.stream().map(x -> x.dtype().isFloating() && spec.differentiable() ? x.detach().requiresGrad(true) : x.detach()).toList();
            List<Tensor> outs = spec.fn().apply(leaves);
            Rng rng = new Rng(seed);
            for (int k = 0; k < outs.size(); k++) {
                Tensor o = outs.get(k);
                values.add(o.detach());
                labels.add("output " + k);
                if (o.requiresGrad()) {
                    o.backward(Tensors.randn(rng, o.shape(), o.dtype()), true);
                }
            }
            for (int i = 0; i < leaves.size(); i++) {
                if (leaves.get(i).requiresGrad()) {
                    values.add(leaves.get(i).grad() == null ? Tensors.zeros(leaves.get(i).shape(), leaves.get(i).dtype()) : leaves.get(i).grad());
                    labels.add("gradient of input " + i);
                }
            }
        }
        return new Result(values, labels);
    }

    /** Null when equal within {@code tol}·(1 + max |want|), else a description. */
    public static String differ(Tensor got, Tensor want, double tol) {
        if (!got.shape().equals(want.shape()) || got.dtype() != want.dtype()) {
            return "has shape " + got.shape() + " " + got.dtype() + ", expected " + want.shape() + " " + want.dtype();
        }
        double[] g = got.toDoubleArray();
        double[] w = want.toDoubleArray();
        double scale = 1;
        for (double v : w) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double bound = want.dtype().isFloating() ? tol * scale : 0;
        for (int i = 0; i < w.length; i++) {
            boolean same = Double.isNaN(w[i]) ? Double.isNaN(g[i]) : w[i] == g[i] || Math.abs(g[i] - w[i]) <= bound;
            if (!same) {
                return "differs at flat index " + i + ": " + g[i] + " vs " + w[i] + " (bound " + bound + ")";
            }
        }
        return null;
    }
}
