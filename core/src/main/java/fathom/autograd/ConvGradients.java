package fathom.autograd;

import fathom.Node;
import fathom.Tensor;
import fathom.backend.Backend;
import fathom.backend.Backends;

/**
 * The vector-Jacobian products of the convolution ops, each a convolution itself: conv2d's input
 * gradient is the transposed convolution of g, its weight gradient correlates x with g; a transposed
 * convolution's input gradient is the convolution of g, its weight gradient correlates g with x.
 */
final class ConvGradients {
    private ConvGradients() {}

    /** Inputs (x [N, C, H, W], w [O, C/G, kH, kW][, bias]); g [N, O, Ho, Wo]. */
    static Tensor[] conv2d(Op.Conv2d op, Node n, Tensor g) {
        Backend b = Backends.current();
        Tensor x = n.input(0);
        Tensor w = n.input(1);
        Tensor gx = n.needsGrad(0) ? b.convTranspose2d(g, w, null, op.geometry(), x.size(2), x.size(3)) : null;
        Tensor gw = n.needsGrad(1) ? b.conv2dWeightGrad(x, g, w.size(2), w.size(3), op.geometry()) : null;
        return withBias(n, g, gx, gw);
    }

    /** Inputs (x [N, C, H, W], w [C, O/G, kH, kW][, bias]); g [N, O, Ho, Wo]. */
    static Tensor[] convTranspose2d(Op.ConvTranspose2d op, Node n, Tensor g) {
        Backend b = Backends.current();
        Tensor x = n.input(0);
        Tensor w = n.input(1);
        Tensor gx = null;
        if (n.needsGrad(0)) {
            gx = b.conv2d(g, w, null, op.geometry());
            // an output padding of at least the stride (allowed when the dilation is larger) adds rows that
            // the convolution of g maps past x's last row: they belong to no input element
            if (gx.size(2) != x.size(2) || gx.size(3) != x.size(3)) {
                gx = gx.narrow(2, 0, x.size(2)).narrow(3, 0, x.size(3));
            }
        }
        Tensor gw = n.needsGrad(1) ? b.conv2dWeightGrad(g, x, w.size(2), w.size(3), op.geometry()) : null;
        return withBias(n, g, gx, gw);
    }

    private static Tensor[] withBias(Node n, Tensor g, Tensor gx, Tensor gw) {
        if (n.inputCount() < 3) {
            return new Tensor[] {gx, gw};
        }
        // [N, O, H, W] summed over the two trailing dims, then over N: two contiguous-block reductions,
        // which backends run as fast row sums, where {0, 2, 3} at once would take a general path
        Tensor gb = n.needsGrad(2) ? g.sum(new int[] {2, 3}, false).sum(new int[] {0}, false) : null;
        return new Tensor[] {gx, gw, gb};
    }
}
