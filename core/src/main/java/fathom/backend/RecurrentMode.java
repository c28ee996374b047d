package fathom.backend;

/**
 * The cell a recurrence runs (cuDNN's "RNN mode"), with the widths its tensors have in units of the
 * hidden size H: {@link #gates()} blocks in the input and hidden projections ({@code [B, gates·H]}),
 * {@link #states()} planes of carried state, and {@link #saved()} blocks of activations that the
 * forward pass keeps for the backward pass.
 */
public enum RecurrentMode {
    /** h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh). */
    RNN_TANH(1, 1, 0),
    /** h' = relu(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh). */
    RNN_RELU(1, 1, 0),
    /** Gates i, f, g, o (PyTorch's order); state (h, c); saves the activated gates σ(i), σ(f), tanh(g), σ(o). */
    LSTM(4, 2, 4),
    /** Gates r, z, n (PyTorch's order); state h; saves r, z, n and W_hn·h + b_hn. */
    GRU(3, 1, 4);

    private final int gates;
    private final int states;
    private final int saved;

    RecurrentMode(int gates, int states, int saved) {
        this.gates = gates;
        this.states = states;
        this.saved = saved;
    }

    /** Gate blocks of H in the projections: 1, 1, 4 or 3. */
    public int gates() {
        return gates;
    }

    /** State planes carried from step to step: 2 for the LSTM (h, c), else 1. */
    public int states() {
        return states;
    }

    /** Blocks of H per step and batch row that the forward pass saves for the backward pass. */
    public int saved() {
        return saved;
    }
}
