package fathom.testing;

import static fathom.testing.Samples.binary;
import static fathom.testing.Samples.custom;
import static fathom.testing.Samples.unary;

import fathom.Tensor;
import java.util.List;

/** Specs of the element-wise ops. */
final class ElementwiseSpecs {
    private ElementwiseSpecs() {}

    static List<OpSpec> all() {
        return List.of(
                unary("neg", Tensor::neg, Domain.ANY),
                unary("exp", Tensor::exp, Domain.ANY),
                unary("log", Tensor::log, Domain.POSITIVE),
                unary("log1p", Tensor::log1p, Domain.UNIT),
                unary("expm1", Tensor::expm1, Domain.ANY),
                unary("sqrt", Tensor::sqrt, Domain.POSITIVE),
                unary("rsqrt", Tensor::rsqrt, Domain.POSITIVE),
                unary("reciprocal", Tensor::reciprocal, Domain.NONZERO),
                unary("abs", Tensor::abs, Domain.KINK_FREE),
                unary("sin", Tensor::sin, Domain.ANY),
                unary("cos", Tensor::cos, Domain.ANY),
                unary("tanh", Tensor::tanh, Domain.ANY),
                unary("sigmoid", Tensor::sigmoid, Domain.ANY),
                unary("relu", Tensor::relu, Domain.KINK_FREE),
                unary("leaky_relu", x -> x.leakyRelu(0.01), Domain.KINK_FREE),
                unary("elu", x -> x.elu(1.0), Domain.KINK_FREE),
                unary("gelu", Tensor::gelu, Domain.ANY),
                unary("gelu_tanh", Tensor::geluTanh, Domain.ANY),
                unary("silu", Tensor::silu, Domain.ANY),
                unary("softplus", Tensor::softplus, Domain.ANY),
                unary("square", Tensor::square, Domain.ANY),
                unary("erf", Tensor::erf, Domain.ANY),
                unary("clamp", x -> x.clamp(-0.5, 0.5), Domain.KINK_FREE),
                unary("sign", Tensor::sign, Domain.KINK_FREE),
                unary("pow_scalar", x -> x.pow(2.5), Domain.POSITIVE),
                unary("add_scalar", x -> x.add(2.0), Domain.ANY),
                unary("rsub_scalar", x -> x.rsub(2.0), Domain.ANY),
                unary("mul_scalar", x -> x.mul(3.0), Domain.ANY),
                binary("add", Tensor::add, Domain.ANY, Domain.ANY),
                binary("sub", Tensor::sub, Domain.ANY, Domain.ANY),
                binary("mul", Tensor::mul, Domain.ANY, Domain.ANY),
                binary("div", Tensor::div, Domain.ANY, Domain.NONZERO),
                binary("pow", Tensor::pow, Domain.POSITIVE, Domain.ANY),
                binary("maximum", Tensor::maximum, Domain.ANY, Domain.ANY),
                binary("minimum", Tensor::minimum, Domain.ANY, Domain.ANY),
                custom("where", in -> List.of(Tensor.where(in.get(0), in.get(1), in.get(2))), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 4).gt(0), Domain.ANY.sample(rng, 3, 4), Domain.ANY.sample(rng, 4)),
                        List.of(Domain.ANY.sample(rng, 5).gt(0), Domain.ANY.sample(rng, 2, 5), Domain.ANY.sample(rng)))),
                custom("masked_fill", in -> List.of(in.get(0).maskedFill(in.get(1), -1.5)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 4), Domain.ANY.sample(rng, 4).gt(0)),
                        List.of(Domain.ANY.sample(rng, 2, 17), Domain.ANY.sample(rng, 2, 17).gt(0)))),
                comparison("eq", Tensor::eq),
                comparison("lt", Tensor::lt),
                comparison("ge", Tensor::ge),
                custom("is_finite", in -> List.of(in.get(0).div(in.get(1)).isFinite()), false, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 9), Domain.ANY.sample(rng, 9).gt(0).to(fathom.DType.FLOAT64)))),
                custom("cast_f32", in -> List.of(in.get(0).to(fathom.DType.FLOAT32)), true, rng -> List.of(
                        List.of(Domain.ANY.sample(rng, 3, 4)))),
                custom("cast_i64_to_f64", in -> List.of(in.get(0).to(fathom.DType.FLOAT64)), false, rng -> List.of(
                        List.of(Samples.index(rng, 10, 3, 4)))));
    }

    /** A comparison sampled with some exactly equal pairs, so ties are exercised. */
    private static OpSpec comparison(String name, java.util.function.BiFunction<Tensor, Tensor, Tensor> f) {
        return custom(name, in -> List.of(f.apply(in.get(0), in.get(1))), false, rng -> {
            Tensor a = Domain.ANY.sample(rng, 3, 4);
            Tensor b = a.select(0, 1).clone();
            b.storage().doubles()[0] += 1;
            return List.of(List.of(a, b), List.of(Domain.ANY.sample(rng, 2, 17), Domain.ANY.sample(rng, 17)));
        });
    }
}
