package fathom;

import fathom.autograd.Derivatives;
import fathom.autograd.Op;
import fathom.backend.Storage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation, defined by run: ops record a {@link Node} on their result
 * while grad mode is on, and {@link Tensor#backward()} walks the nodes from the result back to the
 * leaves, applying each op's vector-Jacobian product from the one {@link Derivatives} table.
 *
 * <p>Grad mode is per thread; {@link #noGrad()} turns it off for a try-with-resources block (optimizer
 * steps, evaluation). {@link #detectAnomaly()} makes every recorded op check its result, and every
 * backward step its gradients, for NaN and infinity, and name the op that produced one.
 */
public final class Autograd {
    private static final ThreadLocal<boolean[]> GRAD_ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static volatile boolean anomaly;

    private Autograd() {}

    /** Whether ops record their gradient history on this thread now. */
    public static boolean isGradEnabled() {
        return GRAD_ENABLED.get()[0];
    }

    /** Turns gradient recording off on this thread until the returned scope closes. */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    /** Turns gradient recording on on this thread until the returned scope closes (inside a {@link #noGrad()} block). */
    public static Scope enableGrad() {
        return setGradEnabled(true);
    }

    private static Scope setGradEnabled(boolean on) {
        boolean[] flag = GRAD_ENABLED.get();
        boolean previous = flag[0];
        flag[0] = on;
        return () -> flag[0] = previous;
    }

    /**
     * Marks {@code t}, an intermediate result that only the ops recorded on it will read (no caller, hook or cache keeps
     * it), so that backward recycles its memory ({@link Storage#recycle}) once the op that wrote it has run its backward.
     * By then every op that saved it has run its own, since backward reaches an op only after all its consumers; so its
     * array goes to the next allocation of the same length instead of to the garbage collector, as PyTorch's caching
     * allocator gets an activation back when the graph drops its last reference. A module calls this on the activations
     * it makes and passes on only to its own ops; returns {@code t}. Without a recorded op (grad mode off, or nothing
     * requires grad) it does nothing, and with {@code retainGraph} nothing is recycled. The mark is on t's memory, which
     * its views share: mark only what the module itself made. Measured on the GPT benchmark's training step (the model
     * marks every activation up to its head's input), alternating marked and unmarked steps in one JVM on two threads,
     * two runs of 30 rounds of 5 steps each way: 1.14x and 1.06x faster per round (faster in 25 and 18 of 30 rounds),
     * as the next forward pass writes recycled arrays instead of having the JVM zero fresh ones (about 90 µs per MB on
     * the calling thread, while the other threads wait).
     */
    public static Tensor releaseAfterBackward(Tensor t) {
        if (t.gradFn != null) {
            t.storage.markGraphOnly();
        }
        return t;
    }

    /** Checks every recorded op and backward step for NaN/Inf until the scope closes; slow, for debugging. */
    public static Scope detectAnomaly() {
        boolean previous = anomaly;
        anomaly = true;
        return () -> anomaly = previous;
    }

    /**
     * Records that {@code op} made {@code out} from {@code inputs}, when grad mode is on and some input
     * requires grad; returns {@code out}. Custom ops call this after computing their result.
     */
    public static Tensor record(Op op, Tensor out, Tensor... inputs) {
        if (!isGradEnabled()) {
            return out;
        }
        boolean any = false;
        for (Tensor t : inputs) {
            any |= t.requiresGrad;
        }
        if (!any) {
            return out;
        }
        out.requiresGrad = true;
        out.gradFn = new Node(op, inputs, out);
        if (anomaly) {
            checkFinite(out, "forward of " + out.gradFn.name());
        }
        return out;
    }

    static boolean anomalyMode() {
        return anomaly;
    }

    static void setRequiresGrad(Tensor t, boolean value) {
        if (!t.isLeaf()) {
            throw new AutogradException("requiresGrad can only be set on a leaf tensor; use detach() to cut a result from its graph");
        }
        if (value && !t.dtype().isFloating()) {
            throw new DTypeException("only floating tensors can require gradients, not " + t.dtype());
        }
        t.requiresGrad = value;
    }

    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad) {
            throw new AutogradException("backward() on a tensor that does not require grad and has no gradFn: "
                    + "no input of the computation had requiresGrad(true), or it ran inside noGrad()");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new AutogradException("backward() without a gradient needs a one-element tensor, got shape " + root.shape
                        + "; pass the gradient of the loss with respect to this tensor");
            }
            gradient = Tensors.full(root.shape, root.dtype(), 1);
        } else if (!gradient.shape.equals(root.shape)) {
            throw new ShapeException("backward(): gradient shape " + gradient.shape + " does not match tensor shape " + root.shape);
        }
        try (var _ = noGrad()) {
            if (root.gradFn == null) {
                accumulate(root, gradient);
                return;
            }
            run(root, gradient.to(root.dtype()), retainGraph);
        }
    }

    private static void run(Tensor root, Tensor gradient, boolean retainGraph) {
        List<Node> order = topologicalOrder(root.gradFn);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        // pending gradients that no other tensor shares storage with, which a later contribution may be added into
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.put(root.gradFn, gradient);
        for (Node node : order) {
            Tensor g = pending.remove(node);
            if (g == null) {
                continue;
            }
            if (node.retained != null) {
                accumulate(node.retained, g);
            }
            // a gradient this pass made and no other tensor shares (see merge) is the step's to overwrite
            boolean gOwned = owned.remove(g);
            node.requireSaved();
            Tensor[] grads = Derivatives.vjp(node, g, gOwned);
            for (int i = 0; i < grads.length; i++) {
                Tensor gi = grads[i];
                if (gi == null || !node.needsGrad(i)) {
                    continue;
                }
                if (anomaly) {
                    checkFinite(gi, "backward of " + node.name() + " (gradient for input " + i + ")");
                }
                if (node.next[i] != null) {
                    merge(pending, owned, node.next[i], gi, fresh(gi, i, grads, g, gOwned, node));
                } else if (node.leaves[i] != null) {
                    Tensor leaf = node.leaves[i];
                    if (leaf.grad == null && gi.dtype() == leaf.dtype() && fresh(gi, i, grads, g, gOwned, node)) {
                        leaf.grad = gi;
                    } else {
                        accumulate(leaf, gi);
                    }
                }
            }
            // memory nothing reads again goes to the next allocation that overwrites all of it (Storage.recycle)
            if (gOwned && node.retained == null && !shared(g, grads) && !node.saves(g.storage)) {
                Storage.recycle(g.storage);
            }
            if (!retainGraph) {
                Tensor own = ownSaved(node.op());
                if (own != null) {
                    Storage.recycle(own.storage);
                }
                Storage released = node.releasableOutput();
                node.free();
                if (released != null) {
                    Storage.recycle(released);
                }
            }
        }
    }

    /** A tensor the op made for its own backward and gave no one else (a GELU's derivative), or null. */
    private static Tensor ownSaved(Op op) {
        return switch (op) {
            case Op.Gelu ge -> ge.derivative();
            case Op.LinearGelu lg -> lg.derivative();
            default -> null;
        };
    }

    /** Whether a gradient the step returned shares g's storage (g itself, or a view of it). */
    private static boolean shared(Tensor g, Tensor[] grads) {
        for (Tensor gi : grads) {
            if (gi != null && gi.storage == g.storage) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds gradient {@code gi} to what {@code next} has pending. The sum goes into a pending tensor that no
     * other tensor shares storage with (a fresh gradient, or an earlier sum) instead of a new one; the sums
     * are the same, as addition is commutative. In the GPT benchmark the residual stream and the input of
     * the q, k, v projections each take two or three gradients per block.
     */
    private static void merge(Map<Node, Tensor> pending, Set<Tensor> owned, Node next, Tensor gi, boolean giFresh) {
        Tensor p = pending.get(next);
        if (p == null) {
            pending.put(next, gi);
            if (giFresh) {
                owned.add(gi);
            }
            return;
        }
        boolean alike = p.dtype() == gi.dtype() && p.shape().equals(gi.shape());
        if (alike && owned.contains(p)) {
            p.addInPlace(gi);
        } else if (alike && giFresh) {
            pending.put(next, gi.addInPlace(p));
            owned.add(gi);
        } else {
            Tensor sum = p.add(gi);
            pending.put(next, sum);
            owned.add(sum);
        }
    }

    /**
     * Whether {@code grads[i]} is a tensor this backward step made and handed to input i alone, so that a leaf
     * can keep it as its first gradient without the copy {@link #accumulate} makes: its storage is neither the
     * incoming gradient's (a view of it, as reshape's or add's gradient), unless that one was the step's own
     * ({@code gOwned}), nor another input's gradient's nor a saved input's or the output's, and it is
     * contiguous, as a copy would be. A matmul's or linear's weight gradient is such a tensor; skipping its
     * copy saved 2 MB of copying per step of the MLP benchmark. An owned gradient stays owned through a
     * reshape and through a step that wrote over it, so the next pointwise step may write over it too (GELU's
     * backward after the feed-forward output's reshape).
     */
    private static boolean fresh(Tensor gi, int i, Tensor[] grads, Tensor g, boolean gOwned, Node node) {
        Object s = gi.storage;
        if (s == g.storage && !gOwned || !gi.isContiguous()) {
            return false;
        }
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] != null && grads[j].storage == s) {
                return false;
            }
        }
        return !node.saves(s);
    }

    /**
     * Adds g to t.grad: in place, as PyTorch's AccumulateGrad does, when t.grad is a plain tensor of t's shape
     * ({@link Tensor#zeroGrad(boolean)} keeps one across steps); else into a new tensor. A first gradient is
     * copied, so that gradient tensors never alias each other.
     */
    private static void accumulate(Tensor t, Tensor g) {
        Tensor own = g.to(t.dtype());
        Tensor grad = t.grad;
        if (grad == null) {
            t.grad = own == g ? g.clone() : own;
        } else if (!grad.requiresGrad && grad.dtype() == t.dtype() && grad.shape.equals(t.shape) && grad.isContiguous()
                && grad.storage != own.storage) {
            grad.addInPlace(own);
        } else {
            t.grad = grad.add(own);
        }
    }

    /** Nodes reachable from {@code root}, each after every node that feeds it a gradient (iterative DFS). */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> post = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> cursor = new ArrayDeque<>();
        stack.push(root);
        cursor.push(0);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Node n = stack.peek();
            int i = cursor.pop();
            if (i < n.next.length) {
                cursor.push(i + 1);
                Node child = n.next[i];
                if (child != null && seen.put(child, true) == null) {
                    stack.push(child);
                    cursor.push(0);
                }
            } else {
                stack.pop();
                post.add(n);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }

    private static void checkFinite(Tensor t, String where) {
        if (!t.dtype().isFloating()) {
            return;
        }
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new AnomalyException(where + " produced " + v[i] + " at flat index " + i + " of a tensor of shape " + t.shape);
            }
        }
    }

    /** A mode that ends when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
