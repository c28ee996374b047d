package fathom.optim;

import fathom.Tensor;
import java.util.Map;

/** Reads one scalar of a scheduler's state dict, with an IllegalArgumentException naming what is wrong. */
final class StateEntry {
    private StateEntry() {}

    static Tensor get(Map<String, Tensor> state, String key) {
        Tensor t = state.get(key);
        if (t == null) {
            throw new IllegalArgumentException("the state dict has no '" + key + "'");
        }
        return t;
    }

    static double real(Map<String, Tensor> state, String key) {
        Tensor t = get(state, key);
        if (t.dim() != 0) {
            throw new IllegalArgumentException("'" + key + "' must be a 0-d tensor, got shape " + t.shape());
        }
        return t.item();
    }

    static long integer(Map<String, Tensor> state, String key) {
        Tensor t = get(state, key);
        if (t.dim() != 0 || t.dtype().isFloating()) {
            throw new IllegalArgumentException("'" + key + "' must be a 0-d integer tensor, got " + t.dtype()
                    + " of shape " + t.shape());
        }
        return t.toLongArray()[0];
    }
}
