package fathom.nn;

/** How a {@link Loss} combines its element-wise values: PyTorch's {@code reduction='none' | 'mean' | 'sum'}. */
public enum Reduction { NONE, MEAN, SUM }
