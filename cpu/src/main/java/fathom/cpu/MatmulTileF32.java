package fathom.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matmul micro-kernel: {@code C[0:MR, 0:NR] (+)= Apanel · Bpanel} over {@code kc} steps, with
 * {@code NR} two vectors wide (16 floats at 256 bits, 32 at 512) and {@code MR} = 6 rows at 256 bits, or 4 where the
 * JVM would spill six rows' accumulators, and 8 rows at 512 bits ({@link #eightRows}).
 *
 * <p>The A panel holds {@code kc} columns of {@code MR} floats, the B panel {@code kc} rows of {@code NR} floats,
 * both packed contiguously by {@link MatmulPackF32}. Eight or twelve vector accumulators cover the FMA latency
 * of two pipes. Why 6 x 16 or 4 x 16, measured on one Zen 3 thread over a 120 x 480 x 256 block of packed panels (thread
 * CPU time over rounds of 0.1 s or more; the FMA-throughput loop of {@link Fp32Peak} reached 80-93 GFLOP/s
 * under the same load, and the VM was shared, so about ±5%):
 * <ul>
 *   <li>4 x 16 (8 accumulators + 2 B vectors + 4 row broadcasts): 83-88 GFLOP/s, about the FMA loop's;
 *   <li>6 x 16 and 4 x 24 (12 accumulators) collapse to 35-49 under C2's default flags: C2 issues all the loads of
 *       one step (B vectors and broadcasts) first, and with 12 accumulators they no longer fit the 16 vector
 *       registers, so one accumulator lives on the stack and its store/reload lands on a dependency
 *       chain (seen in the disassembly). That order comes from C2's register-pressure scheduler
 *       ({@code OptoRegScheduling}, on by default on x86): with {@code -XX:-OptoRegScheduling} the 6 x 16 loop keeps
 *       its 12 accumulators in registers (30 instructions per 12 FMAs) and ran 1.03-1.08x faster than 4 x 16
 *       alone (one JVM, alternating, busy and quiet minutes); 4 x 24 spills either way. With six-row panels,
 *       against four-row ones, processes alternating on the busy VM: 1024² products 1.04x (16 rounds, faster in 12;
 *       a first measurement build read 1.08-1.16x in two runs of 8-10 rounds), the GPT training step 1.06x per round
 *       (1.08x of the medians, faster in 6 of 10), and 4 x 16 with the flag alone ran as without it (1024²
 *       0.99x per round, the GPT step 0.99x). The flag changes how C2 schedules every method, the convolution
 *       kernels too: LeNet's step (little matmul) read 0.94-1.14x with it against without it over six pairs of
 *       processes, inside the 5.9-11.7 ms spread its processes show from one JIT run to the next. The flag is JVM-wide, with no per-method form, and a library cannot
 *       set it, while without it a 6 x 16 kernel runs at half speed. So {@link #MR} is chosen when this class loads:
 *       6 when the flag is off (the {@code fathom} launcher, the tests and the JMH benchmarks pass it) and the species
 *       has 8 lanes (the width it was measured at, and the one whose packing has 8 x 8 transposes), else 4, which
 *       a program embedding Fathom without the flag keeps. Every element is the same chain of FMAs either way,
 *       so the tile height changes no result;
 *   <li>5 x 16 (10 accumulators) 77-87, 3 x 24 (9) 79-96, 2 x 32 70-82: no better; unrolling 4 x 16 by
 *       two steps by hand: slower (82-87 against 84-94 in that run);
 *   <li>reading A's rows in place instead of a packed panel (a row-major A would need no packing): 8-12%
 *       slower; reading B's rows in place: 40-60% slower (rows a power of two apart share L1 sets).
 * </ul>
 * The loop steps two offsets ({@code ao += MR, bo += NR}) instead of computing {@code aOff + p*MR} and
 * {@code bOff + p*NR} from a counter: C2 then spends 18 instructions on a step instead of 21 (counted in the
 * disassembly: the 14 loads and FMAs plus index arithmetic and the loop branch; C2 does not unroll this loop,
 * and unrolled by hand it spills, as above). Fewer instructions matter when a neighbour on the host shares the
 * core's front end: with the FMA loop unchanged at 96-100 GFLOP/s beside it, the kernel read 50-60 GFLOP/s in
 * busy minutes and the stepped loop 64-80, and in quiet minutes both read 90-96 (one JVM, alternating: 1.06x
 * on average over 28 rounds, 1.05x at {@code kc} = 128).
 * In later disassemblies (JDK 25.0.3) C2 derives {@code bo} from {@code ao} instead (a {@code lea}) and
 * sign-extends {@code ao} (a {@code movslq}): 19 instructions per step. Ways to fewer, tried in one JVM against
 * this loop: one byte offset over heap {@code MemorySegment}s, so that B is addressed at scale 4 from A's
 * offset: C2 unrolls that loop four times and spills (about half the GFLOP/s); testing {@code bo} instead of
 * {@code ao} for the exit: the range checks on A come back into the loop (24 instructions); two steps per
 * iteration with a store of an accumulator to a per-thread scratch array between them, which keeps the second
 * step's loads below the first (no spills): 38 instructions per two steps, and 35 with the loop in a method of
 * its own that leaves its sums in that array, yet no faster (78.5 against 82.6 GFLOP/s, faster in 7 of 37
 * alternating rounds); four steps that way: past the inlining budget the vectors are boxed, or, in the method
 * of its own, C2 shuttles base registers through the stack (71 instructions per four steps). As that 8% cut in
 * instructions changed nothing measurable, the instruction count may not be all of why busy minutes cost this
 * kernel more than OpenBLAS's: 1024² products (four-row tiles) then ran at 43% fewer GFLOP/s than in a quiet hour,
 * {@code torch.mm} at 17% fewer. Nor is C2's code: the same 4 x 16 loop written with intrinsics and compiled by
 * GCC ({@code -O2 -mavx2 -mfma}) ran within 5% of this one in busy minutes (73.5 against 69 GFLOP/s, processes
 * alternating, GCC's FMA loop at 97), and a 4 x 24 loop, whose 12 accumulators GCC keeps in registers, 7% faster
 * than GCC's 4 x 16. So most of the busy-minute loss falls on any kernel of this kind, and 12 accumulators win
 * back about 7% of it; C2 keeps them in registers only with {@code -XX:-OptoRegScheduling} (the 6 x 16 item above).
 * (The 4 x 16 measurements of this paragraph came before the six-row tiles.)
 * Any helper that takes vectors must be inlined, or C2 boxes the vectors it passes and may allocate the
 * boxes inside the loop (an allocation per step: 5-10 GFLOP/s). At 12 accumulators the node-count
 * inlining cutoff refused the epilogue's helper; in this kernel a 43-byte add-into-C helper was refused
 * whenever the kernel was compiled while its call sites looked cold, which is why the epilogue is
 * written out in the kernel itself.
 *
 * <p>The first k slice of a fresh product stores its tile over C, later slices add to it: the branch sits
 * after the loop, and it saves the pass that cleared C beforehand and a load of every C element, which
 * shows when k is small (an LSTM weight gradient, {@code [1024, 32]ᵀ·[32, 256]}: about 1.2x). Loaded only
 * when {@link Simd#ENABLED}; the scalar twin is {@link MatmulTileF32Scalar}.
 */
final class MatmulTileF32 {
    static final VectorSpecies<Float> SPECIES = VectorSpecies.of(float.class, VectorShape.forBitSize(Simd.BITS));
    static final int LANES = SPECIES.length();
    /**
     * Rows of a tile: 8 at 16 lanes (AVX-512's 32 vector registers hold sixteen accumulators under either scheduler),
     * 6 at 8 lanes where C2 keeps twelve accumulators in its 16 registers, else 4 (see the class comment).
     */
    static final int MR = LANES == 16 ? 8 : LANES == 8 && !registerPressureScheduling() ? 6 : 4;
    static final int NR = 2 * LANES;

    private MatmulTileF32() {}

    /**
     * Whether C2 runs its register-pressure scheduler ({@code -XX:+OptoRegScheduling}, the default on x86), which
     * spills one of a 6 x 16 tile's accumulators. True too when the JVM has no such option (no C2, or not
     * HotSpot): then nothing is known about the twelve accumulators, and four rows are the safe choice.
     */
    private static boolean registerPressureScheduling() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot == null || !"false".equals(hotspot.getVMOption("OptoRegScheduling").getValue());
        } catch (RuntimeException noSuchOption) {
            return true;
        }
    }

    /**
     * {@code c[cOff + r*ldc + j] (+)= sum_p ap[aOff + p*rows + r] * bp[bOff + p*NR + j]} for the full rows x NR
     * tile, {@code rows} = {@link #MR} or 4 (the edge panels of six- and eight-row blocks, {@link MatmulPackF32Scalar#panelHeight}):
     * added to C, or, when {@code overwrite} (the first k slice of a fresh product), stored over it plus
     * {@code bias[biasOff + j]} if {@code bias} is not null (a linear layer's bias, added here instead of in a
     * pass of its own over C).
     */
    static void tile(int kc, int rows, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite,
                     float[] bias, int biasOff) {
        if (rows == 8) {
            eightRows(kc, ap, aOff, bp, bOff, c, cOff, ldc, overwrite, bias, biasOff);
        } else if (rows == 6) {
            sixRows(kc, ap, aOff, bp, bOff, c, cOff, ldc, overwrite, bias, biasOff);
        } else {
            fourRows(kc, ap, aOff, bp, bOff, c, cOff, ldc, overwrite, bias, biasOff);
        }
    }

    /** {@link #tile} with {@code MR} = 4: eight accumulators. */
    private static void fourRows(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite,
                                 float[] bias, int biasOff) {
        VectorSpecies<Float> s = SPECIES;
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s);
        FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s);
        FloatVector c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        for (int ao = aOff, bo = bOff, aEnd = aOff + kc * 4; ao < aEnd; ao += 4, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(s, bp, bo);
            FloatVector b1 = FloatVector.fromArray(s, bp, bo + LANES);
            FloatVector a = FloatVector.broadcast(s, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(s, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(s, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(s, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        // The epilogue calls no helper that takes vectors: a helper C2 declines to inline (a call site
        // that looked cold when the kernel was compiled, as the add branch does when the profile saw
        // mostly first k slices) gets its vector arguments boxed, and C2 may place those allocations
        // inside the loop. That compile ran the whole product at 5-10 GFLOP/s instead of 70-120, in
        // about half the JVM runs of a two-thread 512x300x512 product.
        int r1 = cOff + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (!overwrite) {
            c00 = c00.add(FloatVector.fromArray(s, c, cOff));
            c01 = c01.add(FloatVector.fromArray(s, c, cOff + LANES));
            c10 = c10.add(FloatVector.fromArray(s, c, r1));
            c11 = c11.add(FloatVector.fromArray(s, c, r1 + LANES));
            c20 = c20.add(FloatVector.fromArray(s, c, r2));
            c21 = c21.add(FloatVector.fromArray(s, c, r2 + LANES));
            c30 = c30.add(FloatVector.fromArray(s, c, r3));
            c31 = c31.add(FloatVector.fromArray(s, c, r3 + LANES));
        } else if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(s, bias, biasOff);
            FloatVector b1 = FloatVector.fromArray(s, bias, biasOff + LANES);
            c00 = c00.add(b0);
            c01 = c01.add(b1);
            c10 = c10.add(b0);
            c11 = c11.add(b1);
            c20 = c20.add(b0);
            c21 = c21.add(b1);
            c30 = c30.add(b0);
            c31 = c31.add(b1);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + LANES);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + LANES);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + LANES);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + LANES);
    }

    /**
     * {@link #tile} with {@code MR} = 6: twelve accumulators, which need {@code -XX:-OptoRegScheduling}. Its loop and
     * epilogue repeat {@link #fourRows}' with two more rows, written out rather than shared, because a helper that
     * takes or returns vectors may get them boxed (the comment in {@link #fourRows}' epilogue).
     */
    private static void sixRows(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite,
                                float[] bias, int biasOff) {
        VectorSpecies<Float> s = SPECIES;
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s);
        FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s);
        FloatVector c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s);
        FloatVector c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        for (int ao = aOff, bo = bOff, aEnd = aOff + kc * 6; ao < aEnd; ao += 6, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(s, bp, bo);
            FloatVector b1 = FloatVector.fromArray(s, bp, bo + LANES);
            FloatVector a = FloatVector.broadcast(s, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(s, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(s, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(s, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(s, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(s, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        int r1 = cOff + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        if (!overwrite) {
            c00 = c00.add(FloatVector.fromArray(s, c, cOff));
            c01 = c01.add(FloatVector.fromArray(s, c, cOff + LANES));
            c10 = c10.add(FloatVector.fromArray(s, c, r1));
            c11 = c11.add(FloatVector.fromArray(s, c, r1 + LANES));
            c20 = c20.add(FloatVector.fromArray(s, c, r2));
            c21 = c21.add(FloatVector.fromArray(s, c, r2 + LANES));
            c30 = c30.add(FloatVector.fromArray(s, c, r3));
            c31 = c31.add(FloatVector.fromArray(s, c, r3 + LANES));
            c40 = c40.add(FloatVector.fromArray(s, c, r4));
            c41 = c41.add(FloatVector.fromArray(s, c, r4 + LANES));
            c50 = c50.add(FloatVector.fromArray(s, c, r5));
            c51 = c51.add(FloatVector.fromArray(s, c, r5 + LANES));
        } else if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(s, bias, biasOff);
            FloatVector b1 = FloatVector.fromArray(s, bias, biasOff + LANES);
            c00 = c00.add(b0);
            c01 = c01.add(b1);
            c10 = c10.add(b0);
            c11 = c11.add(b1);
            c20 = c20.add(b0);
            c21 = c21.add(b1);
            c30 = c30.add(b0);
            c31 = c31.add(b1);
            c40 = c40.add(b0);
            c41 = c41.add(b1);
            c50 = c50.add(b0);
            c51 = c51.add(b1);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + LANES);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + LANES);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + LANES);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + LANES);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + LANES);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + LANES);
    }

    /**
     * {@link #tile} with {@code MR} = 8, for 16-lane species: sixteen accumulators, 8 x 32 floats. AVX-512 has 32 vector
     * registers, so C2 keeps them all there with or without {@code OptoRegScheduling}. Against 4 x 32 tiles on a Zen 4
     * core, which runs 512-bit FMAs as two 256-bit halves: each B panel row, two 64-byte loads, feeds twice the
     * FMAs, and eight-row A panels pack as whole 8x8 transposes ({@link MatmulPackF32}). Written out as
     * {@link #sixRows} is, for the same reason.
     */
    private static void eightRows(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean overwrite,
                                  float[] bias, int biasOff) {
        VectorSpecies<Float> s = SPECIES;
        FloatVector c00 = FloatVector.zero(s), c01 = FloatVector.zero(s);
        FloatVector c10 = FloatVector.zero(s), c11 = FloatVector.zero(s);
        FloatVector c20 = FloatVector.zero(s), c21 = FloatVector.zero(s);
        FloatVector c30 = FloatVector.zero(s), c31 = FloatVector.zero(s);
        FloatVector c40 = FloatVector.zero(s), c41 = FloatVector.zero(s);
        FloatVector c50 = FloatVector.zero(s), c51 = FloatVector.zero(s);
        FloatVector c60 = FloatVector.zero(s), c61 = FloatVector.zero(s);
        FloatVector c70 = FloatVector.zero(s), c71 = FloatVector.zero(s);
        for (int ao = aOff, bo = bOff, aEnd = aOff + kc * 8; ao < aEnd; ao += 8, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(s, bp, bo);
            FloatVector b1 = FloatVector.fromArray(s, bp, bo + LANES);
            FloatVector a = FloatVector.broadcast(s, ap[ao]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(s, ap[ao + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(s, ap[ao + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(s, ap[ao + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(s, ap[ao + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(s, ap[ao + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(s, ap[ao + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(s, ap[ao + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
        }
        int r1 = cOff + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (!overwrite) {
            c00 = c00.add(FloatVector.fromArray(s, c, cOff));
            c01 = c01.add(FloatVector.fromArray(s, c, cOff + LANES));
            c10 = c10.add(FloatVector.fromArray(s, c, r1));
            c11 = c11.add(FloatVector.fromArray(s, c, r1 + LANES));
            c20 = c20.add(FloatVector.fromArray(s, c, r2));
            c21 = c21.add(FloatVector.fromArray(s, c, r2 + LANES));
            c30 = c30.add(FloatVector.fromArray(s, c, r3));
            c31 = c31.add(FloatVector.fromArray(s, c, r3 + LANES));
            c40 = c40.add(FloatVector.fromArray(s, c, r4));
            c41 = c41.add(FloatVector.fromArray(s, c, r4 + LANES));
            c50 = c50.add(FloatVector.fromArray(s, c, r5));
            c51 = c51.add(FloatVector.fromArray(s, c, r5 + LANES));
            c60 = c60.add(FloatVector.fromArray(s, c, r6));
            c61 = c61.add(FloatVector.fromArray(s, c, r6 + LANES));
            c70 = c70.add(FloatVector.fromArray(s, c, r7));
            c71 = c71.add(FloatVector.fromArray(s, c, r7 + LANES));
        } else if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(s, bias, biasOff);
            FloatVector b1 = FloatVector.fromArray(s, bias, biasOff + LANES);
            c00 = c00.add(b0);
            c01 = c01.add(b1);
            c10 = c10.add(b0);
            c11 = c11.add(b1);
            c20 = c20.add(b0);
            c21 = c21.add(b1);
            c30 = c30.add(b0);
            c31 = c31.add(b1);
            c40 = c40.add(b0);
            c41 = c41.add(b1);
            c50 = c50.add(b0);
            c51 = c51.add(b1);
            c60 = c60.add(b0);
            c61 = c61.add(b1);
            c70 = c70.add(b0);
            c71 = c71.add(b1);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + LANES);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + LANES);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + LANES);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + LANES);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + LANES);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + LANES);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + LANES);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + LANES);
    }
}
