package fathom;

import java.util.Locale;

/**
 * Prints a tensor as PyTorch does: nested brackets, values aligned to one width, 4 decimals (or
 * scientific notation when magnitudes span more than 1000×), and at most 3 leading and trailing entries
 * per dimension once a tensor has more than 1000 elements; then shape, dtype and autograd state.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        Tensor d = t.detach();
        double[] v = d.dtype() == DType.BOOL || d.dtype().isFloating() ? d.toDoubleArray() : null;
        long[] l = v == null ? d.toLongArray() : null;
        boolean summarize = t.numel() > THRESHOLD;
        Style style = Style.of(t.dtype(), v, summarize ? edgeIndices(t) : null);
        int width = 0;
        for (int i = 0; i < t.numel(); i++) {
            width = Math.max(width, style.format(v, l, i).length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.dim() == 0) {
            sb.append(style.format(v, l, 0));
        } else {
            appendDim(sb, t, style, v, l, width, 0, 0, summarize, "tensor(".length());
        }
        sb.append(", shape=").append(t.shape()).append(", dtype=").append(t.dtype().name().toLowerCase(Locale.ROOT));
        if (t.gradFn != null) {
            sb.append(", gradFn=<").append(t.gradFn.name()).append('>');
        } else if (t.requiresGrad) {
            sb.append(", requiresGrad=true");
        }
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, Tensor t, Style style, double[] v, long[] l, int width, int dim, int base,
            boolean summarize, int indent) {
        int n = t.size(dim);
        int stride = 1;
        for (int d = dim + 1; d < t.dim(); d++) {
            stride *= t.size(d);
        }
        sb.append('[');
        boolean last = dim == t.dim() - 1;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(indent + 1));
                i = n - EDGE;
            }
            if (last) {
                String s = style.format(v, l, base + i);
                sb.append(" ".repeat(width - s.length())).append(s);
            } else {
                appendDim(sb, t, style, v, l, width, dim + 1, base + i * stride, summarize, indent + 1);
            }
            if (i < n - 1) {
                sb.append(last ? ", " : "," + "\n".repeat(t.dim() - dim - 1) + " ".repeat(indent + 1));
            }
        }
        sb.append(']');
    }

    /** Flat indices of the elements a summarized print shows. */
    private static int[] edgeIndices(Tensor t) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        collect(t, 0, 0, out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void collect(Tensor t, int dim, int base, java.util.List<Integer> out) {
        if (dim == t.dim()) {
            out.add(base);
            return;
        }
        int n = t.size(dim);
        int stride = 1;
        for (int d = dim + 1; d < t.dim(); d++) {
            stride *= t.size(d);
        }
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                i = n - EDGE;
            }
            collect(t, dim + 1, base + i * stride, out);
        }
    }

    private record Style(DType dtype, boolean integral, boolean scientific) {
        static Style of(DType dtype, double[] v, int[] shown) {
            if (v == null || dtype == DType.BOOL) {
                return new Style(dtype, true, false);
            }
            boolean integral = true;
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            int n = shown == null ? v.length : shown.length;
            for (int k = 0; k < n; k++) {
                double x = v[shown == null ? k : shown[k]];
                if (!Double.isFinite(x)) {
                    continue;
                }
                integral &= x == Math.rint(x);
                double a = Math.abs(x);
                if (a > 0) {
                    maxAbs = Math.max(maxAbs, a);
                    minAbs = Math.min(minAbs, a);
                }
            }
            boolean sci = maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
            return new Style(dtype, integral && maxAbs < 1e8, sci && !(integral && maxAbs < 1e8));
        }

        String format(double[] v, long[] l, int i) {
            if (l != null) {
                return Long.toString(l[i]);
            }
            double x = v[i];
            if (dtype == DType.BOOL) {
                return x != 0 ? "True" : "False";
            }
            if (Double.isNaN(x)) {
                return "nan";
            }
            if (Double.isInfinite(x)) {
                return x > 0 ? "inf" : "-inf";
            }
            if (integral) {
                return String.format(Locale.ROOT, "%.0f.", x);
            }
            return scientific ? String.format(Locale.ROOT, "%.4e", x) : String.format(Locale.ROOT, "%.4f", x);
        }
    }
}
