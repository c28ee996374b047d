package fathom.train;

import java.io.PrintStream;

/**
 * A one-line progress bar with count, rate, ETA and a caller-supplied status (running loss, accuracy);
 * redrawn in place on a terminal, printed as plain lines (about ten per run) when output is a file or pipe.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;

    private final String label;
    private final int total;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private int done;
    private int lastPlainDecile = -1;

    public ProgressBar(String label, int total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = System.console() != null && System.console().isTerminal();
    }

    /** Advances by one and shows {@code status}. */
    public void step(String status) {
        done++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        int filled = (int) ((long) WIDTH * done / total);
        String line = String.format("%s [%s%s] %d/%d  %s  %.1fs elapsed, ETA %.1fs", label, "=".repeat(filled),
                " ".repeat(WIDTH - filled), done, total, status, elapsed, eta);
        if (terminal) {
            out.print("\r" + line);
            if (done == total) {
                out.println();
            }
        } else {
            int decile = 10 * done / total;
            if (decile != lastPlainDecile || done == total) {
                lastPlainDecile = decile;
                out.println(line);
            }
        }
        out.flush();
    }
}
