package fathom.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import fathom.DType;
import org.junit.jupiter.api.Test;

/** The per-thread store of finished arrays hands back exactly the length asked for, within its bounds. */
class RecycledArraysTest {
    private static final int N = RecycledArrays.MIN_LENGTH;

    @Test
    void anArrayComesBackOnlyForItsOwnLengthAndOnlyOnce() {
        RecycledArrays r = new RecycledArrays();
        float[] a = new float[N];
        r.give(a);
        assertNull(r.take(N + 1));
        assertSame(a, r.take(N));
        assertNull(r.take(N));
        assertEquals(0, r.floats());
    }

    @Test
    void keepsAtMostPerLengthArraysOfOneLengthAndMaxFloatsInAll() {
        RecycledArrays r = new RecycledArrays();
        for (int i = 0; i < RecycledArrays.PER_LENGTH + 3; i++) {
            r.give(new float[N]);
        }
        assertEquals((long) RecycledArrays.PER_LENGTH * N, r.floats());
        RecycledArrays big = new RecycledArrays();
        int len = (int) (RecycledArrays.MAX_FLOATS / 3);
        for (int i = 0; i < 4; i++) {
            big.give(new float[len]);
        }
        assertEquals(3L * len, big.floats());
    }

    @Test
    void storageReusesARecycledArrayUnlessSmallOrSwitchedOff() {
        boolean was = Storage.setRecycling(true);
        try {
            Storage s = Storage.allocate(DType.FLOAT32, N);
            Storage.recycle(s);
            assertSame(s.floats(), Storage.allocateUninitialized(DType.FLOAT32, N).floats());
            Storage small = Storage.allocate(DType.FLOAT32, N - 1);
            Storage.recycle(small);
            assertNotSame(small.floats(), Storage.allocateUninitialized(DType.FLOAT32, N - 1).floats());
            Storage t = Storage.allocate(DType.FLOAT32, N);
            Storage.recycle(t);
            Storage.setRecycling(false);
            assertNotSame(t.floats(), Storage.allocateUninitialized(DType.FLOAT32, N).floats());
            Storage.setRecycling(true);
            assertNotSame(t.floats(), Storage.allocateUninitialized(DType.FLOAT32, N).floats(), "switching off drops what was kept");
        } finally {
            Storage.setRecycling(was);
        }
    }
}
