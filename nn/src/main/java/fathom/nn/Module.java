package fathom.nn;

import fathom.Autograd;
import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import fathom.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A network component, as PyTorch's {@code nn.Module}: {@code y = forward(x)}, with named parameters,
 * buffers and child modules registered in the constructor under PyTorch's names, so that
 * {@link #stateDict()} has exactly the keys PyTorch's {@code state_dict()} has for the same architecture.
 *
 * <p>A subclass registers its state with {@code weight = parameter("weight", tensor)},
 * {@code runningMean = buffer("running_mean", tensor)} and {@code fc1 = child("fc1", new Linear(...))},
 * keeps the returned values in fields, and implements {@link #forward}. Call a module with
 * {@link #call(Tensor)}, PyTorch's {@code module(x)}: it runs {@link #forward} and then the forward hooks
 * ({@link #registerForwardHook}); calling {@code forward} directly skips the hooks, as in PyTorch.
 * Modules start in training mode. Names are dotted across children ({@code "0.weight"},
 * {@code "encoder.fc1.bias"}) and ordered as PyTorch orders them: a module's own parameters, then its
 * persistent buffers (in the state dict), then each child's, in registration order.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Rng> generators = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new CopyOnWriteArrayList<>();
    private boolean training = true;

    /** A module in training mode with nothing registered yet. */
    protected Module() {}

    /** The result of a {@link #loadStateDict} call that did not throw: keys it did not find or did not use. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /** Runs after a module's {@link #forward} inside {@link #call}, seeing its input and output. */
    @FunctionalInterface
    public interface ForwardHook {
        void afterForward(Module module, Tensor input, Tensor output);
    }

    /** Removes a hook when closed. */
    public interface HookHandle extends AutoCloseable {
        @Override
        void close();
    }

    /** The output for {@code input}; shapes are documented by each layer. */
    public abstract Tensor forward(Tensor input);

    /** {@link #forward} followed by this module's forward hooks (PyTorch's {@code module(input)}). */
    public final Tensor call(Tensor input) {
        return hooked(input, forward(input));
    }

    /**
     * {@code output}, once this module's forward hooks have seen it with {@code input}. A module whose forward takes
     * more than the input (masks, a cache) offers a {@code call} with the same arguments that returns
     * {@code hooked(input, forward(input, ...))}, since PyTorch's {@code module(x, ...)} runs the hooks whatever
     * forward's signature, and a parent calls that, never the child's forward.
     */
    protected final Tensor hooked(Tensor input, Tensor output) {
        for (ForwardHook h : hooks) {
            h.afterForward(this, input, output);
        }
        return output;
    }

    /** Adds a hook run after each {@link #call} of this module; close the handle to remove it. */
    public final HookHandle registerForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Whether {@link #call} runs any forward hook: a parent that can skip calling this module must not skip one. */
    public final boolean hasForwardHooks() {
        return !hooks.isEmpty();
    }

    // ---- registration (from subclass constructors) ----

    /** Registers {@code value} as a trainable parameter named {@code name}, marks it as requiring grad, and returns it. */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        if (!value.dtype().isFloating()) {
            throw new IllegalArgumentException("parameter \"" + name + "\" must be floating, got " + value.dtype());
        }
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a persistent buffer (state that is saved but not trained, such as {@code running_mean}) and returns it. */
    protected final Tensor buffer(String name, Tensor value) {
        return buffer(name, value, true);
    }

    /** Registers a buffer; a non-persistent one is left out of {@link #stateDict()}, as in PyTorch. */
    protected final Tensor buffer(String name, Tensor value, boolean persistent) {
        checkName(name);
        buffers.put(name, value);
        if (!persistent) {
            nonPersistent.add(name);
        }
        return value;
    }

    /**
     * Registers the random generator a layer draws from (dropout masks), so a checkpoint saves and
     * restores its state with the model's; returns it. Generators have their own names, apart from
     * parameters, buffers and children.
     */
    protected final Rng generator(String name, Rng rng) {
        if (name.isEmpty() || name.contains(".") || generators.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": generator name \"" + name + "\" is empty, dotted or taken");
        }
        generators.put(name, rng);
        return rng;
    }

    /** Every registered generator of this module and its descendants under its dotted name. */
    public final Map<String, Rng> namedGenerators() {
        Map<String, Rng> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.generators.forEach((k, r) -> out.put(prefixed(path, k), r)));
        return Collections.unmodifiableMap(out);
    }

    /** Registers {@code module} as a child named {@code name} and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        if (module == this) {
            throw new IllegalArgumentException("a module cannot be its own child (\"" + name + "\")");
        }
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a parameter, buffer or child name must be non-empty and without '.', got \"" + name + "\"");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has a member named \"" + name + "\"");
        }
    }

    // ---- traversal ----

    /** Every parameter with its dotted name, each tensor once (shared ones under their first name), in PyTorch's order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (var m : namedModules().entrySet()) {
            for (var p : m.getValue().parameters.entrySet()) {
                if (seen.add(p.getValue())) {
                    out.put(prefixed(m.getKey(), p.getKey()), p.getValue());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The tensors of {@link #namedParameters()}, in order. */
    public final List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** Every buffer (persistent or not) with its dotted name, in PyTorch's order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var m : namedModules().entrySet()) {
            for (var b : m.getValue().buffers.entrySet()) {
                out.putIfAbsent(prefixed(m.getKey(), b.getKey()), b.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The tensors of {@link #namedBuffers()}, in order. */
    public final List<Tensor> buffers() {
        return List.copyOf(namedBuffers().values());
    }

    /** The direct children by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** The direct children, in registration order. */
    public final List<Module> children() {
        return List.copyOf(children.values());
    }

    /** This module (under "") and every descendant under its dotted name, depth first, each module once. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collect("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return Collections.unmodifiableMap(out);
    }

    private static void collect(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) {
            return;
        }
        out.put(prefix, m);
        for (var c : m.children.entrySet()) {
            collect(prefixed(prefix, c.getKey()), c.getValue(), out, seen);
        }
    }

    private static String prefixed(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Calls {@code fn} on every child (recursively, children first) and then on this module, as PyTorch's {@code apply}; returns this. */
    public final Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) {
            c.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /** Number of parameter elements (shared tensors counted once). */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    /** Sets every parameter's gradient to null (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Sets every parameter's gradient to null, or with {@code setToNone} false zeroes each in place and keeps it
     * for the next backward pass to add into, which is faster on the JVM ({@link Tensor#zeroGrad(boolean)}).
     * As in PyTorch, a kept zero gradient still counts as a gradient: a stateful optimizer moves a parameter that
     * missed a step's backward pass by its momentum, where a null gradient would make it skip the parameter.
     */
    public final void zeroGrad(boolean setToNone) {
        for (Tensor p : namedParameters().values()) {
            p.zeroGrad(setToNone);
        }
    }

    // ---- modes ----

    /** Training mode for this module and every descendant (dropout drops, batch norm uses batch statistics); returns this. */
    public final Module train() {
        return train(true);
    }

    /** Training mode on or off, recursively; returns this. */
    public final Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) {
            c.train(mode);
        }
        return this;
    }

    /** Evaluation mode, recursively: {@code train(false)}. */
    public final Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    // ---- state dict ----

    /**
     * Parameters and persistent buffers under PyTorch's {@code state_dict()} keys and order; the values
     * are detached views sharing storage with the module (as in PyTorch), so copy them to keep a snapshot.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return Collections.unmodifiableMap(out);
    }

    /** As PyTorch's {@code _save_to_state_dict} recursion: a module shared by two parents appears under both names. */
    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefixed(prefix, name), p.detach()));
        buffers.forEach((name, b) -> {
            if (!nonPersistent.contains(name)) {
                out.put(prefixed(prefix, name), b.detach());
            }
        });
        children.forEach((name, c) -> c.collectState(prefixed(prefix, name), out));
    }

    /**
     * Copies {@code state} into this module's parameters and buffers in place. Shape or dtype mismatches
     * are always errors; with {@code strict}, so are missing and unexpected keys. Every key is checked
     * before anything is copied, so a failed load leaves the module unchanged; the error lists every problem.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            Tensor dst = e.getValue();
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.shape().equals(dst.shape())) {
                problems.add("size mismatch for " + e.getKey() + ": copying a tensor of shape " + src.shape()
                        + " into a parameter of shape " + dst.shape());
            } else if (src.dtype() != dst.dtype()) {
                problems.add("dtype mismatch for " + e.getKey() + ": copying a " + src.dtype() + " tensor into a "
                        + dst.dtype() + " one of shape " + dst.shape());
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict && !unexpected.isEmpty()) {
            problems.addFirst("unexpected keys: " + unexpected);
        }
        if (strict && !missing.isEmpty()) {
            problems.addFirst("missing keys: " + missing);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("error(s) loading the state dict of " + getClass().getSimpleName() + ":\n  "
                    + String.join("\n  ", problems));
        }
        try (var _ = Autograd.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copyInPlace(src);
                }
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    /** Writes {@link #stateDict()} to a safetensors file (atomically: a temporary file renamed over the target). */
    public final void save(Path file) throws IOException {
        Safetensors.write(file, stateDict(), Map.of("format", "pt"));
    }

    /** Loads a safetensors file written by {@link #save} (or by PyTorch's safetensors) strictly into this module. */
    public final void load(Path file) throws IOException {
        loadStateDict(Safetensors.read(file).tensors(), true);
    }

    // ---- summary ----

    /**
     * A table of every descendant module (indented by depth): name, type, output shape, and parameter
     * count; then the totals. Runs one forward pass on zeros of {@code inputShape} (in the dtype of the
     * first parameter, float32 without parameters) under noGrad in eval mode, recording each module's
     * output shape with a forward hook; training flags are restored afterwards, and no state changes.
     */
    public final String summary(Shape inputShape) {
        List<Tensor> ps = parameters();
        DType dtype = ps.isEmpty() ? DType.FLOAT32 : ps.getFirst().dtype();
        return summary(Tensors.zeros(inputShape, dtype));
    }

    /** {@link #summary(Shape)} with {@code example} as the input (for integer inputs such as token indices). */
    public final String summary(Tensor example) {
        return Summary.of(this, example);
    }

    /** The modules' training flags, for {@link Summary} to restore. */
    final Map<Module, Boolean> trainingFlags() {
        Map<Module, Boolean> flags = new IdentityHashMap<>();
        for (Module m : namedModules().values()) {
            flags.put(m, m.training);
        }
        return flags;
    }

    final void setTrainingFlag(boolean mode) {
        training = mode;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + parameterCount() + " parameters)";
    }
}
