package fathom.nn;

import fathom.Tensor;
import java.util.Iterator;
import java.util.List;

/**
 * y = mₙ(… m₂(m₁(x))): modules applied in order, each {@link Module#call called} (so hooks run);
 * children are named "0", "1", ... as in PyTorch's {@code nn.Sequential}, so state-dict keys read
 * {@code "0.weight"}, {@code "2.bias"}.
 */
public final class Sequential extends Module implements Iterable<Module> {
    private int size;

    public Sequential(Module... modules) {
        this(List.of(modules));
    }

    public Sequential(List<? extends Module> modules) {
        for (Module m : modules) {
            append(m);
        }
    }

    /** Adds {@code module} at the end under the next index; returns this. */
    public Sequential append(Module module) {
        child(Integer.toString(size++), module);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        return namedChildren().get(Integer.toString(ModuleList.checkIndex(index, size)));
    }

    public int size() {
        return size;
    }

    @Override
    public Iterator<Module> iterator() {
        return children().iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : namedChildren().values()) {
            x = m.call(x);
        }
        return x;
    }
}
