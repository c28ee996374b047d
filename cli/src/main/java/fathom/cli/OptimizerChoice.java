package fathom.cli;

import fathom.Tensor;
import fathom.optim.Adagrad;
import fathom.optim.AdagradConfig;
import fathom.optim.Adam;
import fathom.optim.AdamConfig;
import fathom.optim.AdamW;
import fathom.optim.Optimizer;
import fathom.optim.RmsProp;
import fathom.optim.RmsPropConfig;
import fathom.optim.Sgd;
import fathom.optim.SgdConfig;
import java.util.List;

/** The optimizers {@code fathom train --optimizer} offers, with PyTorch's defaults for what the command line does not set. */
enum OptimizerChoice {
    SGD, ADAM, ADAMW, RMSPROP, ADAGRAD;

    Optimizer<?> create(List<Tensor> params, double lr, double momentum, double weightDecay) {
        return switch (this) {
            case SGD -> new Sgd(params, new SgdConfig(lr, momentum, 0, weightDecay, false));
            case ADAM -> new Adam(params, new AdamConfig(lr, 0.9, 0.999, 1e-8, weightDecay, false));
            case ADAMW -> new AdamW(params, new AdamConfig(lr, 0.9, 0.999, 1e-8, weightDecay == 0 ? 0.01 : weightDecay, false));
            case RMSPROP -> new RmsProp(params, new RmsPropConfig(lr, 0.99, 1e-8, weightDecay, momentum, false));
            case ADAGRAD -> new Adagrad(params, new AdagradConfig(lr, 0, weightDecay, 0, 1e-10));
        };
    }
}
