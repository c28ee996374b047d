package fathom.cli;

import fathom.Rng;
import fathom.cpu.Parallel;
import fathom.data.Compose;
import fathom.data.DataLoader;
import fathom.data.Dataset;
import fathom.data.RandomCrop;
import fathom.data.RandomErasing;
import fathom.data.RandomHorizontalFlip;
import fathom.data.Transform;
import fathom.data.TransformedDataset;
import fathom.data.LoaderConfig;
import fathom.io.AtomicFile;
import fathom.nn.CrossEntropyLoss;
import fathom.nn.Module;
import fathom.optim.CosineAnnealingLr;
import fathom.optim.LrScheduler;
import fathom.optim.Optimizer;
import fathom.train.Accuracy;
import fathom.train.Callback;
import fathom.train.Checkpoint;
import fathom.train.CheckpointCallback;
import fathom.train.ConfusionMatrix;
import fathom.train.EarlyStopping;
import fathom.train.LogFile;
import fathom.train.PlotCallback;
import fathom.train.Plots;
import fathom.train.ProgressCallback;
import fathom.train.ScheduleCallback;
import fathom.train.TrainConfig;
import fathom.train.TrainState;
import fathom.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code fathom train}: trains a classifier with a progress bar and writes model, checkpoint, log and plots. */
final class TrainCommand implements Subcommand {
    String model;
    int[] hidden;
    int width;
    int[] blocks;
    boolean augment;
    String data;
    String target;
    int epochs;
    int batchSize;
    String optimizer;
    double lr;
    double momentum;
    double weightDecay;
    String schedule;
    double clip;
    int patience;
    long seed;
    Integer threads;
    int workers;
    Path output;
    String logFormat;
    boolean resume;

    final TextOptions textOptions = new TextOptions();
    private Options options;

    @Override
    public void declare(Options o) {
        o.option("--model", "mlp", "Model family: mlp, lenet, vgg or resnet; with --text char-lstm or gpt", Options.TEXT, v -> model = v);
        o.option("--hidden", "512,256", "Hidden layer widths of the MLP", Options.INTS, v -> hidden = v);
        o.option("--width", null, "First-stage channels of vgg (default 32) or resnet (default 64, ResNet-18; 16 or 32 train far faster); with --text the LSTM's hidden size (256) or the GPT's d_model (128).",
                Options.INT, v -> width = v);
        o.option("--blocks", null, "Basic blocks per resnet stage (default: 2,2,2,2, ResNet-18's layout).", Options.INTS, v -> blocks = v);
        o.flag("--augment", "Augment training images on the fly: random crop with padding H/8, horizontal flip, random erasing.", () -> augment = true);
        o.option("--data", "fashion-mnist", "fashion-mnist, fashion-mnist-sample, a directory of MNIST-layout IDX files or of CIFAR-10 binary batches (data_batch_1.bin ... test_batch.bin), or a .csv file with --target",
                Options.TEXT, v -> data = v);
        o.option("--target", null, "The class column, when --data is a CSV file.", Options.TEXT, v -> target = v);
        o.option("--epochs", "5", "Epochs", Options.INT, v -> epochs = v);
        o.option("--batch-size", "128", "Batch size", Options.INT, v -> batchSize = v);
        o.option("--optimizer", "sgd", "sgd, adam, adamw, rmsprop or adagrad", Options.TEXT, v -> optimizer = v);
        o.option("--lr", "0.05", "Learning rate", Options.NUMBER, v -> lr = v);
        o.option("--momentum", "0.9", "Momentum for sgd and rmsprop", Options.NUMBER, v -> momentum = v);
        o.option("--weight-decay", null, "Weight decay (default: 0; adamw uses 0.01 when 0).", Options.NUMBER, v -> weightDecay = v);
        o.option("--schedule", "none", "Learning-rate schedule: none or cosine, per epoch", Options.TEXT, v -> schedule = v);
        o.option("--clip-grad-norm", null, "Clip the gradient norm to this (0 = off, the default).", Options.NUMBER, v -> clip = v);
        o.option("--patience", null, "Stop after this many epochs without a better val_loss (0 = never, the default).", Options.INT, v -> patience = v);
        o.option("--seed", "0", "Seed for initialization and shuffling", Options.LONG, v -> seed = v);
        o.option("--threads", null, "Threads (default: all cores, or FATHOM_THREADS).", Options.INT, v -> threads = v);
        o.option("--workers", "0", "Background threads preparing batches", Options.INT, v -> workers = v);
        o.option("--output", "runs/mlp", "Directory for model, checkpoint, log and plots", Options.PATH, v -> output = v);
        o.option("--log-format", "csv", "csv or jsonl", Options.TEXT, v -> logFormat = v);
        o.flag("--resume", "Continue from --output's checkpoint.safetensors (the log and the --patience count continue too).", () -> resume = true);
        textOptions.declare(o);
        options = o;
    }

    @Override
    public int run() throws Exception {
        if (textOptions.text != null) {
            return TextTraining.run(this, textOptions, options.given(), System.out);
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        TrainingData d = TrainingData.load(data, target, seed);
        ModelSpec spec = ModelSpec.of(model, hidden, width, blocks, d.inputShape(), d.classes(), d.tabular());
        Rng root = new Rng(seed);
        Module net = spec.create(root.split(), d.tabularInputs());
        Rng shuffle = root.split();
        OptimizerChoice choice = OptimizerChoice.valueOf(optimizer.toUpperCase());
        Optimizer<?> opt = choice.create(net.parameters(), lr, momentum, weightDecay);
        LrScheduler sched = switch (schedule) {
            case "none" -> null;
            case "cosine" -> new CosineAnnealingLr(opt, epochs);
            default -> throw new IllegalArgumentException("unknown --schedule " + schedule + ": use none or cosine");
        };
        Checkpoint.Restored restored = null;
        Path ckpt = output.resolve("checkpoint.safetensors");
        if (resume) {
            if (!Files.exists(ckpt)) {
                throw new IllegalArgumentException("--resume: no checkpoint at " + ckpt);
            }
            restored = Checkpoint.load(ckpt, net, opt, sched);
            shuffle = restored.rngs().get("shuffle");
            System.out.printf("Resuming from %s at epoch %d (step %d)%n", ckpt, restored.epoch() + 1, restored.step());
        }
        int startEpoch = restored == null ? 0 : restored.epoch();
        System.out.printf("Data: %s, %d training and %d test samples%n", d.description(), d.train().size(), d.test().size());
        System.out.printf("Model: %s, %,d parameters; optimizer %s lr %s; %d threads%s%n", spec.describe(),
                net.parameterCount(), optimizer, lr, Parallel.threads(), augment ? "; augmenting training images" : "");
        Dataset trainSet = d.train();
        if (augment) {
            if (d.tabular()) {
                throw new IllegalArgumentException("--augment transforms images; " + data + " is tabular");
            }
            trainSet = new TransformedDataset(trainSet, augmentation(d.inputShape()));
        }
        DataLoader train = new DataLoader(trainSet, new LoaderConfig(batchSize, true, false, workers, 4), shuffle);
        DataLoader test = new DataLoader(d.test(), new LoaderConfig(1000, false), new Rng(0));
        List<Callback> callbacks = new ArrayList<>(List.of(new FirstBatchTimer(), new ProgressCallback(System.out),
                new LogFile(output.resolve(logFormat.equals("jsonl") ? "log.jsonl" : "log.csv"), logFormat.equals("jsonl"))));
        if (sched != null) {
            // before the checkpoint: it must save the schedule as the next epoch starts it, or a resumed run repeats an lr
            callbacks.add(new ScheduleCallback(sched, false, "val_loss"));
        }
        if (patience > 0) {
            // before the checkpoint too: it saves the best val_loss and the epochs waited, which this epoch may change
            callbacks.add(new EarlyStopping("val_loss", patience, 0, false));
        }
        // the curves so far are checkpoint state, so a resumed run plots every epoch
        callbacks.add(new PlotCallback(output));
        callbacks.add(new CheckpointCallback(output, sched, Map.of("shuffle", shuffle), spec.metadata()));
        Trainer trainer = new Trainer(net, new CrossEntropyLoss(), opt, List.of(new Accuracy()), callbacks, new TrainConfig(epochs, clip));
        if (restored != null) {
            // the log, early stopping and the loop continue where the checkpoint left off
            trainer.resumeFrom(restored);
        }
        long t0 = System.nanoTime();
        TrainState state = trainer.fit(train, test);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ConfusionMatrix cm = new ConfusionMatrix(d.classes());
        Map<String, Double> result = trainer.evaluate(test, List.of(new Accuracy(), cm));
        Plots.confusionMatrix(output.resolve("confusion.png"), cm.matrix(), d.classes());
        String report = cm.report();
        AtomicFile.writeString(output.resolve("report.txt"), report);
        System.out.printf("Trained %d epochs in %.1f s (%,.0f samples/s)%n", state.epoch() - startEpoch, seconds,
                (double) (state.epoch() - startEpoch) * d.train().size() / seconds);
        System.out.printf("Test accuracy: %.2f%% (test loss %.4f)%n", 100 * result.get("accuracy"), result.get("loss"));
        System.out.println(report);
        String pictures = "";
        if (spec.convolutional()) {
            pictures = ", " + String.join(", ", Pictures.write(net, d.test(), d.classes(), output));
        }
        System.out.printf("Wrote to %s: model.safetensors, checkpoint.safetensors, log.%s, loss.png, accuracy.png, confusion.png, report.txt%s%n",
                output, logFormat.equals("jsonl") ? "jsonl" : "csv", pictures);
        return 0;
    }

    /** Random crop (zero padding of H/8), horizontal flip and random erasing, each with torchvision's defaults otherwise. */
    static Transform augmentation(int[] imageShape) {
        return new Compose(new RandomCrop(imageShape[1], imageShape[2], Math.max(1, imageShape[1] / 8)), new RandomHorizontalFlip(),
                new RandomErasing());
    }

    /**
     * Prints how long after the JVM started the first batch finished training (the JVM's own start:
     * the launcher script execs java, so the process started earlier, before any build it ran).
     */
    private static final class FirstBatchTimer implements Callback {
        private boolean done;

        @Override
        public void onBatchEnd(TrainState state, double loss) {
            if (!done) {
                done = true;
                System.out.printf("First batch trained %d ms after the JVM started%n", ManagementFactory.getRuntimeMXBean().getUptime());
            }
        }
    }
}
