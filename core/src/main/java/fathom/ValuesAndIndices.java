package fathom;

/** The values and (int64) indices that {@link Tensor#max(int, boolean)} and {@link Tensor#min(int, boolean)} return. */
public record ValuesAndIndices(Tensor values, Tensor indices) {}
