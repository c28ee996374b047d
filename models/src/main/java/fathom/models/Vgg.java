package fathom.models;

import fathom.Rng;
import fathom.Tensor;
import fathom.nn.BatchNorm2d;
import fathom.nn.Conv2d;
import fathom.nn.Conv2dConfig;
import fathom.nn.Dropout;
import fathom.nn.Flatten;
import fathom.nn.Linear;
import fathom.nn.MaxPool2d;
import fathom.nn.Module;
import fathom.nn.Relu;
import fathom.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small VGG-style network (Simonyan and Zisserman, 2014, with BatchNorm): for each block width c,
 * [conv 3×3 (padding 1) → BatchNorm2d → ReLU] twice and a 2×2 max pool; then a classifier Flatten →
 * Linear(c·h·w, hidden) → ReLU → Dropout(0.5) → Linear(hidden, classes): x [N, C, H, W] gives
 * [N, classes] logits, with h = H / 2^blocks (floored each block; likewise w).
 *
 * <p>Children as torchvision's VGG: {@code features} (a Sequential: "features.0.weight" is the first
 * convolution, "features.1.running_mean" its BatchNorm, ...) and {@code classifier} ("classifier.1.weight",
 * "classifier.4.weight"), so the same {@code nn.Sequential} layout in PyTorch loads the weights. PyTorch's
 * default initialization.
 */
public final class Vgg extends Module {
    private final Sequential features;
    private final Sequential classifier;

    /**
     * The shape of a small VGG.
     *
     * @param inChannels input channels
     * @param height input height
     * @param width input width
     * @param widths the channels of each block (each halves the resolution)
     * @param hidden the classifier's hidden width
     * @param classes outputs
     */
    public record Config(int inChannels, int height, int width, int[] widths, int hidden, int classes) {
        public Config {
            if (inChannels <= 0 || classes <= 0 || hidden <= 0 || widths.length == 0 || Arrays.stream(widths).anyMatch(w -> w <= 0)) {
                throw new IllegalArgumentException("VGG sizes must be positive: inChannels " + inChannels + ", widths "
                        + Arrays.toString(widths) + ", hidden " + hidden + ", classes " + classes);
            }
            if (height >> widths.length == 0 || width >> widths.length == 0) {
                throw new IllegalArgumentException("VGG: " + widths.length + " blocks halve " + height + "x" + width + " to nothing");
            }
            widths = widths.clone();
        }

        /** Three blocks of 32, 64, 128 channels and a 256-wide classifier. */
        public static Config small(int inChannels, int height, int width, int classes) {
            return new Config(inChannels, height, width, new int[] {32, 64, 128}, 256, classes);
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        /** Features entering the classifier. */
        public int flattened() {
            return widths[widths.length - 1] * (height >> widths.length) * (width >> widths.length);
        }

        /** As text, e.g. {@code in=1 size=28x28 widths=32,64,128 hidden=256 classes=10}. */
        public String describe() {
            return "in=" + inChannels + " size=" + height + "x" + width + " widths="
                    + String.join(",", Arrays.stream(widths).mapToObj(Integer::toString).toList()) + " hidden=" + hidden + " classes=" + classes;
        }

        /** Parses {@link #describe()}'s form. */
        public static Config parse(String text) {
            var v = Arch.parse("Vgg", text, "in", "size", "widths", "hidden", "classes");
            String[] hw = v.get("size").split("x");
            return new Config(Integer.parseInt(v.get("in")), Integer.parseInt(hw[0]), Integer.parseInt(hw[1]), Arch.ints(v.get("widths")),
                    Integer.parseInt(v.get("hidden")), Integer.parseInt(v.get("classes")));
        }
    }

    /** A new network with PyTorch's default initialization drawn from {@code rng}; dropout draws from a split of it. */
    public Vgg(Config c, Rng rng) {
        List<Module> features = new ArrayList<>();
        int in = c.inChannels();
        for (int w : c.widths()) {
            for (int i = 0; i < 2; i++) {
                features.add(new Conv2d(new Conv2dConfig(in, w, 3).withPadding(1), rng));
                features.add(new BatchNorm2d(w));
                features.add(new Relu());
                in = w;
            }
            features.add(new MaxPool2d(2));
        }
        this.features = child("features", new Sequential(features));
        classifier = child("classifier", new Sequential(new Flatten(), new Linear(c.flattened(), c.hidden(), true, rng), new Relu(),
                new Dropout(0.5, rng.split()), new Linear(c.hidden(), c.classes(), true, rng)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(features.call(x));
    }
}
