package fathom.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fathom.Rng;
import fathom.Tensor;
import fathom.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every differentiable op in the registry passes the float64 finite-difference gradient check on every sample. */
class GradCheckTest {
    private static final List<String> PASSED = new ArrayList<>();
    private static final List<String> CHECKED = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> everyDifferentiableOp() {
        return OpRegistry.all().stream().filter(OpSpec::differentiable).map(spec -> DynamicTest.dynamicTest(spec.name(), () -> {
            synchronized (CHECKED) {
                CHECKED.add(spec.name());
            }
            Rng rng = new Rng(spec.name().hashCode());
            List<List<Tensor>> samples = spec.samples().apply(rng);
            for (int s = 0; s < samples.size(); s++) {
                String failure = GradCheck.check(spec.fn(), samples.get(s), rng);
                if (failure != null) {
                    throw new AssertionError(spec.name() + " sample " + s + " " + shapes(samples.get(s)) + ": " + failure);
                }
            }
            synchronized (PASSED) {
                PASSED.add(spec.name());
            }
        }));
    }

    private static String shapes(List<Tensor> in) {
        return in.stream().map(t -> t.shape().toString()).toList().toString();
    }

    @AfterAll
    static void summary() {
        System.out.println("gradcheck: " + PASSED.size() + "/" + CHECKED.size() + " ops pass");
    }

    @Test
    void theCheckCatchesAWrongGradient() {
        // x·x whose backward claims 3x instead of 2x: a checker that cannot fail would accept it
        OpSpec.Fn wrong = in -> {
            Tensor x = in.get(0);
            Tensor right = x.square();
            Tensor bogus = x.mul(x.detach()).mul(1.5).add(x.detach().square().mul(-0.5));
            return List.of(bogus);
        };
        String failure = GradCheck.check(wrong, List.of(Domain.ANY.sample(new Rng(1), 4)), new Rng(2));
        assertNotNull(failure, "a gradient off by 1.5x must fail the check");
        assertTrue(failure.contains("analytic"));
    }

    @Test
    void largeInputsUseRandomDirectionsAndStillCatchErrors() {
        Tensor x = Domain.ANY.sample(new Rng(3), 300);
        assertEquals(null, GradCheck.check(in -> List.of(in.get(0).tanh()), List.of(x), new Rng(4)));
        OpSpec.Fn wrong = in -> List.of(in.get(0).mul(in.get(0).detach()));
        assertNotNull(GradCheck.check(wrong, List.of(x), new Rng(5)));
    }

    @Test
    void zeroElementInputsPassTrivially() {
        assertEquals(null, GradCheck.check(in -> List.of(in.get(0).exp()), List.of(Tensors.zeros(fathom.Shape.of(0, 3), fathom.DType.FLOAT64)), new Rng(6)));
    }
}
