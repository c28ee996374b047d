package fathom.train;

import fathom.Tensor;
import fathom.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** PNG charts drawn with Java2D: curves of logs per epoch, a confusion matrix heat map, captioned image grids and convolution filters. */
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

    /**
     * A grid of images, each captioned "predicted (true)" beneath; wrong predictions are framed and
     * captioned in red. images [N, C, H, W] with C = 1 (grey) or 3 (RGB), each image scaled from its own
     * minimum to its maximum, so normalized inputs show as well as [0, 1] ones; {@code predicted} and
     * {@code truth} are class indices into {@code classes}, one per image.
     */
    public static void predictions(Path png, Tensor images, int[] predicted, int[] truth, List<String> classes) {
        int n = images.size(0);
        if (predicted.length != n || truth.length != n) {
            throw new IllegalArgumentException("predictions: " + n + " images but " + predicted.length + " predictions and " + truth.length + " labels");
        }
        int cols = Math.min(8, Math.max(1, n));
        int rows = (n + cols - 1) / cols;
        int scale = Math.max(1, 96 / Math.max(images.size(2), images.size(3)));
        int iw = images.size(3) * scale;
        int ih = images.size(2) * scale;
        int cw = Math.max(iw, 110) + 12;
        int ch = ih + 36;
        long wrong = java.util.stream.IntStream.range(0, n).filter(i -> predicted[i] != truth[i]).count();
        BufferedImage img = new BufferedImage(cols * cw + 20, rows * ch + 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, "Test images: predicted (true); " + wrong + " of " + n + " wrong, in red");
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < n; i++) {
            int x = 10 + (i % cols) * cw + (cw - iw) / 2;
            int y = 50 + (i / cols) * ch;
            g.drawImage(picture(images.select(0, i), scale), x, y, null);
            boolean ok = predicted[i] == truth[i];
            g.setColor(ok ? new Color(0, 110, 0) : new Color(200, 0, 0));
            if (!ok) {
                g.setStroke(new BasicStroke(3));
                g.drawRect(x - 2, y - 2, iw + 3, ih + 3);
            }
            String caption = clip(classes.get(predicted[i])) + (ok ? "" : " (" + clip(classes.get(truth[i])) + ")");
            int tx = 10 + (i % cols) * cw + Math.max(0, (cw - g.getFontMetrics().stringWidth(caption)) / 2);
            g.drawString(caption, tx, y + ih + 16);
        }
        g.dispose();
        write(png, img);
    }

    /**
     * A convolution's filters as a grid of small pictures: weight [O, C, kH, kW] with C = 3 shown as RGB,
     * otherwise channel 0 in grey (mid-grey is zero); all filters share one scale, ±max |w|, so their
     * strengths compare.
     */
    public static void filters(Path png, String title, Tensor weight) {
        if (weight.dim() != 4) {
            throw new fathom.ShapeException("filters: expected a convolution weight [O, C, kH, kW], got " + weight.shape());
        }
        int o = weight.size(0);
        int c = weight.size(1) == 3 ? 3 : 1;
        int kh = weight.size(2);
        int kw = weight.size(3);
        float[] w = weight.detach().contiguous().to(fathom.DType.FLOAT32).toFloatArray();
        float max = 1e-12f;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        int scale = Math.max(4, 48 / Math.max(kh, kw));
        int cols = Math.min(16, o);
        int rows = (o + cols - 1) / cols;
        int cell = Math.max(kh, kw) * scale + 8;
        BufferedImage img = new BufferedImage(Math.max(cols * cell + 20, 420), rows * cell + 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        int per = weight.size(1) * kh * kw;
        for (int f = 0; f < o; f++) {
            BufferedImage tile = new BufferedImage(kw * scale, kh * scale, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < kh * scale; y++) {
                for (int x = 0; x < kw * scale; x++) {
                    int[] rgb = new int[3];
                    for (int k = 0; k < 3; k++) {
                        float v = w[f * per + (c == 3 ? k : 0) * kh * kw + (y / scale) * kw + x / scale];
                        rgb[k] = Math.round(255 * Math.clamp(0.5f + 0.5f * v / max, 0f, 1f));
                    }
                    tile.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                }
            }
            g.drawImage(tile, 10 + (f % cols) * cell, 50 + (f / cols) * cell, null);
        }
        g.dispose();
        write(png, img);
    }

    /** image [C, H, W] (C = 1 or 3, else channel 0), min-max scaled, enlarged {@code scale} times by pixel repetition. */
    private static BufferedImage picture(Tensor image, int scale) {
        int c = image.size(0) == 3 ? 3 : 1;
        int h = image.size(1);
        int w = image.size(2);
        float[] v = image.detach().contiguous().to(fathom.DType.FLOAT32).toFloatArray();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < c * h * w; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        float range = Math.max(hi - lo, 1e-12f);
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    float p = (v[(c == 3 ? k : 0) * h * w + (y / scale) * w + x / scale] - lo) / range;
                    rgb = rgb << 8 | Math.round(255 * p);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
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
        try {
            AtomicFile.write(png, tmp -> {
                if (!ImageIO.write(img, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer available");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + png + ": " + e.getMessage(), e);
        }
    }
}
