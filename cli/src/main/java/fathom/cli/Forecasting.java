package fathom.cli;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.nn.Gru;
import fathom.nn.Linear;
import fathom.nn.Module;
import fathom.nn.MseLoss;
import fathom.optim.Adam;
import fathom.optim.AdamConfig;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Time-series forecasting with a GRU, a sequence task that is not language modelling: the series
 * x_t = sin(2πt/40) + 0.5·sin(2πt/17 + 1) + ε_t, ε ~ N(0, σ²), is cut into windows of {@code window}
 * values, and a GRU(1, hidden) followed by Linear(hidden, 1) on its last state predicts the value after
 * each window. The first 80 % of the series trains (Adam, MSE), the windows whose target lies in the last
 * 20 % test; the metric is the test RMSE against the naive forecast (the window's last value) and against
 * the noise floor σ (no forecast can beat it on average).
 */
final class Forecasting {
    /** The sizes and training settings; {@link #standard()} is the example's. */
    record Config(int length, double noise, int window, int hidden, int epochs, int batchSize, double lr) {
        static Config standard() {
            return new Config(4000, 0.1, 48, 32, 20, 64, 1e-2);
        }
    }

    /** Test RMSE of the model and of the naive forecast. */
    record Result(double modelRmse, double naiveRmse, double noise) {}

    /** GRU(1, hidden) → Linear(hidden, 1) on the last hidden state: windows [T, B, 1] (time-major) give forecasts [B, 1]. */
    static final class Forecaster extends Module {
        final Gru gru;
        final Linear head;

        Forecaster(int hidden, Rng rng) {
            gru = child("gru", new Gru(1, hidden, rng));
            head = child("head", new Linear(hidden, 1, true, rng));
        }

        @Override
        public Tensor forward(Tensor windows) {
            return head.call(gru.run(windows, null).h().select(0, 0));
        }
    }

    private Forecasting() {}

    /** The noisy two-sine series of {@code n} values. */
    static double[] series(int n, double noise, Rng rng) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = Math.sin(2 * Math.PI * t / 40) + 0.5 * Math.sin(2 * Math.PI * t / 17 + 1) + noise * rng.nextGaussian();
        }
        return x;
    }

    /** Trains on the series and reports progress and the test result to {@code out}. */
    static Result run(Config c, long seed, PrintStream out) {
        Rng rng = new Rng(seed);
        double[] x = series(c.length(), c.noise(), rng.split());
        int cut = (int) (c.length() * 0.8);
        int[] trainStarts = java.util.stream.IntStream.rangeClosed(0, cut - c.window() - 1).toArray();
        int[] testStarts = java.util.stream.IntStream.rangeClosed(cut - c.window(), c.length() - c.window() - 1).toArray();
        Forecaster model = new Forecaster(c.hidden(), rng.split());
        Adam opt = new Adam(model.parameters(), new AdamConfig(c.lr(), 0.9, 0.999, 1e-8, 0, false));
        MseLoss mse = new MseLoss();
        Rng shuffle = rng.split();
        out.printf(Locale.ROOT, "Series: %d values of sin(2πt/40) + 0.5·sin(2πt/17 + 1) + N(0, %.2f²); windows of %d predict the next value; "
                + "%d training and %d test windows%n", c.length(), c.noise(), c.window(), trainStarts.length, testStarts.length);
        out.printf("Model: GRU(1, %d) -> Linear(%d, 1), %,d parameters; Adam lr %s, batch %d, %d epochs%n", c.hidden(), c.hidden(),
                model.parameterCount(), c.lr(), c.batchSize(), c.epochs());
        for (int epoch = 1; epoch <= c.epochs(); epoch++) {
            int[] order = trainStarts.clone();
            for (int i = order.length - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double sum = 0;
            for (int from = 0; from < order.length; from += c.batchSize()) {
                int[] starts = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + c.batchSize()));
                Tensor loss = mse.apply(model.call(windows(x, starts, c.window())), targets(x, starts, c.window()));
                opt.zeroGrad(false);
                loss.backward();
                opt.step();
                sum += loss.item() * starts.length;
            }
            out.printf(Locale.ROOT, "epoch %d/%d: train RMSE %.4f, test RMSE %.4f%n", epoch, c.epochs(), Math.sqrt(sum / order.length),
                    testRmse(model, x, testStarts, c.window()));
        }
        double naive = 0;
        for (int s : testStarts) {
            double d = x[s + c.window()] - x[s + c.window() - 1];
            naive += d * d;
        }
        Result r = new Result(testRmse(model, x, testStarts, c.window()), Math.sqrt(naive / testStarts.length), c.noise());
        out.printf(Locale.ROOT, "Test RMSE: GRU %.4f, naive (repeat the last value) %.4f, noise floor %.4f: the GRU's error is %.0f%% of the naive one's%n",
                r.modelRmse(), r.naiveRmse(), r.noise(), 100 * r.modelRmse() / r.naiveRmse());
        return r;
    }

    private static double testRmse(Module model, double[] x, int[] starts, int window) {
        model.eval();
        try (var _ = Autograd.noGrad()) {
            Tensor err = model.call(windows(x, starts, window)).sub(targets(x, starts, window));
            return Math.sqrt(err.mul(err).mean().item());
        } finally {
            model.train();
        }
    }

    /** The windows starting at {@code starts}, time-major [window, B, 1]. */
    private static Tensor windows(double[] x, int[] starts, int window) {
        float[] v = new float[window * starts.length];
        for (int t = 0; t < window; t++) {
            for (int b = 0; b < starts.length; b++) {
                v[t * starts.length + b] = (float) x[starts[b] + t];
            }
        }
        return Tensors.of(v, window, starts.length, 1);
    }

    /** The value after each window, [B, 1]. */
    private static Tensor targets(double[] x, int[] starts, int window) {
        float[] v = new float[starts.length];
        for (int b = 0; b < starts.length; b++) {
            v[b] = (float) x[starts[b] + window];
        }
        return Tensors.of(v, starts.length, 1);
    }
}
