/** Training: the {@link fathom.train.Trainer} loop, callbacks, metrics, checkpoints and plots. */
module fathom.train {
    requires transitive fathom.nn;
    requires transitive fathom.data;
    requires java.desktop;

    exports fathom.train;
}
