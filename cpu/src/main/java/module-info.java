/**
 * The fast CPU backend: Vector API kernels, the packed float32 matmul and the shared thread pool.
 * The vector module is optional ({@code requires static}); without it every kernel runs its scalar twin.
 */
module fathom.cpu {
    requires transitive fathom.core;
    requires static jdk.incubator.vector;
    requires jdk.management; // KernelWarmup measures what its rounds allocate

    exports fathom.cpu;

    provides fathom.backend.Backend with fathom.cpu.CpuBackend;
}
