package fathom.cli;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.models.Mlp;
import fathom.models.Standardize;
import fathom.nn.Sequential;
import fathom.nn.Module;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which model a run trains, as recorded in its checkpoint's metadata so that {@code eval},
 * {@code predict} and {@code summary} rebuild the same architecture: the family name and its sizes.
 */
record ModelSpec(String family, Mlp.Config mlp, int[] inputShape, List<String> classes, boolean standardize) {
    /** {@code standardize}: the model starts with a {@link Standardize} layer (tabular data), fitted to the training inputs. */
    static ModelSpec of(String family, int[] hidden, int[] inputShape, List<String> classes, boolean standardize) {
        if (!family.equals("mlp")) {
            throw new IllegalArgumentException("unknown model '" + family + "': this version trains mlp");
        }
        int inputs = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        return new ModelSpec(family, new Mlp.Config(inputs, hidden, classes.size()), inputShape, classes, standardize);
    }

    /** A new model; {@code trainInputs} [N, F] fit the standardization when there is one (null: identity statistics, for loading weights into). */
    Module create(Rng rng, Tensor trainInputs) {
        Module mlpModel = Mlp.create(mlp, rng);
        if (!standardize) {
            return mlpModel;
        }
        Standardize s = trainInputs != null ? Standardize.fit(trainInputs)
                : new Standardize(Tensors.zeros(mlp.inputs()), Tensors.ones(mlp.inputs()));
        return new Sequential(s, mlpModel);
    }

    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", family);
        m.put("mlp", mlp.describe());
        m.put("input_shape", String.join(",", Arrays.stream(inputShape).mapToObj(Integer::toString).toList()));
        m.put("classes", String.join("\u001f", classes));
        m.put("standardize", Boolean.toString(standardize));
        return m;
    }

    static ModelSpec fromMetadata(Map<String, String> m) {
        String family = m.get("model");
        if (!"mlp".equals(family)) {
            throw new IllegalArgumentException("the checkpoint's model '" + family + "' is not one this version can rebuild");
        }
        int[] shape = Arrays.stream(m.get("input_shape").split(",")).mapToInt(Integer::parseInt).toArray();
        return new ModelSpec(family, Mlp.Config.parse(m.get("mlp")), shape, List.of(m.get("classes").split("\u001f")),
                Boolean.parseBoolean(m.get("standardize")));
    }
}
