package fathom.optim;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import fathom.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The committed PyTorch reference values written by {@code reference/make_optim_fixtures.py}. */
final class Fixtures {
    private static Safetensors.Contents contents;

    private Fixtures() {}

    static synchronized Safetensors.Contents optim() {
        if (contents == null) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/reference/optim.safetensors")) {
                assertNotNull(in, "reference/optim.safetensors is missing from the test resources");
                contents = Safetensors.read(in.readAllBytes(), "reference/optim.safetensors");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return contents;
    }
}
