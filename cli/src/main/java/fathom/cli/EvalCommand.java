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

/** {@code fathom eval}: a trained run's accuracy, top-3 accuracy and per-class report on a test split. */
final class EvalCommand implements Subcommand {
    Path run;
    String data;
    String target;
    long seed;

    @Override
    public void declare(Options o) {
        o.option("--run", "runs/mlp", "The directory 'fathom train' wrote", Options.PATH, v -> run = v);
        o.option("--data", "fashion-mnist", "Data to evaluate on", Options.TEXT, v -> data = v);
        o.option("--target", null, "The class column, when --data is a CSV file.", Options.TEXT, v -> target = v);
        o.option("--seed", "0", "The seed the run was trained with (it chose a CSV file's test rows)", Options.LONG, v -> seed = v);
    }

    @Override
    public int run() throws Exception {
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
