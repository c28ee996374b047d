/** Test support shared by every backend: the op-spec registry, gradient checks and backend conformance. */
module fathom.testing {
    requires transitive fathom.core;

    exports fathom.testing;
}
