package fathom.io;

/** Placeholder. */
final class Safetensors {}
