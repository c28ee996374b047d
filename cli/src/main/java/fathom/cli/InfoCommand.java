package fathom.cli;

import fathom.backend.Backends;
import fathom.cpu.Fp32Peak;
import fathom.cpu.MatmulF32;
import fathom.cpu.Parallel;
import fathom.cpu.Simd;

/** Prints what Fathom runs on here: backend, threads, vector width, matmul tile and the measured FP32 peak. */
final class InfoCommand implements Subcommand {
    @Override
    public void declare(Options o) {}

    @Override
    public int run() {
        System.out.printf("java       %s (%s)%n", Runtime.version(), System.getProperty("java.vm.vendor"));
        System.out.printf("backend    %s%n", Backends.current().name());
        System.out.printf("threads    %d (set FATHOM_THREADS to change)%n", Parallel.threads());
        System.out.printf("kernels    %s (set FATHOM_VECTOR=off|128|256 to change)%n", Simd.describe());
        System.out.printf("matmul     %s tiles (at 256 bits, 6x16 needs the JVM flag -XX:-OptoRegScheduling, which ./fathom passes)%n",
                MatmulF32.tileShape());
        System.out.printf("fp32 peak  %.1f GFLOP/s (measured FMA throughput, all threads)%n", Fp32Peak.measureGflops());
        return 0;
    }
}
