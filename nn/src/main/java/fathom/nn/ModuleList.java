package fathom.nn;

import fathom.Tensor;
import java.util.Iterator;
import java.util.List;

/**
 * Modules held in a list (PyTorch's {@code nn.ModuleList}), named "0", "1", ... so that their
 * parameters are registered and saved; it has no forward of its own: the owner decides how to call them.
 */
public final class ModuleList extends Module implements Iterable<Module> {
    private int size;

    public ModuleList(Module... modules) {
        this(List.of(modules));
    }

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code module}; returns this. */
    public ModuleList add(Module module) {
        child(Integer.toString(size++), module);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        return namedChildren().get(Integer.toString(checkIndex(index, size)));
    }

    public int size() {
        return size;
    }

    @Override
    public Iterator<Module> iterator() {
        return children().iterator();
    }

    /** Always an error: a module list is a container, not a layer. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward; call its modules from the owning module's forward");
    }

    static int checkIndex(int index, int size) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a container of " + size + " modules");
        }
        return i;
    }
}
