package fathom.nn;

import fathom.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * Modules held by name in insertion order (PyTorch's {@code nn.ModuleDict}), registered as children so
 * their parameters are saved under {@code "<name>.<parameter>"}; it has no forward of its own.
 */
public final class ModuleDict extends Module {
    public ModuleDict() {}

    /** The modules of {@code modules} in its iteration order (use a {@code LinkedHashMap} for a fixed order). */
    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** Adds {@code module} under {@code name} (no dots; each name once); returns this. */
    public ModuleDict put(String name, Module module) {
        child(name, module);
        return this;
    }

    /** The module named {@code name}, or an error listing the names held. */
    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) {
            throw new IllegalArgumentException("no module named \"" + name + "\" in this ModuleDict; it holds " + keys());
        }
        return m;
    }

    public boolean containsKey(String name) {
        return namedChildren().containsKey(name);
    }

    /** The names in insertion order. */
    public Set<String> keys() {
        return namedChildren().keySet();
    }

    public int size() {
        return namedChildren().size();
    }

    /** Always an error: a module dict is a container, not a layer. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleDict has no forward; call its modules from the owning module's forward");
    }
}
