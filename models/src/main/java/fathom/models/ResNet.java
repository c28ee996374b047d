package fathom.models;

import fathom.Rng;
import fathom.Tensor;
import fathom.nn.AdaptiveAvgPool2d;
import fathom.nn.BatchNorm2d;
import fathom.nn.Conv2d;
import fathom.nn.Conv2dConfig;
import fathom.nn.Init;
import fathom.nn.Linear;
import fathom.nn.Module;
import fathom.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A residual network of {@link BasicBlock}s for small images (He et al., 2016): a 3×3 stride-1 stem
 * convolution, BatchNorm and ReLU (no max pool, as is usual for 32×32 inputs), four stages of basic
 * blocks with widths w, 2w, 4w, 8w (each stage after the first halves the resolution in its first
 * block), global average pooling and a Linear classifier: x [N, C, H, W] gives [N, classes] logits.
 *
 * <p>With blocks (2, 2, 2, 2) and w = 64 this is ResNet-18's layout; a narrower w (16 or 32) costs
 * about 1/16 or 1/4 of the compute. State-dict names are torchvision's {@code resnet18}: conv1, bn1,
 * layer1.0.conv1, layer1.0.bn1, layer2.0.downsample.0 and .1, fc; so weights move to and from a
 * torchvision ResNet whose stem was replaced by {@code conv1 = nn.Conv2d(C, w, 3, 1, 1, bias=False)}
 * and {@code maxpool = nn.Identity()}. Initialized as torchvision does: convolutions from
 * kaiming_normal(fan_out, relu), BatchNorm γ = 1 and β = 0, the Linear layer PyTorch's default.
 */
public final class ResNet extends Module {
    /**
     * The shape of a ResNet.
     *
     * @param inChannels input channels (1 for Fashion-MNIST, 3 for CIFAR-10)
     * @param width the first stage's width w; stages have w, 2w, 4w, 8w channels
     * @param blocks basic blocks per stage, one entry per stage (ResNet-18: 2, 2, 2, 2)
     * @param classes outputs of the classifier
     */
    public record Config(int inChannels, int width, int[] blocks, int classes) {
        public Config {
            if (inChannels <= 0 || width <= 0 || classes <= 0 || blocks.length == 0 || Arrays.stream(blocks).anyMatch(b -> b <= 0)) {
                throw new IllegalArgumentException("ResNet sizes must be positive: inChannels " + inChannels + ", width " + width
                        + ", blocks " + Arrays.toString(blocks) + ", classes " + classes);
            }
            blocks = blocks.clone();
        }

        /** ResNet-18's layout (2, 2, 2, 2 blocks) at base width {@code width} (64 is ResNet-18 itself). */
        public static Config resnet18(int inChannels, int width, int classes) {
            return new Config(inChannels, width, new int[] {2, 2, 2, 2}, classes);
        }

        @Override
        public int[] blocks() {
            return blocks.clone();
        }

        /** As text, e.g. {@code in=1 width=16 blocks=2,2,2,2 classes=10}. */
        public String describe() {
            return "in=" + inChannels + " width=" + width + " blocks=" + String.join(",", Arrays.stream(blocks).mapToObj(Integer::toString).toList())
                    + " classes=" + classes;
        }

        /** Parses {@link #describe()}'s form. */
        public static Config parse(String text) {
            var v = Arch.parse("ResNet", text, "in", "width", "blocks", "classes");
            return new Config(Integer.parseInt(v.get("in")), Integer.parseInt(v.get("width")), Arch.ints(v.get("blocks")),
                    Integer.parseInt(v.get("classes")));
        }
    }

    private final Config config;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final List<Sequential> layers = new ArrayList<>();
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;

    public ResNet(Config config, Rng rng) {
        this.config = config;
        int w = config.width();
        conv1 = child("conv1", conv(new Conv2dConfig(config.inChannels(), w, 3).withPadding(1).withBias(false), rng));
        bn1 = child("bn1", new BatchNorm2d(w));
        int in = w;
        int[] blocks = config.blocks();
        for (int s = 0; s < blocks.length; s++) {
            int planes = w << s;
            List<Module> stage = new ArrayList<>();
            for (int b = 0; b < blocks[s]; b++) {
                stage.add(new BasicBlock(in, planes, b == 0 && s > 0 ? 2 : 1, rng));
                in = planes;
            }
            layers.add(child("layer" + (s + 1), new Sequential(stage)));
        }
        avgpool = child("avgpool", new AdaptiveAvgPool2d(1));
        fc = child("fc", new Linear(in, config.classes(), true, rng));
    }

    public Config config() {
        return config;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = bn1.call(conv1.call(x)).relu();
        for (Sequential layer : layers) {
            h = layer.call(h);
        }
        return fc.call(avgpool.call(h).flatten(1, -1)); // [N, 8w]
    }

    /** A convolution initialized as torchvision's ResNet: kaiming_normal(mode fan_out, relu). */
    static Conv2d conv(Conv2dConfig c, Rng rng) {
        Conv2d conv = new Conv2d(c, rng);
        Init.kaimingNormal(conv.weight, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, rng);
        return conv;
    }
}
