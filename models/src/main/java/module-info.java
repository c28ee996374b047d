/** Ready-made model families, each built only from public layers. */
module fathom.models {
    requires transitive fathom.train;

    exports fathom.models;
}
