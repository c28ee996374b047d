package fathom.backend;

import fathom.Tensor;

/**
 * What {@link Backend#recurrence} computes: the states of every step and the activations its backward reads.
 *
 * @param states {@code [S, T+1, B, H]} with S = {@link RecurrentMode#states()}: plane 0 holds h, plane 1 c (LSTM);
 *               row t &lt; T the state after step t (zero at steps past a sequence's length), row T the final state
 *               (each sequence's state after its last real step)
 * @param saved {@code [T, B, K·H]} with K = {@link RecurrentMode#saved()}: the activations the backward pass
 *              reads; private to the op (its values at padded steps are unspecified)
 */
public record RecurrentStates(Tensor states, Tensor saved) {}
