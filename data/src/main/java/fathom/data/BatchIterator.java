package fathom.data;

import fathom.Tensor;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One epoch of a {@link DataLoader}: returns the epoch's batches in order, each loaded in the caller's
 * thread (no workers) or ahead of time on the loader's daemon worker threads; {@link #close()} stops
 * the workers at once.
 *
 * <p>A failure while loading sample {@code i} surfaces from {@link #next()}, at the batch holding it,
 * as a {@link DataLoaderException} naming {@code i}; the iterator is closed then, and has no next.
 * Workers load at most {@code workers × prefetch} batches ahead, so an iterator that is dropped
 * without closing stops costing work after those; its idle threads end after {@link #IDLE_MILLIS}
 * (and a cleaner shuts its pool when it is collected).
 */
public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
    /** How long an idle worker thread waits for a task before ending. */
    static final long IDLE_MILLIS = 1000;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREAD_COUNT = new AtomicInteger();
    private static final ThreadFactory DAEMONS = task -> {
        Thread t = new Thread(task, "fathom-data-loader-" + THREAD_COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
    };

    private final Dataset dataset;
    private final int[] order;
    private final int batchSize;
    private final int numBatches;
    private final long epochSeed;
    private final ThreadPoolExecutor pool;
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    private final Cleaner.Cleanable cleanable;
    private int returned;
    private int submitted;
    private boolean closed;

    BatchIterator(Dataset dataset, int[] order, LoaderConfig config, int numBatches, long epochSeed) {
        this.dataset = dataset;
        this.order = order;
        this.batchSize = config.batchSize();
        this.numBatches = numBatches;
        this.epochSeed = epochSeed;
        if (config.workers() == 0 || numBatches == 0) {
            pool = null;
            cleanable = null;
            return;
        }
        pool = new ThreadPoolExecutor(config.workers(), config.workers(), IDLE_MILLIS, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), DAEMONS);
        pool.allowCoreThreadTimeOut(true);
        ThreadPoolExecutor p = pool;
        cleanable = CLEANER.register(this, p::shutdownNow);
        int window = Math.min(numBatches, config.workers() * config.prefetch());
        while (submitted < window) {
            submitNext();
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && returned < numBatches;
    }

    /** The next batch; throws {@link DataLoaderException} when loading it failed. */
    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed && returned < numBatches
                    ? "this data loader iterator was closed after " + returned + " of " + numBatches + " batches"
                    : "all " + numBatches + " batches of this epoch were returned");
        }
        Batch batch;
        try {
            batch = pool == null ? load(dataset, batchIndices(returned), epochSeed) : takeAhead();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        returned++;
        if (returned == numBatches) {
            close();
        }
        return batch;
    }

    /** Stops the workers (interrupting loads in progress) and drops the batches loaded ahead; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Future<Batch> f : ahead) {
            f.cancel(true);
        }
        ahead.clear();
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    private Batch takeAhead() {
        Future<Batch> head = ahead.poll();
        if (submitted < numBatches) {
            submitNext();
        }
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoaderException("interrupted while waiting for batch " + returned, -1, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DataLoaderException d) {
                // a fresh exception, so that its stack trace shows the caller of next(); the worker's is in the cause
                throw new DataLoaderException(d.getMessage(), d.sampleIndex(), d.getCause());
            }
            throw new DataLoaderException("loading batch " + returned + " failed in a worker thread: " + cause, -1, cause);
        }
    }

    private void submitNext() {
        ahead.add(pool.submit(task(dataset, batchIndices(submitted), epochSeed)));
        submitted++;
    }

    // static, so that a task holds no reference to the iterator and an abandoned iterator can be collected
    private static Callable<Batch> task(Dataset dataset, int[] indices, long epochSeed) {
        return () -> load(dataset, indices, epochSeed);
    }

    private int[] batchIndices(int batch) {
        int from = batch * batchSize;
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
    }

    /** Loads and collates the samples at {@code indices}: one select when the dataset can, else get and stack. */
    static Batch load(Dataset dataset, int[] indices, long epochSeed) {
        Optional<Batch> whole;
        try {
            whole = dataset.select(indices);
        } catch (RuntimeException e) {
            throw new DataLoaderException("selecting the batch of samples " + describe(indices) + " failed: " + e, -1, e);
        }
        if (whole.isPresent()) {
            return whole.get();
        }
        List<Tensor> inputs = new ArrayList<>(indices.length);
        List<Tensor> targets = new ArrayList<>(indices.length);
        for (int i : indices) {
            Example example;
            try {
                example = dataset.get(i, DataLoader.sampleRng(epochSeed, i));
            } catch (RuntimeException e) {
                throw new DataLoaderException("loading sample " + i + " failed: " + e, i, e);
            }
            Example first = inputs.isEmpty() ? example : new Example(inputs.get(0), targets.get(0));
            checkCollatable(first, example, indices[0], i);
            inputs.add(example.input());
            targets.add(example.target());
        }
        return new Batch(Tensor.stack(inputs, 0), Tensor.stack(targets, 0));
    }

    private static void checkCollatable(Example first, Example e, int firstIndex, int index) {
        if (!first.input().shape().equals(e.input().shape()) || first.input().dtype() != e.input().dtype()) {
            throw new DataLoaderException("cannot stack sample " + index + " into a batch: its input is "
                    + e.input().dtype() + " " + e.input().shape() + " but sample " + firstIndex + "'s is "
                    + first.input().dtype() + " " + first.input().shape() + " (resize or crop to one size)", index, null);
        }
        if (!first.target().shape().equals(e.target().shape()) || first.target().dtype() != e.target().dtype()) {
            throw new DataLoaderException("cannot stack sample " + index + " into a batch: its target is "
                    + e.target().dtype() + " " + e.target().shape() + " but sample " + firstIndex + "'s is "
                    + first.target().dtype() + " " + first.target().shape(), index, null);
        }
    }

    private static String describe(int[] indices) {
        return indices.length <= 8 ? Arrays.toString(indices)
                : Arrays.toString(Arrays.copyOf(indices, 8)).replace("]", ", ... (" + indices.length + " in all)]");
    }
}
