package fathom.autograd;

/** Placeholder. */
public sealed interface Op permits Op.Placeholder { record Placeholder() implements Op {} }
