/** Networks: {@link fathom.nn.Module} and its layers, initialization and losses; optimizers and schedules in {@code fathom.optim}. */
module fathom.nn {
    requires transitive fathom.core;

    exports fathom.nn;
    exports fathom.optim;
}
