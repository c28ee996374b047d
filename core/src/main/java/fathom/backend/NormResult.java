package fathom.backend;

import fathom.Tensor;

/**
 * The forward result of layer normalization: {@code output} (x's shape) and, per normalized row,
 * {@code mean} and {@code rstd} = 1/√(Var + eps), each of x's shape with the normalized dimensions
 * kept as size 1; the backward pass reads them instead of recomputing the statistics.
 */
public record NormResult(Tensor output, Tensor mean, Tensor rstd) {}
