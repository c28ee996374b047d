package fathom.io;

/** Placeholder until the safetensors reader lands. */
final class Safetensors {
    private Safetensors() {}
}
