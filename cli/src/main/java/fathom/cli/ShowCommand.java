package fathom.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code fathom show}: pictures of a trained run, its predictions on test images and its first convolution's filters. */
final class ShowCommand implements Subcommand {
    Path run;
    String data;
    Path output;

    @Override
    public void declare(Options o) {
        o.option("--run", "runs/mlp", "The directory 'fathom train' wrote", Options.PATH, v -> run = v);
        o.option("--data", "fashion-mnist", "Data whose test split to show", Options.TEXT, v -> data = v);
        o.option("--output", null, "Where to write the pictures (default: the run directory).", Options.PATH, v -> output = v);
    }

    @Override
    public int run() throws Exception {
        RunDirectory r = RunDirectory.open(run);
        if (r.spec().standardize()) {
            throw new IllegalArgumentException(run + " was trained on tabular data; there are no images to show");
        }
        TrainingData d = TrainingData.load(data, null, 0);
        Path dir = output != null ? output : run;
        Files.createDirectories(dir);
        var written = Pictures.write(r.model(), d.test(), r.spec().classes(), dir);
        System.out.printf("Wrote to %s: %s%n", dir, String.join(", ", written));
        return 0;
    }
}
