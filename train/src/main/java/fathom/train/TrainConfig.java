package fathom.train;

/**
 * How {@link Trainer#fit} runs: the number of epochs, and the gradient-norm clip applied before each
 * optimizer step (0 = no clipping, as PyTorch's default loop).
 */
public record TrainConfig(int epochs, double clipGradNorm) {
    public TrainConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (clipGradNorm < 0) {
            throw new IllegalArgumentException("clipGradNorm must be >= 0 (0 turns clipping off), got " + clipGradNorm);
        }
    }

    public TrainConfig(int epochs) {
        this(epochs, 0);
    }
}
