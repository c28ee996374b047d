package fathom.train;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.Safetensors;
import fathom.nn.Module;
import fathom.optim.LrScheduler;
import fathom.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file: the model's state dict under {@code model.}, the
 * optimizer's under {@code optimizer.}, the schedule's under {@code scheduler.}, each named
 * {@link Rng}'s two-long state under {@code rng.} (the model's own generators, such as dropout's, under
 * {@code rng.model.}), the state of {@link StatefulCallback}s (early stopping) under {@code callback.},
 * and the position (next epoch, steps taken) and any caller metadata as string metadata. Written
 * atomically (temp file, fsync, rename). Restoring all of it in a new JVM continues the run exactly as if
 * it had not stopped (same thread count).
 */
public final class Checkpoint {
    static final String FORMAT = "fathom-checkpoint-1";
    /** Where the model's own generators (dropout masks) are saved: {@code rng.model.<module path>.<name>}. */
    private static final String MODEL_RNG = "rng.model.";
    private static final String CALLBACK = "callback.";

    private Checkpoint() {}

    /**
     * What a checkpoint restores besides the objects it loads into: position, generators, metadata, and
     * the callbacks' state as {@code <stateName>.<key>} (hand it to {@link Trainer#resumeFrom}).
     */
    public record Restored(int epoch, long step, Map<String, Rng> rngs, Map<String, String> metadata, Map<String, Tensor> callbacks) {}

    /** Saves everything a resumed run needs except callback state; {@code scheduler} may be null. */
    public static void save(Path file, Module model, Optimizer<?> optimizer, LrScheduler scheduler, Map<String, Rng> rngs,
            int nextEpoch, long step, Map<String, String> metadata) {
        save(file, model, optimizer, scheduler, rngs, Map.of(), nextEpoch, step, metadata);
    }

    /**
     * Saves everything a resumed run needs, with {@code callbackState} ({@link TrainState#callbackState()})
     * under {@code callback.}; {@code scheduler} may be null.
     */
    public static void save(Path file, Module model, Optimizer<?> optimizer, LrScheduler scheduler, Map<String, Rng> rngs,
            Map<String, Tensor> callbackState, int nextEpoch, long step, Map<String, String> metadata) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> t.put("model." + k, v));
        optimizer.stateDict().forEach((k, v) -> t.put("optimizer." + k, v));
        if (scheduler != null) {
            scheduler.stateDict().forEach((k, v) -> t.put("scheduler." + k, v));
        }
        rngs.forEach((k, r) -> t.put("rng." + k, Tensors.of(r.state())));
        model.namedGenerators().forEach((k, r) -> t.put(MODEL_RNG + k, Tensors.of(r.state())));
        callbackState.forEach((k, v) -> t.put(CALLBACK + k, v));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(nextEpoch));
        meta.put("step", Long.toString(step));
        try {
            Safetensors.write(file, t, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the metadata and generators (for example to rebuild the model a checkpoint describes). */
    public static Safetensors.Contents read(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new IOException(file + " is not a Fathom checkpoint (metadata format is " + c.metadata().get("format")
                    + ", expected " + FORMAT + ")");
        }
        return c;
    }

    /**
     * Loads the model, optimizer and (if not null) schedule states in place and returns the rest; pass it
     * to {@link Trainer#resumeFrom} to restore the callbacks' state and position.
     */
    public static Restored load(Path file, Module model, Optimizer<?> optimizer, LrScheduler scheduler) throws IOException {
        Safetensors.Contents c = read(file);
        model.loadStateDict(section(c, "model."), true);
        optimizer.loadStateDict(section(c, "optimizer."));
        if (scheduler != null) {
            scheduler.loadStateDict(section(c, "scheduler."));
        }
        Map<String, Rng> rngs = new LinkedHashMap<>();
        section(c, "rng.").forEach((k, v) -> {
            if (v.dtype() != DType.INT64 || v.numel() != 2) {
                throw new IllegalArgumentException(file + ": rng." + k + " must be two int64 values, got " + v.shape() + " " + v.dtype());
            }
            rngs.put(k, Rng.restore(v.toLongArray()));
        });
        model.namedGenerators().forEach((k, r) -> {
            Rng saved = rngs.remove("model." + k);
            if (saved == null) {
                throw new IllegalArgumentException(file + ": no state for the model's generator " + k + " (" + MODEL_RNG + k + ")");
            }
            r.restoreInPlace(saved.state());
        });
        Map<String, String> meta = c.metadata();
        return new Restored(Integer.parseInt(meta.get("epoch")), Long.parseLong(meta.get("step")), rngs, meta, section(c, CALLBACK));
    }

    private static Map<String, Tensor> section(Safetensors.Contents c, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
