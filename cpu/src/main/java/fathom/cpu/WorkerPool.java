package fathom.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads named {@code fathom-worker-N} that help the calling thread run the
 * chunks of one {@link Parallel#forRange} loop at a time.
 *
 * <p>Chunks are claimed from an atomic counter, so the caller alone finishes a loop when the workers
 * are slow to wake. Idle workers spin for a millisecond before parking: a training step runs its
 * parallel loops a few microseconds to a few hundred apart (much of the serial work between them
 * is the JVM zeroing new arrays, the rest autograd's bookkeeping), and waking a parked worker is slow on a VM.
 *
 * <p>On this project's 2-core VM, {@code LockSupport.unpark} of a parked thread took 36-59 µs on
 * average (up to 1.2 ms) of the caller's time, where the other vCPU had halted, and the woken worker
 * joined the loop later still. With a 50 µs spin, 100-165 of the GPT benchmark's 260 loops per step
 * found the worker parked and the caller spent 2-23 ms per step in unpark; with 1 ms, 1-4 loops did.
 * GPT training step 1.08x faster (medians; faster in 13 of 16 alternating rounds of
 * {@code reference/side_by_side.py}; 1.045x, 12 of 14, with the order swapped), char-LSTM 1.01x (7 of 12). OpenMP runtimes do the same: GNU's
 * spins before it sleeps and Intel's keeps its threads spinning for 200 ms.
 */
final class WorkerPool {
    /** How long an idle worker or a waiting caller spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 1_000_000;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job current;
    private volatile boolean stopped;

    WorkerPool(int count) {
        workers = new Thread[count];
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::workLoop, "fathom-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Takes the pool for one loop; false when another loop (or this one, nested) holds it. */
    boolean tryAcquire() {
        return !busy.get() && busy.compareAndSet(false, true);
    }

    void release() {
        busy.set(false);
    }

    /** Runs {@code chunks} chunks of {@code [0, n)} and rethrows the first failure. */
    void run(int n, int chunks, RangeBody body) {
        Job job = new Job(n, chunks, body, Thread.currentThread());
        current = job;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        job.work();
        job.awaitDone();
        current = null;
        Throwable error = job.error;
        if (error instanceof RuntimeException e) {
            throw e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        if (error != null) {
            throw new RuntimeException(error);
        }
    }

    /** Waits for a running loop, then stops the workers; the pool is unusable afterwards. */
    void shutdown() {
        while (!tryAcquire()) {
            Thread.onSpinWait();
        }
        stopped = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    private void workLoop() {
        Job seen = null;
        while (!stopped) {
            Job job = current;
            if (job != null && job != seen) {
                seen = job;
                job.work();
                continue;
            }
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (current == job && !stopped && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (current == job && !stopped) {
                LockSupport.park(this);
            }
        }
    }

    /** One loop: the chunk counter, the count still running, and the first failure. */
    private static final class Job {
        final int n;
        final int chunks;
        final RangeBody body;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        volatile Throwable error;

        Job(int n, int chunks, RangeBody body, Thread caller) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks);
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                // Chunk c covers [c*n/chunks, (c+1)*n/chunks): sizes differ by at most one index.
                int start = (int) ((long) c * n / chunks);
                int end = (int) ((long) (c + 1) * n / chunks);
                try {
                    if (error == null) {
                        body.run(start, end);
                    }
                } catch (Throwable t) {
                    synchronized (this) {
                        if (error == null) {
                            error = t;
                        }
                    }
                }
                if (pending.decrementAndGet() == 0 && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void awaitDone() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (pending.get() != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            while (pending.get() != 0) {
                LockSupport.park(this);
            }
        }
    }
}
