#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's convolutions.

Outputs (run from the repository root with Debian's interpreter, which has python3-torch):

    /usr/bin/python3 reference/make_conv_fixtures.py

testing/src/test/resources/reference/conv.safetensors, for fathom.testing.ConvReferenceTest: one case per
spec of fathom.testing.ConvSpecs, with the same name and arguments. Per case, as in ops.safetensors:
  <case>.in0, .in1[, .in2]   x, weight[, bias] (float64)
  <case>.out                 the torch expression's result
  <case>.gout                upstream gradient (random normal, shaped like out)
  <case>.gin0, .gin1[, .gin2] d(sum(out * gout)) / d(x, weight[, bias])
Metadata "<case>" is the expression evaluated, with x, w, b bound to in0, in1, in2.

nn/src/test/resources/reference/conv_layers.safetensors, for fathom.nn.ConvLayerTest: torch modules in
float64 with their default (seeded) initialization. Per case:
  <case>.<state-dict key>    the module's weights (weight, bias)
  <case>.input, .gout, .out, .grad_input, .grad.<parameter>
Metadata "<case>" is the module expression, "repr.<case>" its repr(); "repr.<name>" also for modules
that only check toString.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile, rn  # noqa: E402  (the shared input generator and fixture file)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OPS_PATH = os.path.join(ROOT, "testing", "src", "test", "resources", "reference", "conv.safetensors")
LAYERS_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "conv_layers.safetensors")
BASE_SEED = 20250303  # seed of a case = BASE_SEED + crc32(case name): stable when cases are added
D = torch.float64


# ---------------------------------------------------------------- functional cases (names = ConvSpecs)
# (name, expression over x, w, b, shapes of x, w[, b])
CASES = [
    ("conv2d", "F.conv2d(x, w, b)", (2, 3, 7, 6), (4, 3, 3, 3), (4,)),
    ("conv2d_tiny", "F.conv2d(x, w, b)", (1, 2, 4, 4), (2, 2, 2, 2), (2,)),
    ("conv2d_stride_pad", "F.conv2d(x, w, b, stride=(2, 3), padding=(1, 2))", (2, 2, 9, 8), (3, 2, 3, 2), (3,)),
    ("conv2d_dilation", "F.conv2d(x, w, b, stride=(1, 2), padding=(2, 1), dilation=(2, 1))", (1, 2, 9, 9), (2, 2, 3, 3), (2,)),
    ("conv2d_groups", "F.conv2d(x, w, b, stride=1, padding=1, dilation=1, groups=2)", (2, 4, 6, 5), (6, 2, 3, 3), (6,)),
    ("conv2d_depthwise", "F.conv2d(x, w, b, stride=2, padding=1, dilation=1, groups=3)", (2, 3, 7, 7), (6, 1, 3, 3), (6,)),
    ("conv2d_1x1_nobias", "F.conv2d(x, w)", (2, 3, 5, 5), (2, 3, 1, 1)),
    ("conv2d_same_even", "F.conv2d(x, w, b, padding='same')", (1, 2, 6, 5), (3, 2, 4, 2), (3,)),
    ("conv2d_same_dilated", "F.conv2d(x, w, b, padding='same', dilation=2)", (2, 2, 7, 6), (2, 2, 3, 3), (2,)),
    ("conv2d_valid_unbatched", "F.conv2d(x, w, b, padding='valid')", (2, 7, 6), (3, 2, 3, 2), (3,)),
    ("conv2d_wide", "F.conv2d(x, w, b, stride=1, padding=1)", (1, 3, 4, 37), (4, 3, 3, 3), (4,)),
    ("conv2d_many_channels", "F.conv2d(x, w, b, stride=1, padding=1)", (2, 9, 5, 6), (10, 9, 3, 3), (10,)),
    ("conv2d_batch", "F.conv2d(x, w, b, stride=1, padding=1)", (6, 2, 7, 7), (3, 2, 3, 3), (3,)),
    ("conv2d_first_layer", "F.conv2d(x, w, b, stride=1, padding=2)", (3, 1, 12, 11), (7, 1, 5, 5), (7,)),
    ("conv1d", "F.conv1d(x, w, b, stride=2, padding=1)", (2, 3, 17), (4, 3, 3), (4,)),
    ("conv1d_same_groups", "F.conv1d(x, w, b, padding='same', dilation=2, groups=2)", (2, 4, 10), (4, 2, 4), (4,)),
    ("conv_transpose2d", "F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)", (2, 3, 4, 5), (3, 2, 3, 3), (2,)),
    ("conv_transpose2d_plain_nobias", "F.conv_transpose2d(x, w)", (2, 2, 3, 4), (2, 3, 2, 3)),
    ("conv_transpose2d_groups_dilation",
     "F.conv_transpose2d(x, w, b, stride=(1, 2), padding=(0, 1), output_padding=(1, 0), groups=2, dilation=(2, 1))",
     (1, 4, 5, 4), (4, 3, 2, 3), (6,)),
    ("conv_transpose2d_stride3", "F.conv_transpose2d(x, w, b, stride=(3, 2), padding=(1, 0), output_padding=(2, 1))",
     (2, 2, 3, 3), (2, 3, 3, 2), (3,)),
]


def op_items(fixture):
    for name, expr, *shapes in CASES:
        fixture.seed(name)
        ins = [rn(*s).requires_grad_(True) for s in shapes]
        env = {"F": F, "x": ins[0], "w": ins[1], "b": ins[2] if len(ins) > 2 else None}
        out = eval(expr, env)  # noqa: S307 - the literal expressions above
        gout = rn(*out.shape)
        gins = torch.autograd.grad(out, ins, gout)
        for i, t in enumerate(ins):
            fixture.put(name, f"in{i}", t)
        fixture.put(name, "out", out)
        fixture.put(name, "gout", gout)
        for i, g in enumerate(gins):
            fixture.put(name, f"gin{i}", g)
        fixture.meta[name] = expr


# ---------------------------------------------------------------- layers (fathom.nn.Conv1d / Conv2d / ConvTranspose2d)
LAYERS = [
    ("conv2d", "nn.Conv2d(3, 4, 3, stride=2, padding=1)", (2, 3, 7, 8)),
    ("conv2d_same_groups_nobias", "nn.Conv2d(4, 6, (3, 2), padding='same', dilation=(1, 2), groups=2, bias=False)", (2, 4, 5, 6)),
    ("conv1d", "nn.Conv1d(3, 5, 4, stride=2, padding=2)", (2, 3, 11)),
    ("conv_transpose2d", "nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)", (2, 4, 5, 4)),
]

# modules whose repr the Java layers' toString must equal
REPRS = {
    "default2d": "nn.Conv2d(1, 6, 5)",
    "lenet": "nn.Conv2d(1, 6, 5, padding=2)",
    "full2d": "nn.Conv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(2, 3), groups=4, bias=False)",
    "same2d": "nn.Conv2d(2, 3, 3, padding='same')",
    "valid2d": "nn.Conv2d(2, 3, 3, padding='valid')",
    "default1d": "nn.Conv1d(3, 5, 4)",
    "full1d": "nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2, bias=False)",
    "default_t2d": "nn.ConvTranspose2d(4, 6, 3)",
    "full_t2d": "nn.ConvTranspose2d(4, 6, (3, 2), stride=2, padding=(1, 0), output_padding=(1, 0), groups=2, bias=False, dilation=(1, 2))",
}


def layer_items(fixture):
    for name, expr, shape in LAYERS:
        fixture.seed("layer." + name)
        m = eval(expr, {"nn": nn}).to(D)  # noqa: S307
        for k, v in m.state_dict().items():
            fixture.put(name, k, v)
        x = rn(*shape).requires_grad_(True)
        out = m(x)
        gout = rn(*out.shape)
        grads = torch.autograd.grad(out, [x] + list(m.parameters()), gout)
        for k, t in (("input", x), ("gout", gout), ("out", out), ("grad_input", grads[0])):
            fixture.put(name, k, t)
        for (k, _), g in zip(m.named_parameters(), grads[1:]):
            fixture.put(name, "grad." + k, g)
        fixture.meta[name] = expr
        fixture.meta["repr." + name] = repr(m)
    for name, expr in REPRS.items():
        fixture.meta["repr." + name] = repr(eval(expr, {"nn": nn}))  # noqa: S307


def main():
    ops, layers = FixtureFile(OPS_PATH, BASE_SEED), FixtureFile(LAYERS_PATH, BASE_SEED)
    op_items(ops)
    layer_items(layers)
    for fixture in (ops, layers):
        fixture.meta["torch_version"] = torch.__version__
        size = fixture.write(dtypes=(D,))
        print(f"wrote {fixture.path}: {len(fixture.meta) - 1} metadata entries, {len(fixture.items)} tensors, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
