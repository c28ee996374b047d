package fathom.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** PNG charts drawn with Java2D: curves of logs per epoch, and a confusion matrix heat map. */
public final class Plots {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40)};
    private static final int W = 800;
    private static final int H = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private Plots() {}

    /** One line per series (values per epoch, epoch 1 first) on shared axes, with a legend. */
    public static void curves(Path png, String title, String yLabel, Map<String, double[]> series) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double[] s : series.values()) {
            n = Math.max(n, s.length);
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t <= 5; t++) {
            double v = lo + (hi - lo) * t / 5;
            int y = TOP + ph - (int) Math.round(ph * (v - lo) / (hi - lo));
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT + 1, y, LEFT + pw - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", v), 8, y + 4);
        }
        int ticks = Math.min(n, 10);
        for (int t = 0; t < ticks; t++) {
            int epoch = n <= 1 ? 1 : 1 + (int) Math.round((double) t * (n - 1) / Math.max(1, ticks - 1));
            g.drawString(Integer.toString(epoch), x(epoch, n, pw) - 4, TOP + ph + 18);
        }
        g.drawString("epoch", LEFT + pw / 2 - 15, H - 15);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + ph / 2) - 20, 20);
        g.rotate(Math.PI / 2);
        int k = 0;
        for (var e : series.entrySet()) {
            Color c = PALETTE[k % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2.2f));
            double[] s = e.getValue();
            for (int i = 0; i < s.length; i++) {
                int px = x(i + 1, n, pw);
                int py = TOP + ph - (int) Math.round(ph * (s[i] - lo) / (hi - lo));
                g.fillOval(px - 3, py - 3, 7, 7);
                if (i > 0) {
                    int qx = x(i, n, pw);
                    int qy = TOP + ph - (int) Math.round(ph * (s[i - 1] - lo) / (hi - lo));
                    g.drawLine(qx, qy, px, py);
                }
            }
            g.fillRect(LEFT + pw - 150, TOP + 12 + 20 * k, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), LEFT + pw - 130, TOP + 18 + 20 * k);
            k++;
        }
        g.dispose();
        write(png, img);
    }

    private static int x(int epoch, int n, int pw) {
        return LEFT + (n <= 1 ? pw / 2 : (int) Math.round((double) pw * (epoch - 1) / (n - 1)));
    }

    /** The matrix as a heat map with counts in the cells; rows are true classes, columns predicted ones. */
    public static void confusionMatrix(Path png, long[][] counts, List<String> classes) {
        int n = counts.length;
        int cell = Math.max(28, Math.min(60, 560 / Math.max(1, n)));
        int left = 130;
        int top = 60;
        int w = left + n * cell + 30;
        int h = top + n * cell + 110;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "Confusion matrix (rows: true, columns: predicted)");
        long max = 1;
        for (long[] row : counts) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, cell / 3)));
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                float t = (float) Math.sqrt((double) counts[r][c] / max);
                g.setColor(new Color(1 - 0.8f * t, 1 - 0.55f * t, 1 - 0.25f * t));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
                g.setColor(t > 0.6f ? Color.WHITE : Color.BLACK);
                String s = Long.toString(counts[r][c]);
                g.drawString(s, left + c * cell + (cell - g.getFontMetrics().stringWidth(s)) / 2, top + r * cell + cell / 2 + 4);
            }
            g.setColor(Color.BLACK);
            g.drawString(clip(classes.get(r)), 8, top + r * cell + cell / 2 + 4);
        }
        for (int c = 0; c < n; c++) {
            g.rotate(Math.PI / 2.5, left + c * cell + cell / 2.0, top + n * cell + 8);
            g.drawString(clip(classes.get(c)), left + c * cell + cell / 2, top + n * cell + 12);
            g.rotate(-Math.PI / 2.5, left + c * cell + cell / 2.0, top + n * cell + 8);
        }
        g.dispose();
        write(png, img);
    }

    private static String clip(String s) {
        return s.length() > 16 ? s.substring(0, 15) + "…" : s;
    }

    private static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 30);
        return g;
    }

    private static void write(Path png, BufferedImage img) {
        AtomicFile.write(png, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new java.io.IOException("no PNG writer available");
            }
        });
    }
}
