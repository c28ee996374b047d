#!/usr/bin/python3
"""Writes PyTorch reference values for fathom.Padding.pad (F.pad) and the convolution layers' padding modes.

Output: nn/src/test/resources/reference/padding.safetensors, read by fathom.nn.PaddingReferenceTest. Run from
the repository root with Debian's interpreter (it has python3-torch):

    /usr/bin/python3 reference/make_padding_fixtures.py

Float64. Metadata "<case>" holds the torch expression. Per case:

  pad.<name>    input, gout, out, grad_input (= d(sum(out * gout)) / d(input))
  conv.<name>   sd.<key> (the layer's state dict), input, gout, out, grad_input, grad.<parameter>; metadata
                "repr.<name>" the layer's repr
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile, rn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "padding.safetensors")
BASE_SEED = 20261121

FIX = FixtureFile(OUT_PATH, BASE_SEED)


def pad_case(name, shape, expr):
    case = "pad." + name
    FIX.seed(case)
    x = rn(*shape).requires_grad_(True)
    out = eval(expr, {"F": F, "x": x})
    gout = rn(*out.shape)
    (gx,) = torch.autograd.grad(out, [x], gout)
    for k, t in (("input", x), ("gout", gout), ("out", out), ("grad_input", gx)):
        FIX.put(case, k, t)
    FIX.meta[case] = expr


pad_case("constant_2d", (2, 3, 4, 5), "F.pad(x, (1, 2, 0, 3), mode='constant', value=0.5)")
pad_case("constant_crop", (2, 3, 6), "F.pad(x, (-1, 2))")
pad_case("reflect_2d", (2, 3, 4, 5), "F.pad(x, (2, 1, 3, 0), mode='reflect')")
pad_case("reflect_1d", (2, 3, 6), "F.pad(x, (3, 2), mode='reflect')")
pad_case("replicate_2d", (1, 2, 3, 4), "F.pad(x, (3, 1, 2, 4), mode='replicate')")
pad_case("circular_2d", (2, 2, 3, 4), "F.pad(x, (4, 1, 1, 3), mode='circular')")
pad_case("circular_1d", (2, 3, 5), "F.pad(x, (2, 5), mode='circular')")


def conv_case(name, make, shape):
    case = "conv." + name
    FIX.seed(case)
    m = make().double()
    for k, t in m.state_dict().items():
        FIX.put(case, "sd." + k, t)
    x = rn(*shape).requires_grad_(True)
    out = m(x)
    gout = rn(*out.shape)
    params = list(m.named_parameters())
    grads = torch.autograd.grad(out, [x] + [p for _, p in params], gout)
    for k, t in (("input", x), ("gout", gout), ("out", out), ("grad_input", grads[0])):
        FIX.put(case, k, t)
    for (k, _), g in zip(params, grads[1:]):
        FIX.put(case, "grad." + k, g)
    FIX.meta["repr." + name] = repr(m)


conv_case("reflect2d", lambda: nn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect"), (2, 3, 6, 5))
conv_case("circular2d_stride", lambda: nn.Conv2d(2, 4, (3, 5), stride=2, padding=(1, 2), padding_mode="circular"), (2, 2, 7, 8))
conv_case("replicate2d_same", lambda: nn.Conv2d(2, 3, 4, padding="same", dilation=1, padding_mode="replicate", bias=False), (1, 2, 6, 6))
conv_case("reflect1d", lambda: nn.Conv1d(3, 2, 5, padding=2, padding_mode="reflect"), (2, 3, 9))

if __name__ == "__main__":
    FIX.finish(torch_version=False)
