package fathom.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.cpu.Fp32Peak;
import org.junit.jupiter.api.Test;

class MatmulTimingTest {
    /**
     * A "product" of 2·100³ flops that takes 2 ms runs at about 1 GFLOP/s, so its fraction of the peak is
     * about 1 / peak: the paired rounds report seconds per call and GFLOP/s over the probe's GFLOP/s.
     */
    @Test
    void eachRoundIsPairedWithAProbeOfThePeak() {
        MatmulTiming.Case c = new MatmulTiming.Case("sleep", 100, 100, 100, false, false);
        MatmulTiming.Paired p = MatmulTiming.pairedWithPeak(c, () -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(p.secondsPerCall() >= 0.002 && p.secondsPerCall() < 0.05, "seconds per call " + p.secondsPerCall());
        double gflops = 2e6 / p.secondsPerCall() / 1e9;
        double peak = Fp32Peak.measureGflopsNow(0.1);
        // the probe's reading moves with the machine's load: allow a factor of three either way
        double expected = gflops / peak;
        assertTrue(p.fractionOfPeak() > expected / 3 && p.fractionOfPeak() < expected * 3,
                "fraction " + p.fractionOfPeak() + " against about " + expected);
    }
}
