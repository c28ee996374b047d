package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks {@link Parallel}: coverage, chunk sizes, exceptions, nesting and thread-count changes. */
class ParallelTest {
    private int saved;

    @BeforeEach
    void useFourThreads() {
        saved = Parallel.threads();
        Parallel.setThreads(4);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void coversEveryIndexExactlyOnce() {
        for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001, 65_537}) {
            for (int grain : new int[] {1, 3, 64, 5000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                AtomicInteger smallest = new AtomicInteger(Integer.MAX_VALUE);
                Parallel.forRange(n, grain, (s, e) -> {
                    smallest.accumulateAndGet(e - s, Math::min);
                    for (int i = s; i < e; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "n=" + n + " grain=" + grain + " index " + i);
                }
                if (n > 0) {
                    assertTrue(smallest.get() >= Math.min(n, grain), "chunk smaller than grain: n=" + n + " grain=" + grain);
                }
            }
        }
    }

    @Test
    void rethrowsTheChunkException() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(1000, 1, (s, e) -> {
                    if (s == 0) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        // The pool still works after a failure.
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(1000, 1, (s, e) -> sum.addAndGet(e - s));
        assertEquals(1000, sum.get());
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forRange(64, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                Parallel.forRange(64, 1, (s2, e2) -> {
                    for (int j = s2; j < e2; j++) {
                        hits.incrementAndGet(row * 64 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 64 * 64; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void runsOnNamedDaemonWorkers() {
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 200 && names.size() < 2; round++) {
            Parallel.forRange(4, 1, (s, e) -> {
                Thread t = Thread.currentThread();
                if (t.getName().startsWith("fathom-worker-")) {
                    assertTrue(t.isDaemon());
                }
                names.add(t.getName());
                long until = System.nanoTime() + 200_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        assertTrue(names.stream().anyMatch(s -> s.startsWith("fathom-worker-")), "no worker ran a chunk: " + names);
    }

    @Test
    void validatesArguments() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(-1, 1, (s, e) -> { }));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(10, 0, (s, e) -> { }));
    }

    @Test
    void singleThreadRunsInline() {
        Parallel.setThreads(1);
        Thread me = Thread.currentThread();
        int[] calls = {0};
        Parallel.forRange(1000, 1, (s, e) -> {
            assertSame(me, Thread.currentThread());
            assertEquals(0, s);
            assertEquals(1000, e);
            calls[0]++;
        });
        assertEquals(1, calls[0]);
    }
}
