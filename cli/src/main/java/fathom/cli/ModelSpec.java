package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.Mlp;
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
    static final List<String> FAMILIES = List.of("mlp");

    /**
     * The spec of a new run. {@code hidden}: the MLP's hidden widths; {@code standardize}: the model starts
     * with a {@link Standardize} layer (tabular data), fitted to the training inputs.
     */
    static ModelSpec of(String family, int[] hidden, int[] inputShape, List<String> classes, boolean standardize) {
        int inputs = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        String arch = switch (family) {
            case "mlp" -> new Mlp.Config(inputs, hidden, classes.size()).describe();
            default -> throw new IllegalArgumentException("unknown model '" + family + "': choose one of " + String.join(", ", FAMILIES));
        };
        return new ModelSpec(family, arch, inputShape, classes, standardize);
    }

    /** A new model; {@code trainInputs} [N, F] fit the standardization when there is one (null: identity statistics, for loading weights into). */
    Module create(Rng rng, Tensor trainInputs) {
        Module net = switch (family) {
            case "mlp" -> Mlp.create(Mlp.Config.parse(arch), rng);
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
