package fathom.models;

import fathom.Rng;
import fathom.nn.Conv2d;
import fathom.nn.Conv2dConfig;
import fathom.nn.Flatten;
import fathom.nn.Linear;
import fathom.nn.MaxPool2d;
import fathom.nn.Relu;
import fathom.nn.Sequential;

/**
 * LeNet-5 as in the CNN issue: conv 5×5 C→6 with padding 2, ReLU, max pool 2, conv 5×5 6→16, ReLU,
 * max pool 2, flatten, Linear 16·h·w→120, ReLU, Linear 120→84, ReLU, Linear 84→classes: x [N, C, H, W]
 * gives [N, classes] logits, with h = ⌊(⌊H/2⌋ − 4)/2⌋ (likewise w): 5×5, so 400 features, for 28×28
 * Fashion-MNIST; 6×6, so 576, for 32×32 CIFAR-10.
 *
 * <p>Built as a {@link Sequential} whose state-dict keys equal PyTorch's
 * {@code nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), ...)} ("0.weight",
 * "3.weight", "7.weight", "9.weight", "11.weight" and biases), so weights move between the two unchanged.
 * PyTorch's default initialization. ReLU and max pooling rather than the 1998 paper's tanh and
 * subsampling, as in the issue.
 */
public final class LeNet {
    private LeNet() {}

    /**
     * The input and output sizes of a LeNet.
     *
     * @param inChannels input channels (1 for Fashion-MNIST, 3 for CIFAR-10)
     * @param height input height, ≥ 12
     * @param width input width, ≥ 12
     * @param classes outputs
     */
    public record Config(int inChannels, int height, int width, int classes) {
        public Config {
            if (inChannels <= 0 || classes <= 0 || height < 12 || width < 12) {
                throw new IllegalArgumentException("LeNet needs positive channels and classes and an input of at least 12x12, got inChannels "
                        + inChannels + ", " + height + "x" + width + ", classes " + classes);
            }
        }

        /** LeNet for Fashion-MNIST: [1, 28, 28] inputs, 10 classes. */
        public static Config fashionMnist() {
            return new Config(1, 28, 28, 10);
        }

        /** Features after the second pooling: 16·h·w. */
        public int flattened() {
            return 16 * ((height / 2 - 4) / 2) * ((width / 2 - 4) / 2);
        }

        /** As text, e.g. {@code in=1 size=28x28 classes=10}. */
        public String describe() {
            return "in=" + inChannels + " size=" + height + "x" + width + " classes=" + classes;
        }

        /** Parses {@link #describe()}'s form. */
        public static Config parse(String text) {
            var v = Arch.parse("LeNet", text, "in", "size", "classes");
            String[] hw = v.get("size").split("x");
            return new Config(Integer.parseInt(v.get("in")), Integer.parseInt(hw[0]), Integer.parseInt(hw[1]), Integer.parseInt(v.get("classes")));
        }
    }

    /** A new LeNet with PyTorch's default initialization drawn from {@code rng}. */
    public static Sequential create(Config c, Rng rng) {
        return new Sequential(
                new Conv2d(new Conv2dConfig(c.inChannels(), 6, 5).withPadding(2), rng), new Relu(), new MaxPool2d(2),
                new Conv2d(new Conv2dConfig(6, 16, 5), rng), new Relu(), new MaxPool2d(2), new Flatten(),
                new Linear(c.flattened(), 120, true, rng), new Relu(),
                new Linear(120, 84, true, rng), new Relu(),
                new Linear(84, c.classes(), true, rng));
    }
}
