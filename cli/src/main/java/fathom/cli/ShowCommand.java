package fathom.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fathom show}: pictures of a trained run, its predictions on test images and its first convolution's filters. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Write predictions.png (test images with predicted and true classes, wrong ones in red) and filters.png"
                + " (the first convolution's filters) for a trained run.")
final class ShowCommand implements Callable<Integer> {
    @Option(names = "--run", defaultValue = "runs/mlp", description = "The directory 'fathom train' wrote (default: ${DEFAULT-VALUE}).")
    Path run;

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "Data whose test split to show (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--output", description = "Where to write the pictures (default: the run directory).")
    Path output;

    @Override
    public Integer call() throws Exception {
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
