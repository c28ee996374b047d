package fathom.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the epoch logs as CSV (a header, one row per epoch) or as JSON lines (one object per epoch),
 * rewritten whole and atomically after each epoch so the file is never half-written.
 */
public final class LogFile implements Callback {
    private final Path file;
    private final boolean jsonLines;
    private final List<String> lines = new ArrayList<>();
    private final long start = System.nanoTime();
    private List<String> columns;

    /** A CSV log, or JSON lines when {@code jsonLines}. */
    public LogFile(Path file, boolean jsonLines) {
        this.file = file;
        this.jsonLines = jsonLines;
    }

    @Override
    public void onEpochEnd(TrainState state, Map<String, Double> logs) {
        double seconds = (System.nanoTime() - start) / 1e9;
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
        AtomicFile.writeString(file, String.join("\n", lines) + "\n");
    }
}
