package fathom.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import fathom.DType;
import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import fathom.backend.ActivationResult;
import fathom.backend.Backends;
import fathom.backend.ScalarBackend;
import fathom.backend.UnaryOp;
import fathom.testing.Conformance;
import fathom.testing.OpRegistry;
import fathom.testing.OpSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CPU backend agrees with the scalar reference over the whole op registry, forward and backward,
 * in float32 and float64. Maven runs this class three times: vectors at the machine's width, at 128
 * bits, and without the vector module (scalar twins; see cpu/pom.xml), since {@link Simd} fixes the
 * width once per JVM.
 */
class CpuConformanceTest {
    private static final CpuBackend CPU = new CpuBackend();
    private static final ScalarBackend REFERENCE = new ScalarBackend();

    @Test
    void theCpuBackendIsTheOneFoundAndVectorsFollowTheSetting() {
        assertEquals("cpu", Backends.current().name());
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String setting = System.getProperty("fathom.vector", System.getenv().getOrDefault("FATHOM_VECTOR", "max"));
        assertEquals(present && !setting.equals("off"), Simd.ENABLED, "module present: " + present + ", setting " + setting);
        System.out.println("cpu conformance with " + Simd.describe() + " kernels, " + MatmulF32.tileShape() + " matmul tiles, " + Parallel.threads() + " threads");
    }

    @TestFactory
    Stream<DynamicTest> everyOpAgreesWithTheScalarReference() {
        return OpRegistry.all().stream().flatMap(spec -> Stream.of(DType.FLOAT32, DType.FLOAT64).map(dtype ->
                DynamicTest.dynamicTest(spec.name() + " " + dtype + " " + Simd.describe(), () -> {
                    List<String> problems = Conformance.compare(CPU, REFERENCE, spec, dtype, spec.name().hashCode());
                    assertEquals(List.of(), problems);
                })));
    }

    @Test
    void scaledInPlaceAddAgreesWithTheReferenceInOnePassOrStrided() {
        Rng rng = new Rng(4);
        Tensor big = Tensors.randn(rng, 300, 257);
        Tensor other = Tensors.randn(rng, 300, 257);
        // contiguous (the fused parallel pass), a transposed target and a broadcast row (the reference path)
        for (int layout = 0; layout < 3; layout++) {
            Tensor want = big.clone();
            Tensor got = big.clone();
            Tensor wantTarget = layout == 1 ? want.t() : want;
            Tensor gotTarget = layout == 1 ? got.t() : got;
            Tensor b = layout == 0 ? other : layout == 1 ? other.t() : other.select(0, 7);
            REFERENCE.addScaledInPlace(wantTarget, b, -0.05);
            CPU.addScaledInPlace(gotTarget, b, -0.05);
            assertEquals(null, Conformance.differ(got, want, 1e-6), "layout " + layout);
        }
    }

    @Test
    void matmulIntoWritesOrAddsLikeTheReferenceIntoARowOfALargerTensor() {
        Rng rng = new Rng(5);
        Tensor a = Tensors.randn(rng, 70, 33);
        Tensor b = Tensors.randn(rng, 45, 33).t();
        for (boolean accumulate : new boolean[] {false, true}) {
            Tensor base = Tensors.randn(rng, 3, 70, 45);
            base.select(0, 1).fillInPlace(accumulate ? 0.5 : Float.NaN);
            Tensor want = base.clone();
            Tensor got = base.clone();
            REFERENCE.matmulInto(want.select(0, 1), a, b, accumulate);
            CPU.matmulInto(got.select(0, 1), a, b, accumulate);
            assertEquals(null, Conformance.differ(got, want, 1e-5), "accumulate " + accumulate + " (NaN that is overwritten must not survive)");
            assertEquals(null, Conformance.differ(got.select(0, 0), base.select(0, 0), 0), "rows outside the target stay");
        }
    }

    @Test
    void fusedLinearsGiveTheBitsOfLinearThenGeluOrAdd() {
        Rng rng = new Rng(14);
        int[][] shapes = {{7, 5, 3}, {300, 130, 784}, {2048, 512, 128}, {2048, 128, 512}};
        for (int[] s : shapes) {
            Tensor x = Tensors.randn(rng, s[0], s[2]);
            Tensor w = Tensors.randn(rng, s[1], s[2]).mul(0.1);
            Tensor residual = Tensors.randn(rng, s[1], s[0]).t(); // strided: the backend makes it dense
            for (Tensor bias : new Tensor[] {Tensors.randn(rng, s[1]), null}) {
                String where = java.util.Arrays.toString(s) + (bias == null ? " without bias" : "");
                ActivationResult want = CPU.geluWithDerivative(CPU.linear(x, w, bias));
                ActivationResult got = CPU.linearGeluWithDerivative(x, w, bias);
                assertEquals(null, Conformance.differ(got.output(), want.output(), 0), "linearGelu " + where);
                assertEquals(null, Conformance.differ(got.derivative(), want.derivative(), 0), "linearGelu derivative " + where);
                Tensor sum = CPU.binary(fathom.backend.BinaryOp.ADD, residual, CPU.linear(x, w, bias));
                assertEquals(null, Conformance.differ(CPU.addLinear(residual, x, w, bias), sum, 0), "addLinear " + where);
            }
        }
    }

    @Test
    void reluGradientWrittenOverGGivesTheBitsOfAFreshOne() {
        Rng rng = new Rng(12);
        Tensor x = Tensors.randn(rng, 97, 131);
        Tensor g = Tensors.randn(rng, 97, 131);
        Tensor relu = CPU.reluBackward(x, g);
        Tensor g1 = g.clone();
        assertSame(g1, CPU.reluBackwardInPlace(x, g1));
        assertArrayEquals(relu.toFloatArray(), g1.toFloatArray());
    }

    @Test
    void geluWithItsDerivativeGivesThePlainGeluAndTheReferenceDerivative() {
        Rng rng = new Rng(13);
        // a strided input, and values far into both tails
        Tensor x = Tensors.randn(rng, 131, 97).mul(4).t();
        ActivationResult r = CPU.geluWithDerivative(x);
        assertArrayEquals(CPU.unary(UnaryOp.GELU, x).toFloatArray(), r.output().toFloatArray(), "the output is the GELU kernel's, bit for bit");
        Tensor x64 = x.to(DType.FLOAT64);
        Tensor want = REFERENCE.geluWithDerivative(x64).derivative();
        assertEquals(null, Conformance.differ(r.derivative().to(DType.FLOAT64), want, 1e-6), "Φ(x) + x·φ(x) against the float64 composite");
    }

    @Test
    void largeTensorsTakeTheParallelPathsAndStillAgree() {
        Rng rng = new Rng(9);
        Tensor a = Tensors.randn(rng, 300, 257);
        Tensor b = Tensors.randn(rng, 257);
        List<OpSpec.Fn> ops = List.of(
                in -> List.of(in.get(0).add(in.get(1))),
                in -> List.of(in.get(0).t().mul(2).exp()),
                in -> List.of(in.get(0).sum(0), in.get(0).sum(1), in.get(0).amax(new int[] {0}, false)),
                in -> List.of(in.get(0).softmax(1), in.get(0).logSoftmax(0)),
                in -> List.of(in.get(0).matmul(in.get(0).t()), in.get(0).gt(in.get(1)).to(DType.FLOAT32)));
        for (OpSpec.Fn f : ops) {
            List<Tensor> want;
            try (var _ = Backends.use(REFERENCE)) {
                want = f.apply(List.of(a, b));
            }
            List<Tensor> got;
            try (var _ = Backends.use(CPU)) {
                got = f.apply(List.of(a, b));
            }
            for (int i = 0; i < want.size(); i++) {
                String p = Conformance.differ(got.get(i), want.get(i), 2e-5);
                assertEquals(null, p);
            }
        }
    }
}
