package fathom.cpu;

/**
 * The work of one chunk of a {@link Parallel#forRange} loop: process indices {@code [start, end)}.
 *
 * <p>Chunks of one loop run concurrently, so a body must only write state that its own index range owns.
 */
@FunctionalInterface
public interface RangeBody {
    /** Processes indices {@code start <= i < end}. */
    void run(int start, int end);
}
