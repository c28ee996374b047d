package fathom.cpu;

/** Placeholder so the module compiles; replaced by the real backend. */
public final class CpuBackend extends fathom.backend.ScalarBackend {
    @Override public String name() { return "cpu"; }
}
