package fathom.backend;

/** Placeholder SPI; the real one lands with the core. */
public interface Backend {
    String name();
}
