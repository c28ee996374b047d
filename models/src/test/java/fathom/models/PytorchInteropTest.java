package fathom.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fathom.Autograd;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.Backends;
import fathom.backend.ScalarBackend;
import fathom.io.Safetensors;
import fathom.nn.Sequential;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fathom's model files load in PyTorch: this test makes the committed {@code fathom_mlp.safetensors}
 * (a seeded MLP's weights) and {@code fathom_mlp_io.safetensors} (an input and Fathom's logits for it)
 * and checks they are byte for byte what Fathom writes today. {@code reference/check_fathom_model.py}
 * loads both into {@code torch.nn.Sequential} with {@code strict=True} and compares torch's logits.
 * Regenerate after an intended format change with {@code -Dfathom.regenerate=true}.
 */
class PytorchInteropTest {
    @TempDir
    Path dir;

    static Sequential model() {
        return Mlp.create(new Mlp.Config(784, new int[] {32}, 10), new Rng(7));
    }

    @Test
    void modelFilesAreWhatTheCommittedPytorchCheckRead() throws Exception {
        Sequential m = model();
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), List.copyOf(m.stateDict().keySet()),
                "the keys of nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))");
        Tensor x = Tensors.rand(new Rng(8), 4, 1, 28, 28);
        Tensor logits;
        // the committed logits are the scalar reference backend's (this module's tests otherwise run on the cpu backend)
        try (var _ = Autograd.noGrad(); var _ = Backends.use(new ScalarBackend())) {
            logits = m.call(x);
        }
        Path weights = dir.resolve("fathom_mlp.safetensors");
        Path io = dir.resolve("fathom_mlp_io.safetensors");
        m.save(weights);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("input", x);
        t.put("logits", logits);
        Safetensors.write(io, t, Map.of());
        if (Boolean.getBoolean("fathom.regenerate")) {
            Path res = Path.of("src/test/resources/reference");
            Files.copy(weights, res.resolve(weights.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(io, res.resolve(io.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertArrayEquals(resource("fathom_mlp.safetensors"), Files.readAllBytes(weights));
        assertArrayEquals(resource("fathom_mlp_io.safetensors"), Files.readAllBytes(io));
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = PytorchInteropTest.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new AssertionError("missing test resource reference/" + name + "; run with -Dfathom.regenerate=true");
            }
            return in.readAllBytes();
        }
    }
}
