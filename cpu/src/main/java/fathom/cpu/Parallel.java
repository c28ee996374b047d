package fathom.cpu;

/**
 * The one shared CPU thread pool: {@link #forRange} splits {@code [0, n)} into chunks of at least
 * {@code grain} indices and runs them on the calling thread plus {@code threads() - 1} daemon workers.
 *
 * <p>The thread count defaults to the environment variable {@code FATHOM_THREADS} when it holds a
 * positive integer, else to {@link Runtime#availableProcessors()}. Only one loop uses the workers at a
 * time: a nested call (a body that calls {@code forRange}) and a call from a second thread while the pool
 * is busy run inline on their own thread, so nesting never deadlocks and never oversubscribes the cores.
 */
public final class Parallel {
    private static volatile int threads = defaultThreads();
    private static volatile WorkerPool pool;

    private Parallel() {}

    /** The number of threads a parallel loop uses, the calling thread included; at least 1. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads parallel loops use, the calling thread included.
     *
     * <p>Waits for a running loop to finish, then replaces the workers; the old ones exit.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        synchronized (Parallel.class) {
            if (n == threads) {
                return;
            }
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
            threads = n;
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into chunks of at least {@code grain} indices each (at
     * most four per thread, claimed by whichever thread is free), and returns when every chunk is done.
     *
     * <p>With one thread, {@code n <= grain}, or when called from inside another loop, the body runs
     * once inline as {@code body.run(0, n)} with no allocation. If chunks throw, the first exception is
     * rethrown after all chunks finish: unchecked exceptions and errors as they are, anything else
     * wrapped in a {@link RuntimeException}.
     *
     * @throws IllegalArgumentException if {@code n < 0} or {@code grain < 1}
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n < 0 || grain < 1) {
            throw new IllegalArgumentException("forRange needs n >= 0 and grain >= 1, got n=" + n + ", grain=" + grain);
        }
        if (n == 0) {
            return;
        }
        int t = threads;
        if (t == 1 || n <= grain) {
            body.run(0, n);
            return;
        }
        // Up to four chunks per thread, claimed dynamically: when a worker is slow to get a core (another
        // process is running), the caller takes over its share instead of waiting for it.
        int chunks = (int) Math.min(4L * t, n / grain);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        WorkerPool p = pool();
        if (!p.tryAcquire()) {
            body.run(0, n);
            return;
        }
        try {
            p.run(n, chunks, body);
        } finally {
            p.release();
        }
    }

    private static WorkerPool pool() {
        WorkerPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    pool = new WorkerPool(threads - 1);
                }
                p = pool;
            }
        }
        return p;
    }

    private static int defaultThreads() {
        String env = System.getenv("FATHOM_THREADS");
        if (env != null) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // An unusable setting falls back to the core count rather than failing class init.
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
