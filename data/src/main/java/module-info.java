/** Data: datasets and loaders, readers for IDX, CIFAR-10, image folders and CSV, transforms, and text (tokenizers, token windows, corpora). */
module fathom.data {
    requires transitive fathom.core;
    requires java.desktop;
    requires com.fasterxml.jackson.core;

    exports fathom.data;
    exports fathom.data.text;
}
