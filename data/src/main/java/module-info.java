/** Data: datasets and loaders, readers for IDX, CIFAR-10, image folders and CSV, and transforms. */
module fathom.data {
    requires transitive fathom.core;
    requires java.desktop;

    exports fathom.data;
}
