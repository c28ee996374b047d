package fathom.train;

import fathom.data.DataFormatException;
import fathom.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the epoch logs as CSV (a header {@code epoch,step,seconds,<log names>}, one row per epoch) or as
 * JSON lines (one object per epoch), rewritten whole and atomically after each epoch so the file is never
 * half-written. {@code seconds} is the training time elapsed since the run began.
 *
 * <p>A resumed fit (one that begins past epoch 0, see {@link Trainer#resumeFrom}) continues the existing
 * log: it keeps the rows up to and including the epoch it resumes after, drops later rows (written by
 * the interrupted run after its last checkpoint), keeps the CSV header's columns, counts {@code seconds}
 * on from the last kept row and appends its own epochs. A missing log starts anew. A log that this class
 * could not have written (a wrong header, a row with the wrong number of fields or a value that is not a
 * number, epochs out of order) is an error naming the file and line; it is never overwritten, so move it
 * away to start a new log. A fit that begins at epoch 0 replaces any existing log.
 */
public final class LogFile implements Callback {
    private static final Pattern JSON_ROW = Pattern.compile("\\{\"epoch\": (\\d+), \"step\": (\\d+), \"seconds\": ([0-9.]+)(, .*)?}");
    private final Path file;
    private final boolean jsonLines;
    private final List<String> lines = new ArrayList<>();
    private long start = System.nanoTime();
    private double secondsBefore;
    private List<String> columns;

    /** A CSV log, or JSON lines when {@code jsonLines}. */
    public LogFile(Path file, boolean jsonLines) {
        this.file = file;
        this.jsonLines = jsonLines;
    }

    @Override
    public void onTrainBegin(TrainState state) {
        lines.clear();
        columns = null;
        secondsBefore = 0;
        if (state.epoch() > 0 && Files.exists(file)) {
            try {
                keepRowsUpTo(state.epoch());
            } catch (DataFormatException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the log " + file + " to continue it: " + e.getMessage(), e);
            }
        }
        start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
        if (jsonLines) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"epoch\": %d, \"step\": %d, \"seconds\": %.3f",
                    state.epoch() + 1, state.step(), seconds));
            logs.forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", \"%s\": %s", k, Double.isFinite(v) ? Double.toString(v) : "null")));
            lines.add(sb.append('}').toString());
        } else {
            if (columns == null) {
                columns = List.copyOf(logs.keySet());
                lines.add("epoch,step,seconds," + String.join(",", columns));
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d,%d,%.3f", state.epoch() + 1, state.step(), seconds));
            for (String c : columns) {
                Double v = logs.get(c);
                sb.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
            }
            lines.add(sb.toString());
        }
        try {
            AtomicFile.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the existing log into {@link #lines}, keeping the rows of epochs 1 to {@code lastEpoch} (1-based, inclusive). */
    private void keepRowsUpTo(int lastEpoch) throws IOException {
        List<String> all = Files.readAllLines(file);
        int first = 0;
        int fields = 0;
        if (!jsonLines && !all.isEmpty()) {
            String header = all.get(0);
            String[] h = header.split(",", -1);
            if (h.length < 3 || !h[0].equals("epoch") || !h[1].equals("step") || !h[2].equals("seconds")) {
                throw malformed(1, 0, "a CSV log's header starts with epoch,step,seconds, this one is '" + header + "'");
            }
            columns = List.of(h).subList(3, h.length);
            lines.add(header);
            fields = h.length;
            first = 1;
        }
        int previous = 0;
        for (int i = first; i < all.size(); i++) {
            String line = all.get(i);
            if (line.isBlank()) {
                continue;
            }
            String epoch;
            String seconds;
            if (jsonLines) {
                Matcher m = JSON_ROW.matcher(line);
                if (!m.matches()) {
                    throw malformed(i + 1, 0, "a JSON-lines log's row starts {\"epoch\": <n>, \"step\": <n>, \"seconds\": <s>, this one is '" + line + "'");
                }
                epoch = m.group(1);
                seconds = m.group(3);
            } else {
                String[] f = line.split(",", -1);
                if (f.length != fields) {
                    throw malformed(i + 1, 0, f.length + " fields, the header has " + fields);
                }
                epoch = f[0];
                seconds = f[2];
                if (!f[1].matches("\\d+")) {
                    throw malformed(i + 1, 2, "the step '" + f[1] + "' is not a whole number");
                }
            }
            if (!epoch.matches("\\d{1,9}")) {
                throw malformed(i + 1, 1, "the epoch '" + epoch + "' is not a whole number");
            }
            int e = Integer.parseInt(epoch);
            if (e <= previous) {
                throw malformed(i + 1, 1, "epoch " + e + " follows epoch " + previous);
            }
            previous = e;
            if (e > lastEpoch) {
                break; // written after the checkpoint the run resumes from
            }
            double s;
            try {
                s = Double.parseDouble(seconds);
            } catch (NumberFormatException x) {
                s = Double.NaN;
            }
            if (!(s >= secondsBefore) || Double.isInfinite(s)) {
                throw malformed(i + 1, 3, "the seconds '" + seconds + "' are not a finite number at least the previous row's " + secondsBefore);
            }
            secondsBefore = s;
            lines.add(line);
        }
    }

    private DataFormatException malformed(int line, int column, String what) {
        return new DataFormatException(file.toString(), line, column, what + " (move it away to start a new log)");
    }
}
