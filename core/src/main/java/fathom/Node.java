package fathom;

import fathom.autograd.Op;
import fathom.backend.Storage;

/**
 * The record autograd keeps of one op in the graph: which op, the inputs it may read again in backward,
 * and where each input's gradient goes next.
 *
 * <p>{@link #input} and {@link #output} check the storage's version counter, so a backward pass that
 * would read a value modified in place since the forward pass fails with a clear error instead of
 * returning a wrong gradient. A backward pass without {@code retainGraph} frees the saved values.
 */
public final class Node {
    private final Op op;
    private Tensor[] inputs;
    private Tensor output;
    private final int[] versions;
    final Node[] next;
    final Tensor[] leaves;
    final boolean[] needsGrad;
    /** The result tensor itself, when {@link Tensor#retainGrad()} asked to keep its gradient. */
    Tensor retained;

    Node(Op op, Tensor[] inputs, Tensor output) {
        this.op = op;
        this.inputs = inputs;
        this.output = output;
        this.versions = new int[inputs.length + 1];
        this.next = new Node[inputs.length];
        this.leaves = new Tensor[inputs.length];
        this.needsGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            versions[i] = in.storage.version();
            needsGrad[i] = in.requiresGrad;
            if (in.gradFn != null) {
                next[i] = in.gradFn;
            } else if (in.requiresGrad) {
                leaves[i] = in;
            }
        }
        versions[inputs.length] = output.storage.version();
    }

    /** The op this node records. */
    public Op op() {
        return op;
    }

    /** The op's name, as error messages and anomaly reports print it. */
    public String name() {
        return op.getClass().getSimpleName() + (op instanceof Op.Unary u ? "(" + u.fn() + ")" : op instanceof Op.Binary b ? "(" + b.fn() + ")" : "");
    }

    /** How many inputs the op took. */
    public int inputCount() {
        return needsGrad.length;
    }

    /** Whether input {@code i} needs a gradient. */
    public boolean needsGrad(int i) {
        return needsGrad[i];
    }

    /**
     * The gradient that input {@code i}, a leaf, already holds, when this backward step may add its own gradient into
     * it directly instead of returning it (PyTorch adds into an existing {@code .grad} in place as well); else null.
     * It is null for a first gradient, in anomaly mode (which checks each returned gradient), and for a gradient
     * that is not a plain contiguous tensor of the leaf's dtype and shape or that shares storage with a saved value.
     */
    public Tensor leafGradient(int i) {
        Tensor leaf = leaves[i];
        Tensor g = leaf == null ? null : leaf.grad;
        if (g == null || Autograd.anomalyMode() || g.requiresGrad || g.dtype() != leaf.dtype() || !g.shape.equals(leaf.shape)
                || !g.isContiguous() || saves(g.storage)) {
            return null;
        }
        return g;
    }

    /** Whether {@link #leafGradient leafGradient(i)} is still all zeros as {@link Tensor#zeroGrad(boolean)} left it, so that it may be overwritten. */
    public boolean leafGradientIsZero(int i) {
        Tensor leaf = leaves[i];
        return leaf.grad == leaf.zeroedGrad && leaf.grad.storage.version() == leaf.zeroedGradVersion;
    }

    /** Input {@code i} as it was in the forward pass (detached), or an error if it was freed or modified in place since. */
    public Tensor input(int i) {
        return checked(inputs == null ? null : inputs[i], i, "input " + i);
    }

    /** The op's result as it was in the forward pass (detached), with the same checks as {@link #input}. */
    public Tensor output() {
        return checked(output, inputs == null ? -1 : inputs.length, "output");
    }

    private Tensor checked(Tensor t, int slot, String what) {
        requireSaved();
        if (t.storage.version() != versions[slot]) {
            throw new AutogradException("the " + what + " of " + name() + " (shape " + t.shape + ") was modified by an in-place op"
                    + " after the forward pass (version " + t.storage.version() + ", expected " + versions[slot]
                    + "); backward needs its old value: use an out-of-place op instead");
        }
        return t.detach();
    }

    /** An error if a backward without retainGraph has freed what this node saved (its inputs, output and the op's own tensors). */
    void requireSaved() {
        if (inputs == null) {
            throw new AutogradException("backward through " + name() + " a second time: its saved values were freed by the first"
                    + " backward(); pass retainGraph = true to the first call if you need a second");
        }
    }

    /** Whether a saved input or the output uses {@code storage} (false once freed). */
    boolean saves(Object storage) {
        if (inputs == null) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t.storage == storage) {
                return true;
            }
        }
        return output.storage == storage;
    }

    /**
     * The memory of this op's output if it is marked graph-only ({@link Autograd#releaseAfterBackward}) and this op wrote
     * it, as no input shares it (a view or an in-place op shares its input's), else null.
     */
    Storage releasableOutput() {
        if (output == null || !output.storage.graphOnly()) {
            return null;
        }
        for (Tensor t : inputs) {
            if (t.storage == output.storage) {
                return null;
            }
        }
        return output.storage;
    }

    void free() {
        inputs = null;
        output = null;
    }
}
