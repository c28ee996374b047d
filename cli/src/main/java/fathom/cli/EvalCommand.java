package fathom.cli;

import fathom.Rng;
import fathom.data.DataLoader;
import fathom.data.LoaderConfig;
import fathom.nn.CrossEntropyLoss;
import fathom.optim.Sgd;
import fathom.train.Accuracy;
import fathom.train.ConfusionMatrix;
import fathom.train.Trainer;
import fathom.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fathom eval}: a trained run's accuracy, top-3 accuracy and per-class report on a test split. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a trained run on the test split.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", defaultValue = "runs/mlp", description = "The directory 'fathom train' wrote (default: ${DEFAULT-VALUE}).")
    Path run;

    @Option(names = "--data", defaultValue = "fashion-mnist", description = "Data to evaluate on (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--target", description = "The class column, when --data is a CSV file.")
    String target;

    @Option(names = "--seed", defaultValue = "0", description = "The seed the run was trained with (it chose a CSV file's test rows).")
    long seed;

    @Override
    public Integer call() throws Exception {
        RunDirectory r = RunDirectory.open(run);
        TrainingData d = TrainingData.load(data, target, seed);
        Trainer t = new Trainer(r.model(), new CrossEntropyLoss(), new Sgd(r.model().parameters(), 0.0), List.of(), List.of(), new TrainConfig(0));
        ConfusionMatrix cm = new ConfusionMatrix(r.spec().classes());
        Map<String, Double> v = t.evaluate(new DataLoader(d.test(), new LoaderConfig(1000, false), new Rng(0)),
                List.of(new Accuracy(), new Accuracy(3), cm));
        System.out.printf("%s on %s (%d test samples)%n", r.spec().describe(), d.description(), d.test().size());
        System.out.printf("accuracy %.2f%%, top-3 accuracy %.2f%%, loss %.4f%n", 100 * v.get("accuracy"), 100 * v.get("top3_accuracy"), v.get("loss"));
        System.out.println(cm.report());
        return 0;
    }
}
