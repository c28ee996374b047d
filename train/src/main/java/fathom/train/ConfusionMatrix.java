package fathom.train;

import fathom.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of (true class, predicted class) pairs, with per-class precision, recall and F1 and their
 * macro averages; logits [B, C], targets [B]. {@code matrix()[t][p]} counts samples of class t predicted as p.
 */
public final class ConfusionMatrix implements Metric {
    private final List<String> classes;
    private final long[][] counts;

    public ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
    }

    @Override
    public void update(Tensor output, Tensor target) {
        long[] predicted = output.argmax(1, false).toLongArray();
        long[] truth = target.toLongArray();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= counts.length || predicted[i] >= counts.length) {
                throw new IndexOutOfBoundsException("class " + truth[i] + " at sample " + i + " is outside the "
                        + counts.length + " classes of this confusion matrix");
            }
            counts[(int) truth[i]][(int) predicted[i]]++;
        }
    }

    /** A copy of the counts, [true][predicted]. */
    public long[][] matrix() {
        long[][] m = new long[counts.length][];
        for (int i = 0; i < m.length; i++) {
            m[i] = counts[i].clone();
        }
        return m;
    }

    public List<String> classes() {
        return classes;
    }

    /** Precision, recall and F1 of class {@code c} (0 where undefined, as scikit-learn's zero_division=0). */
    public double[] precisionRecallF1(int c) {
        long tp = counts[c][c];
        long predicted = 0;
        long actual = 0;
        for (int i = 0; i < counts.length; i++) {
            predicted += counts[i][c];
            actual += counts[c][i];
        }
        double p = predicted == 0 ? 0 : (double) tp / predicted;
        double r = actual == 0 ? 0 : (double) tp / actual;
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return new double[] {p, r, f1};
    }

    @Override
    public Map<String, Double> values() {
        Map<String, Double> v = new LinkedHashMap<>();
        double sp = 0;
        double sr = 0;
        double sf = 0;
        for (int c = 0; c < counts.length; c++) {
            double[] prf = precisionRecallF1(c);
            sp += prf[0];
            sr += prf[1];
            sf += prf[2];
        }
        v.put("macro_precision", sp / counts.length);
        v.put("macro_recall", sr / counts.length);
        v.put("macro_f1", sf / counts.length);
        return v;
    }

    /** A table of per-class precision, recall, F1 and support, as scikit-learn's classification_report. */
    public String report() {
        StringBuilder sb = new StringBuilder(String.format("%-16s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < counts.length; c++) {
            double[] prf = precisionRecallF1(c);
            long support = 0;
            for (long n : counts[c]) {
                support += n;
            }
            sb.append(String.format("%-16s %9.4f %9.4f %9.4f %9d%n", classes.get(c), prf[0], prf[1], prf[2], support));
        }
        Map<String, Double> m = values();
        sb.append(String.format("%-16s %9.4f %9.4f %9.4f%n", "macro avg", m.get("macro_precision"), m.get("macro_recall"), m.get("macro_f1")));
        return sb.toString();
    }

    @Override
    public void reset() {
        for (long[] row : counts) {
            java.util.Arrays.fill(row, 0);
        }
    }
}
