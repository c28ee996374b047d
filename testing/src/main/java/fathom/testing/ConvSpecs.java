package fathom.testing;

import fathom.ConvPadding;
import fathom.Convolution;
import fathom.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Specs of the convolutions: conv2d over stride, padding (sizes, "same" with odd and even kernels),
 * dilation, groups (depthwise too), 1x1 kernels, no bias, unbatched input; conv1d; convTranspose2d with
 * output padding (including an output padding at least the stride, allowed by a larger dilation).
 * Sizes are small and odd; "conv2d_wide" has rows longer than a vector, "conv2d_many_channels" more
 * than 8 filters and input taps (a CPU backend's packed products), "conv2d_batch" enough images for a
 * CPU backend to split the batch into tasks, "conv2d_first_layer" LeNet's first layer on a smaller image
 * with seven filters (a CPU backend's direct kernel, four filters at a time and three left over). The names are the cases of
 * {@code reference/make_conv_fixtures.py}, which evaluates the same calls in PyTorch; inputs are (x,
 * weight[, bias]).
 */
final class ConvSpecs {
    /** Float32 tolerance: each output and weight gradient sums up to a few hundred products. */
    private static final double TOLERANCE = 5e-5;

    private ConvSpecs() {}

    static List<OpSpec> all() {
        List<OpSpec> s = new ArrayList<>();
        s.add(spec("conv2d", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in)), dims(2, 3, 7, 6), dims(4, 3, 3, 3), dims(4)));
        s.add(spec("conv2d_tiny", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in)), dims(1, 2, 4, 4), dims(2, 2, 2, 2), dims(2)));
        s.add(spec("conv2d_stride_pad", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), new int[] {2, 3}, ConvPadding.of(1, 2),
                new int[] {1, 1}, 1), dims(2, 2, 9, 8), dims(3, 2, 3, 2), dims(3)));
        s.add(spec("conv2d_dilation", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), new int[] {1, 2}, ConvPadding.of(2, 1),
                new int[] {2, 1}, 1), dims(1, 2, 9, 9), dims(2, 2, 3, 3), dims(2)));
        s.add(spec("conv2d_groups", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, 1, 1, 2),
                dims(2, 4, 6, 5), dims(6, 2, 3, 3), dims(6)));
        s.add(spec("conv2d_depthwise", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 2, 1, 1, 3),
                dims(2, 3, 7, 7), dims(6, 1, 3, 3), dims(6)));
        s.add(spec("conv2d_1x1_nobias", in -> Convolution.conv2d(in.get(0), in.get(1), null), dims(2, 3, 5, 5), dims(2, 3, 1, 1)));
        s.add(spec("conv2d_same_even", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, "same", 1, 1),
                dims(1, 2, 6, 5), dims(3, 2, 4, 2), dims(3)));
        s.add(spec("conv2d_same_dilated", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, "same", 2, 1),
                dims(2, 2, 7, 6), dims(2, 2, 3, 3), dims(2)));
        s.add(spec("conv2d_valid_unbatched", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, "valid", 1, 1),
                dims(2, 7, 6), dims(3, 2, 3, 2), dims(3)));
        s.add(spec("conv2d_wide", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, 1),
                dims(1, 3, 4, 37), dims(4, 3, 3, 3), dims(4)));
        s.add(spec("conv2d_many_channels", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, 1),
                dims(2, 9, 5, 6), dims(10, 9, 3, 3), dims(10)));
        s.add(spec("conv2d_batch", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, 1),
                dims(6, 2, 7, 7), dims(3, 2, 3, 3), dims(3)));
        s.add(spec("conv2d_first_layer", in -> Convolution.conv2d(in.get(0), in.get(1), bias(in), 1, 2),
                dims(3, 1, 12, 11), dims(7, 1, 5, 5), dims(7)));
        s.add(spec("conv1d", in -> Convolution.conv1d(in.get(0), in.get(1), bias(in), 2, 1, 1, 1), dims(2, 3, 17), dims(4, 3, 3), dims(4)));
        s.add(spec("conv1d_same_groups", in -> Convolution.conv1d(in.get(0), in.get(1), bias(in), 1, "same", 2, 2),
                dims(2, 4, 10), dims(4, 2, 4), dims(4)));
        s.add(spec("conv_transpose2d", in -> Convolution.convTranspose2d(in.get(0), in.get(1), bias(in), 2, 1, 1, 1, 1),
                dims(2, 3, 4, 5), dims(3, 2, 3, 3), dims(2)));
        s.add(spec("conv_transpose2d_plain_nobias", in -> Convolution.convTranspose2d(in.get(0), in.get(1), null),
                dims(2, 2, 3, 4), dims(2, 3, 2, 3)));
        s.add(spec("conv_transpose2d_groups_dilation", in -> Convolution.convTranspose2d(in.get(0), in.get(1), bias(in),
                new int[] {1, 2}, new int[] {0, 1}, new int[] {1, 0}, 2, new int[] {2, 1}), dims(1, 4, 5, 4), dims(4, 3, 2, 3), dims(6)));
        s.add(spec("conv_transpose2d_stride3", in -> Convolution.convTranspose2d(in.get(0), in.get(1), bias(in),
                new int[] {3, 2}, new int[] {1, 0}, new int[] {2, 1}, 1, new int[] {1, 1}), dims(2, 2, 3, 3), dims(2, 3, 3, 2), dims(3)));
        return s;
    }

    private static Tensor bias(List<Tensor> in) {
        return in.size() > 2 ? in.get(2) : null;
    }

    private static int[] dims(int... d) {
        return d;
    }

    private static OpSpec spec(String name, java.util.function.Function<List<Tensor>, Tensor> f, int[]... shapes) {
        return new OpSpec(name, in -> List.of(f.apply(in)), rng -> {
            List<Tensor> inputs = new ArrayList<>();
            for (int[] shape : shapes) {
                inputs.add(Domain.ANY.sample(rng, shape));
            }
            return Samples.withViews(List.of(inputs));
        }, true, TOLERANCE);
    }
}
