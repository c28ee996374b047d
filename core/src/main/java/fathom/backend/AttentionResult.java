package fathom.backend;

import fathom.Tensor;

/**
 * The forward result of scaled dot-product attention: {@code output} [B, H, Tq, Dv] and, per query row,
 * {@code logSumExp} [B, H, Tq] = log Σ_j exp(score_ij) over the allowed keys (−∞ for a row with none),
 * which is all the backward pass keeps to recompute the probabilities.
 */
public record AttentionResult(Tensor output, Tensor logSumExp) {}
