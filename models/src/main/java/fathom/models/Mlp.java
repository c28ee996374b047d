package fathom.models;

import fathom.Rng;
import fathom.nn.Flatten;
import fathom.nn.Linear;
import fathom.nn.Module;
import fathom.nn.Relu;
import fathom.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multi-layer perceptron: Flatten, then Linear and ReLU for each hidden width, then a Linear to the
 * classes: [B, ...] → [B, classes] logits.
 *
 * <p>Built as a {@link Sequential} whose state-dict keys equal PyTorch's
 * {@code nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), ...)} ("1.weight", "1.bias", ...),
 * so weights move between the two unchanged.
 */
public final class Mlp {
    private Mlp() {}

    /** The layer sizes of an MLP: input features, hidden widths, classes. */
    public record Config(int inputs, int[] hidden, int classes) {
        public Config {
            if (inputs <= 0 || classes <= 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
                throw new IllegalArgumentException("MLP sizes must be positive: inputs " + inputs + ", hidden "
                        + Arrays.toString(hidden) + ", classes " + classes);
            }
            hidden = hidden.clone();
        }

        /** The Fashion-MNIST MLP of the training issue: 784-512-256-10. */
        public static Config fashionMnist() {
            return new Config(784, new int[] {512, 256}, 10);
        }

        /** As text, e.g. {@code 784-512-256-10}. */
        public String describe() {
            StringBuilder sb = new StringBuilder().append(inputs);
            for (int h : hidden) {
                sb.append('-').append(h);
            }
            return sb.append('-').append(classes).toString();
        }

        /** Parses {@link #describe()}'s form. */
        public static Config parse(String text) {
            int[] v = Arrays.stream(text.split("-")).mapToInt(Integer::parseInt).toArray();
            if (v.length < 2) {
                throw new IllegalArgumentException("an MLP is written inputs-hidden...-classes, got " + text);
            }
            return new Config(v[0], Arrays.copyOfRange(v, 1, v.length - 1), v[v.length - 1]);
        }
    }

    /** A new MLP with PyTorch's default initialization drawn from {@code rng}. */
    public static Sequential create(Config config, Rng rng) {
        List<Module> layers = new ArrayList<>();
        layers.add(new Flatten());
        int in = config.inputs();
        for (int h : config.hidden()) {
            layers.add(new Linear(in, h, true, rng));
            layers.add(new Relu());
            in = h;
        }
        layers.add(new Linear(in, config.classes(), true, rng));
        return new Sequential(layers);
    }
}
