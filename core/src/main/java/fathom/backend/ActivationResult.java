package fathom.backend;

import fathom.Tensor;

/**
 * An activation's output and its derivative at each input element, both shaped as the input: the forward
 * computes the derivative from the values it has at hand (for the exact GELU, one shared exponential and the
 * normal CDF), autograd saves it, and the backward is one multiply of the output's gradient by it.
 */
public record ActivationResult(Tensor output, Tensor derivative) {}
