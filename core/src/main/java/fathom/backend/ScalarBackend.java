package fathom.backend;

/** Placeholder. */
public class ScalarBackend implements Backend {
    @Override public String name() { return "scalar"; }
}
