package fathom.cli;

import fathom.Rng;
import fathom.io.Safetensors;
import fathom.nn.Module;
import fathom.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory {@code fathom train} wrote: the model it describes, rebuilt and loaded with the trained weights. */
record RunDirectory(Path dir, ModelSpec spec, Module model) {
    static RunDirectory open(Path dir) throws IOException {
        Path ckpt = dir.resolve("checkpoint.safetensors");
        Path weights = dir.resolve("model.safetensors");
        if (!Files.exists(ckpt) || !Files.exists(weights)) {
            throw new IOException(dir + " is not a training run: it needs checkpoint.safetensors and model.safetensors"
                    + " (written by 'fathom train --output " + dir + "')");
        }
        Safetensors.Contents c = Checkpoint.read(ckpt);
        if ("language-model".equals(c.metadata().get("task"))) {
            throw new IllegalArgumentException(dir + " is a language-model run (" + c.metadata().get("model") + ", trained with --text): "
                    + "'fathom sample --run " + dir + "' generates text from it, 'fathom summary --run " + dir + "' lists its layers, "
                    + "and its validation bits per character are in its log; eval and predict are for classifiers");
        }
        ModelSpec spec = ModelSpec.fromMetadata(c.metadata());
        Module model = spec.create(new Rng(0), null);
        model.load(weights);
        model.eval();
        return new RunDirectory(dir, spec, model);
    }
}
