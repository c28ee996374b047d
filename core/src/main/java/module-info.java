/**
 * Fathom's core: tensors, views, autograd with its one derivative table, the backend SPI with the
 * scalar reference backend, the seeded {@link fathom.Rng}, and safetensors files. Depends on the JDK only.
 */
module fathom.core {
    exports fathom;
    exports fathom.autograd;
    exports fathom.backend;
    exports fathom.io;

    uses fathom.backend.Backend;
    provides fathom.backend.Backend with fathom.backend.ScalarBackend;
}
