package fathom.testing;

import static fathom.testing.Samples.custom;

import fathom.Recurrent;
import fathom.Tensor;
import fathom.backend.RecurrentMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Specs of the fused recurrent ops: the LSTM and GRU cells, and whole sequences of every cell (tanh and
 * relu RNN, LSTM, GRU) forward and reversed, with and without per-sequence lengths. Hidden sizes are
 * small and odd, so vector kernels run their tails.
 */
final class RecurrentSpecs {
    private RecurrentSpecs() {}

    static List<OpSpec> all() {
        List<OpSpec> specs = new ArrayList<>();
        specs.add(custom("lstm_cell", in -> List.of(Recurrent.lstmCell(in.get(0), in.get(1))), true, rng -> List.of(
                List.of(Domain.ANY.sample(rng, 3, 8), Domain.ANY.sample(rng, 3, 2)),
                List.of(Domain.ANY.sample(rng, 2, 36), Domain.ANY.sample(rng, 2, 9)),
                List.of(Domain.ANY.sample(rng, 0, 12), Domain.ANY.sample(rng, 0, 3)))));
        specs.add(custom("gru_cell", in -> List.of(Recurrent.gruCell(in.get(0), in.get(1), in.get(2))), true, rng -> List.of(
                List.of(Domain.ANY.sample(rng, 3, 6), Domain.ANY.sample(rng, 3, 6), Domain.ANY.sample(rng, 3, 2)),
                List.of(Domain.ANY.sample(rng, 2, 27), Domain.ANY.sample(rng, 2, 27), Domain.ANY.sample(rng, 2, 9)))));
        int[] lengths = {4, 2, 3};
        for (RecurrentMode mode : RecurrentMode.values()) {
            String base = mode.name().toLowerCase() + "_sequence";
            specs.add(sequence(base, mode, null, false));
            specs.add(sequence(base + "_reverse", mode, null, true));
            specs.add(sequence(base + "_lengths", mode, lengths, false));
            specs.add(sequence(base + "_lengths_reverse", mode, lengths, true));
        }
        return specs;
    }

    /** Inputs xg [4, 3, G·H], wHh [G·H, H], bHh [G·H], h0 [3, H] (and c0 for the LSTM); H = 3, then 5 without bias samples. */
    private static OpSpec sequence(String name, RecurrentMode mode, int[] lengths, boolean reverse) {
        boolean lstm = mode == RecurrentMode.LSTM;
        return custom(name, in -> List.of(Recurrent.sequence(mode, in.get(0), in.get(1), in.get(2), in.get(3), lstm ? in.get(4) : null,
                lengths, reverse)), true, rng -> {
                    List<List<Tensor>> samples = new ArrayList<>();
                    for (int hidden : new int[] {3, 5}) {
                        int width = mode.gates() * hidden;
                        // weights of scale 1/√H, as PyTorch initializes them, keep the states away from saturation
                        double scale = 1 / Math.sqrt(hidden);
                        List<Tensor> s = new ArrayList<>(List.of(Domain.ANY.sample(rng, 4, 3, width), Domain.ANY.sample(rng, width, hidden).mul(scale),
                                Domain.ANY.sample(rng, width).mul(scale), Domain.ANY.sample(rng, 3, hidden)));
                        if (lstm) {
                            s.add(Domain.ANY.sample(rng, 3, hidden));
                        }
                        samples.add(s);
                    }
                    return samples;
                });
    }
}
