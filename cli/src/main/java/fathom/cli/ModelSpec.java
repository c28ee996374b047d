package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.LeNet;
import fathom.models.Mlp;
import fathom.models.ResNet;
import fathom.models.Vgg;
import fathom.models.Standardize;
import fathom.nn.Module;
import fathom.nn.Sequential;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which model a run trains, as recorded in its checkpoint's metadata so that {@code eval},
 * {@code predict} and {@code summary} rebuild the same architecture: the family name, its
 * architecture in the family's own text form (an MLP's {@code 784-512-256-10}), the input shape
 * without the batch, and the class names.
 */
record ModelSpec(String family, String arch, int[] inputShape, List<String> classes, boolean standardize) {
    /** The model families {@code fathom train --model} knows. */
    static final List<String> FAMILIES = List.of("mlp", "lenet", "vgg", "resnet");

    /** The families that start with a convolution over [C, H, W] images. */
    boolean convolutional() {
        return !family.equals("mlp");
    }

    /** {@link #of(String, int[], int, int[], int[], List, boolean)} with each convolutional family's default width and blocks. */
    static ModelSpec of(String family, int[] hidden, int[] inputShape, List<String> classes, boolean standardize) {
        return of(family, hidden, 0, null, inputShape, classes, standardize);
    }

    /**
     * The spec of a new run. {@code hidden}: the MLP's hidden widths; {@code width}: the first stage's
     * channels of a VGG (its blocks have w, 2w, 4w; default 32) or a ResNet (w, 2w, 4w, 8w; default 64,
     * ResNet-18), 0 for the default; {@code blocks}: a ResNet's blocks per stage (null: 2,2,2,2);
     * {@code standardize}: the model starts with a {@link Standardize} layer (tabular data), fitted to
     * the training inputs.
     */
    static ModelSpec of(String family, int[] hidden, int width, int[] blocks, int[] inputShape, List<String> classes, boolean standardize) {
        int inputs = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        if (!family.equals("mlp") && FAMILIES.contains(family) && inputShape.length != 3) {
            throw new IllegalArgumentException("--model " + family + " needs images [C, H, W], but the data's inputs are "
                    + Arrays.toString(inputShape) + " (a CSV file is for --model mlp)");
        }
        String arch = switch (family) {
            case "mlp" -> new Mlp.Config(inputs, hidden, classes.size()).describe();
            case "lenet" -> new LeNet.Config(inputShape[0], inputShape[1], inputShape[2], classes.size()).describe();
            case "vgg" -> {
                int w = width > 0 ? width : 32;
                yield new Vgg.Config(inputShape[0], inputShape[1], inputShape[2], new int[] {w, 2 * w, 4 * w}, 256, classes.size()).describe();
            }
            case "resnet" -> new ResNet.Config(inputShape[0], width > 0 ? width : 64, blocks != null ? blocks : new int[] {2, 2, 2, 2},
                    classes.size()).describe();
            default -> throw new IllegalArgumentException("unknown model '" + family + "': choose one of " + String.join(", ", FAMILIES));
        };
        return new ModelSpec(family, arch, inputShape, classes, standardize);
    }

    /** A new model; {@code trainInputs} [N, F] fit the standardization when there is one (null: identity statistics, for loading weights into). */
    Module create(Rng rng, Tensor trainInputs) {
        Module net = switch (family) {
            case "mlp" -> Mlp.create(Mlp.Config.parse(arch), rng);
            case "lenet" -> LeNet.create(LeNet.Config.parse(arch), rng);
            case "vgg" -> new Vgg(Vgg.Config.parse(arch), rng);
            case "resnet" -> new ResNet(ResNet.Config.parse(arch), rng);
            default -> throw new IllegalArgumentException("unknown model '" + family + "'");
        };
        if (!standardize) {
            return net;
        }
        int features = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        Standardize s = trainInputs != null ? Standardize.fit(trainInputs) : new Standardize(Tensors.zeros(features), Tensors.ones(features));
        return new Sequential(s, net);
    }

    /** As printed in logs: family and architecture. */
    String describe() {
        return arch.isEmpty() ? family : family + " " + arch;
    }

    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", family);
        m.put("arch", arch);
        m.put("input_shape", String.join(",", Arrays.stream(inputShape).mapToObj(Integer::toString).toList()));
        m.put("classes", String.join("\u001f", classes));
        m.put("standardize", Boolean.toString(standardize));
        return m;
    }

    static ModelSpec fromMetadata(Map<String, String> m) {
        String family = m.get("model");
        if (family == null || !FAMILIES.contains(family)) {
            throw new IllegalArgumentException("the checkpoint's model '" + family + "' is not one this version can rebuild ("
                    + String.join(", ", FAMILIES) + ")");
        }
        // runs written before "arch" existed kept the MLP's layout under "mlp"
        String arch = m.containsKey("arch") ? m.get("arch") : m.getOrDefault("mlp", "");
        int[] shape = Arrays.stream(m.get("input_shape").split(",")).mapToInt(Integer::parseInt).toArray();
        return new ModelSpec(family, arch, shape, List.of(m.get("classes").split("\u001f")), Boolean.parseBoolean(m.get("standardize")));
    }
}
