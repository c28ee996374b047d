package fathom.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.DType;
import fathom.Rng;
import fathom.Shape;
import fathom.Tensor;
import fathom.Tensors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataLoaderTest {
    /** Sample i is input [i, −i] and int64 target i, read one by one; sample {@code failAt} throws. */
    static final class Counting implements Dataset {
        final int size;
        final int failAt;
        final long sleepMillis;
        final AtomicInteger loads = new AtomicInteger();

        Counting(int size, int failAt, long sleepMillis) {
            this.size = size;
            this.failAt = failAt;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Example get(int index) {
            loads.incrementAndGet();
            if (index == failAt) {
                throw new IllegalStateException("sample " + index + " is broken");
            }
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Example(Tensors.of(new float[] {index, -index}), Tensors.scalar(index, DType.INT64));
        }
    }

    private static List<long[]> targets(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.targets().toLongArray());
        }
        return out;
    }

    @Test
    void batchesInOrderWithAShortLastBatch() {
        DataLoader loader = new DataLoader(new Counting(10, -1, 0), new LoaderConfig(4, false), new Rng(0));
        assertEquals(3, loader.numBatches());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertEquals(Shape.of(4, 2), batches.get(0).inputs().shape());
        assertEquals(Shape.of(4), batches.get(0).targets().shape(), "0-d int64 targets stack to [B]");
        assertEquals(DType.INT64, batches.get(0).targets().dtype());
        assertEquals(Shape.of(2, 2), batches.get(2).inputs().shape());
        assertArrayEquals(new long[] {8, 9}, batches.get(2).targets().toLongArray());
        assertArrayEquals(new float[] {4, -4, 5, -5, 6, -6, 7, -7}, batches.get(1).inputs().toFloatArray());
    }

    @Test
    void dropLastDropsTheShortBatch() {
        DataLoader loader = new DataLoader(new Counting(10, -1, 0), new LoaderConfig(4, false, true, 0, 1), new Rng(0));
        assertEquals(2, loader.numBatches());
        List<long[]> t = targets(loader);
        assertEquals(2, t.size());
        assertArrayEquals(new long[] {4, 5, 6, 7}, t.get(1));
        assertEquals(0, new DataLoader(new Counting(3, -1, 0), new LoaderConfig(4, false, true, 2, 1), new Rng(0)).numBatches());
        assertFalse(new DataLoader(new Counting(3, -1, 0), new LoaderConfig(4, false, true, 2, 1), new Rng(0)).iterator().hasNext());
    }

    @Test
    void shuffleIsAPermutationReproducibleBySeedAndNewEachEpoch() {
        Counting data = new Counting(50, -1, 0);
        DataLoader a = new DataLoader(data, new LoaderConfig(7, true), new Rng(42));
        DataLoader b = new DataLoader(data, new LoaderConfig(7, true), new Rng(42));
        long[] epoch1 = flatten(targets(a));
        long[] epoch2 = flatten(targets(a));
        assertArrayEquals(epoch1, flatten(targets(b)), "same seed, same first epoch");
        assertArrayEquals(epoch2, flatten(targets(b)), "same seed, same second epoch");
        assertFalse(Arrays.equals(epoch1, epoch2), "each epoch draws a new permutation");
        long[] sorted = epoch1.clone();
        Arrays.sort(sorted);
        long[] identity = new long[50];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted, "every sample exactly once");
        assertFalse(Arrays.equals(identity, epoch1));
        assertFalse(Arrays.equals(epoch1, flatten(targets(new DataLoader(data, new LoaderConfig(7, true), new Rng(43))))));
    }

    private static long[] flatten(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void workersReturnTheSameBatchesInTheSameOrder(int workers) {
        Counting data = new Counting(103, -1, 0);
        List<long[]> reference = targets(new DataLoader(data, new LoaderConfig(8, true), new Rng(5)));
        List<long[]> got = targets(new DataLoader(data, new LoaderConfig(8, true, false, workers, 2), new Rng(5)));
        assertEquals(reference.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(reference.get(i), got.get(i), "batch " + i);
        }
    }

    @Test
    void tensorDatasetSelectsWholeBatchesEqualToGetAndStack() {
        Rng rng = new Rng(3);
        TensorDataset data = new TensorDataset(Tensors.randn(rng, 30, 2, 3), Tensors.randint(rng, 0, 5, 30));
        Dataset slow = new Dataset() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public Example get(int index) {
                return data.get(index);
            }
        };
        Dataset sub = new Subset(data, new int[] {29, 0, 3, 3, 17, 8, 11});
        Dataset slowSub = new Subset(slow, new int[] {29, 0, 3, 3, 17, 8, 11});
        for (Dataset[] pair : new Dataset[][] {{data, slow}, {sub, slowSub}}) {
            assertTrue(pair[0].select(new int[] {0}).isPresent());
            assertTrue(pair[1].select(new int[] {0}).isEmpty());
            List<Batch> fast = new ArrayList<>();
            new DataLoader(pair[0], new LoaderConfig(4, true), new Rng(9)).forEach(fast::add);
            List<Batch> viaGet = new ArrayList<>();
            new DataLoader(pair[1], new LoaderConfig(4, true), new Rng(9)).forEach(viaGet::add);
            assertEquals(fast.size(), viaGet.size());
            for (int i = 0; i < fast.size(); i++) {
                assertEquals(viaGet.get(i).inputs().shape(), fast.get(i).inputs().shape());
                assertArrayEquals(viaGet.get(i).inputs().toFloatArray(), fast.get(i).inputs().toFloatArray());
                assertArrayEquals(viaGet.get(i).targets().toLongArray(), fast.get(i).targets().toLongArray());
            }
        }
    }

    @Test
    void rowsTakeMatchesIndexSelectOnContiguousAndStridedTensors() {
        Rng rng = new Rng(1);
        Tensor x = Tensors.randn(rng, 6, 4, 5);
        int[] rows = {5, 0, 2, 2};
        Tensor index = Tensors.of(new long[] {5, 0, 2, 2});
        assertArrayEquals(x.indexSelect(0, index).toFloatArray(), Rows.take(x, rows).toFloatArray());
        Tensor strided = x.transpose(1, 2);
        assertEquals(Shape.of(4, 5, 4), Rows.take(strided, rows).shape());
        assertArrayEquals(strided.indexSelect(0, index).toFloatArray(), Rows.take(strided, rows).toFloatArray());
        Tensor offset = Tensors.arange(20).reshape(10, 2).narrow(0, 3, 5);
        assertArrayEquals(new long[] {14, 15, 6, 7}, Rows.take(offset, new int[] {4, 0}).toLongArray());
        assertThrows(IndexOutOfBoundsException.class, () -> Rows.take(offset, new int[] {5}));
    }

    @Test
    void rowsStackMatchesTensorStack() {
        Rng rng = new Rng(2);
        Tensor big = Tensors.randn(rng, 5, 2, 3);
        List<Tensor> rows = List.of(big.select(0, 4), big.select(0, 1), big.select(0, 1));
        assertEquals(Shape.of(3, 2, 3), Rows.stack(rows).shape());
        assertArrayEquals(Tensor.stack(rows, 0).toFloatArray(), Rows.stack(rows).toFloatArray());
        List<Tensor> scalars = List.of(Tensors.scalar(3, DType.INT64), Tensors.scalar(1, DType.INT64));
        assertEquals(Shape.of(2), Rows.stack(scalars).shape());
        assertArrayEquals(new long[] {3, 1}, Rows.stack(scalars).toLongArray());
        List<Tensor> strided = List.of(big.select(0, 0).t(), big.select(0, 2).t());
        assertEquals(Shape.of(2, 3, 2), Rows.stack(strided).shape());
        assertArrayEquals(Tensor.stack(strided, 0).toFloatArray(), Rows.stack(strided).toFloatArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void aFailingSampleSurfacesWithItsIndexAndNeverHangs(int workers) {
        Counting data = new Counting(64, 37, 0);
        DataLoader loader = new DataLoader(data, new LoaderConfig(8, false, false, workers, 2), new Rng(0));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            BatchIterator it = loader.iterator();
            for (int b = 0; b < 4; b++) {
                assertEquals(8 * b, it.next().targets().toLongArray()[0]);
            }
            DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
            assertEquals(37, e.sampleIndex());
            assertTrue(e.getMessage().contains("sample 37"), e.getMessage());
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
            assertEquals("sample 37 is broken", e.getCause().getMessage());
            assertFalse(it.hasNext(), "a failed iterator is closed");
            assertThrows(NoSuchElementException.class, it::next);
        });
    }

    @Test
    void shuffledFailureStillNamesTheDatasetIndex() {
        Counting data = new Counting(100, 37, 0);
        DataLoader loader = new DataLoader(data, new LoaderConfig(10, true, false, 3, 1), new Rng(8));
        DataLoaderException e = assertThrows(DataLoaderException.class, () -> loader.forEach(b -> { }));
        assertEquals(37, e.sampleIndex());
    }

    @Test
    void samplesThatCannotBeStackedAreNamed() {
        Dataset ragged = new Dataset() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public Example get(int index) {
                return new Example(Tensors.zeros(index == 2 ? 3 : 2), Tensors.scalar(0, DType.INT64));
            }
        };
        DataLoaderException e = assertThrows(DataLoaderException.class,
                () -> new DataLoader(ragged, new LoaderConfig(4, false), new Rng(0)).iterator().next());
        assertEquals(2, e.sampleIndex());
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void workersLoadOnlyABoundedNumberOfBatchesAhead() throws InterruptedException {
        Counting data = new Counting(1000, -1, 0);
        try (BatchIterator it = new DataLoader(data, new LoaderConfig(10, false, false, 2, 2), new Rng(0)).iterator()) {
            it.next();
            Thread.sleep(300);
            // the batch returned plus at most workers × prefetch = 4 in flight
            assertTrue(data.loads.get() <= 50, "loaded " + data.loads.get() + " samples ahead");
            assertTrue(data.loads.get() >= 10);
        }
    }

    @Test
    void closingEarlyStopsTheWorkerThreads() {
        Counting data = new Counting(10_000, -1, 2);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            BatchIterator it = new DataLoader(data, new LoaderConfig(4, true, false, 4, 2), new Rng(0)).iterator();
            it.next();
            it.close();
            it.close();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            awaitNoLoaderThreads();
        });
        assertTrue(data.loads.get() < 100, "closing stopped the loading, " + data.loads.get() + " samples were loaded");
    }

    @Test
    void anAbandonedIteratorLeavesNoThreadsBehind() {
        Counting data = new Counting(10_000, -1, 0);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 5; i++) {
                BatchIterator it = new DataLoader(data, new LoaderConfig(16, true, false, 3, 2), new Rng(i)).iterator();
                it.next();
            }
            awaitNoLoaderThreads();
        });
        assertTrue(data.loads.get() <= 5 * 7 * 16, "abandoned iterators kept loading: " + data.loads.get());
    }

    @Test
    void aFinishedEpochReleasesItsThreads() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            DataLoader loader = new DataLoader(new Counting(40, -1, 0), new LoaderConfig(4, false, false, 2, 3), new Rng(0));
            assertEquals(10, targets(loader).size());
            awaitNoLoaderThreads();
        });
    }

    private static void awaitNoLoaderThreads() throws InterruptedException {
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("fathom-data-loader-"))) {
            Thread.sleep(20);
        }
    }

    @Test
    void randomSplitIsDisjointCompleteAndSeeded() {
        Counting data = new Counting(103, -1, 0);
        List<Subset> parts = Subset.randomSplit(data, new double[] {0.8, 0.2}, new Rng(4));
        assertEquals(83, parts.get(0).size());
        assertEquals(20, parts.get(1).size());
        long[] all = new long[103];
        int k = 0;
        for (Subset s : parts) {
            for (int i = 0; i < s.size(); i++) {
                all[k++] = (long) s.get(i).target().item();
            }
        }
        Arrays.sort(all);
        for (int i = 0; i < 103; i++) {
            assertEquals(i, all[i]);
        }
        assertArrayEquals(parts.get(1).indices(), Subset.randomSplit(data, new int[] {83, 20}, new Rng(4)).get(1).indices());
        assertNotEquals(Arrays.toString(parts.get(1).indices()),
                Arrays.toString(Subset.randomSplit(data, new int[] {83, 20}, new Rng(5)).get(1).indices()));
        assertThrows(IllegalArgumentException.class, () -> Subset.randomSplit(data, new int[] {80, 20}, new Rng(0)));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(data, new int[] {103}));
        assertSame(data, parts.get(0).dataset());
    }

    @Test
    void configsAndDatasetsRefuseBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LoaderConfig(0, false));
        assertThrows(IllegalArgumentException.class, () -> new LoaderConfig(4, false, false, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> new LoaderConfig(4, false, false, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensors.zeros(5, 2), Tensors.zeros(4)));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> new TensorDataset(Tensors.zeros(5, 2), Tensors.zeros(5)).get(5));
    }
}
