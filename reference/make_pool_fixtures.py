#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's pooling, normalization and upsampling tests.

Output: nn/src/test/resources/reference/pool.safetensors, read by fathom.nn.PoolReferenceTest. Run from
the repository root with Debian's interpreter (it has python3-torch):

    /usr/bin/python3 reference/make_pool_fixtures.py

Float64 unless a case name ends in "_f32" (float32, to check index arithmetic that PyTorch does in
float32); indices int64. Metadata "<case>" holds the torch expression evaluated for the case, "keys.<model>"
the JSON list of a torch model's state_dict keys and "repr.<name>" a module's repr. Per kind of case:

  op cases        input, gout, out, grad_input (= d(sum(out * gout)) / d(input)), and indices where the
                  expression returns (values, indices)
  group_norm*     the module's state dict (weight, bias), input, gout, out, grad_input, grad.<parameter>
  batch_norm2d*   sd.<key> (initial state), a training step on x1 (out1, gout1, grad_x1, grad.<parameter>),
                  a second training forward on x2, after.<key> (the state after both), then x3 in eval
                  mode with out3
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile, batch_norm_case, distinct, layer_case, rn  # noqa: E402  (the shared helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "pool.safetensors")
BASE_SEED = 20250303  # seed of a case = BASE_SEED + crc32(case name): stable when cases are added

D = torch.float64
FIX = FixtureFile(OUT_PATH, BASE_SEED)


def ties(*s):
    """small integers: many exactly equal values, so the tie rule (first maximum in row-major order) decides the index"""
    return torch.randint(-2, 3, s).to(D)


def with_nan(*s):
    x = distinct(*s)
    x.view(-1)[[3, 10]] = float("nan")
    return x


# ---------------------------------------------------------------- functional ops
def op_case(case, expr, x, dtype=D):
    FIX.seed(case)
    x = x().to(dtype).requires_grad_(True)
    res = eval(expr, {"F": F, "torch": torch, "x": x})  # noqa: S307 - literals below
    out, idx = res if isinstance(res, tuple) else (res, None)
    gout = rn(*out.shape).to(dtype)
    (gin,) = torch.autograd.grad(out, x, gout)
    FIX.put(case, "input", x)
    FIX.put(case, "gout", gout)
    FIX.put(case, "out", out)
    if idx is not None:
        FIX.put(case, "indices", idx)
    FIX.put(case, "grad_input", gin)
    FIX.meta[case] = expr


MP = "F.max_pool2d(x, {}, return_indices=True)"
op_case("max_pool2d_k2", MP.format("2"), lambda: distinct(2, 3, 6, 5))
op_case("max_pool2d_k3s2p1", MP.format("3, 2, 1"), lambda: distinct(2, 2, 7, 6))
op_case("max_pool2d_rect_dilated_ceil", MP.format("(2, 3), (1, 2), (1, 0), (2, 1), ceil_mode=True"), lambda: distinct(1, 2, 5, 8))
op_case("max_pool2d_ceil", MP.format("3, 2, ceil_mode=True"), lambda: distinct(2, 1, 6, 8))
op_case("max_pool2d_unbatched", MP.format("2, 1"), lambda: distinct(2, 4, 3))
op_case("max_pool2d_ties", MP.format("3, 1, 1"), lambda: ties(1, 2, 5, 5))
op_case("max_pool2d_nan", MP.format("2, 2"), lambda: with_nan(1, 1, 4, 6))
M1 = "F.max_pool1d(x, {}, return_indices=True)"
op_case("max_pool1d_k3", M1.format("3"), lambda: distinct(2, 3, 10))
op_case("max_pool1d_dilated_ceil", M1.format("2, 1, 1, 2, ceil_mode=True"), lambda: distinct(2, 2, 9))
op_case("max_pool1d_unbatched", M1.format("2, 2, 1"), lambda: distinct(3, 7))
AP = "F.avg_pool2d(x, {})"
op_case("avg_pool2d_k2", AP.format("2"), lambda: rn(2, 3, 6, 5))
op_case("avg_pool2d_k3s2p1", AP.format("3, 2, 1"), lambda: rn(2, 2, 7, 6))
op_case("avg_pool2d_exclude_pad", AP.format("3, 2, 1, count_include_pad=False"), lambda: rn(2, 2, 7, 6))
op_case("avg_pool2d_ceil", AP.format("(3, 2), 2, (1, 1), ceil_mode=True"), lambda: rn(1, 2, 6, 7))
op_case("avg_pool2d_ceil_exclude_pad", AP.format("2, 2, 1, ceil_mode=True, count_include_pad=False"), lambda: rn(1, 2, 5, 5))
op_case("avg_pool2d_divisor", AP.format("2, 1, 1, divisor_override=5"), lambda: rn(1, 2, 4, 3))
op_case("avg_pool2d_unbatched", AP.format("(1, 3), (1, 2)"), lambda: rn(2, 3, 7))
op_case("adaptive_avg_pool2d_global", "F.adaptive_avg_pool2d(x, 1)", lambda: rn(3, 4, 5, 7))
op_case("adaptive_avg_pool2d_3x2", "F.adaptive_avg_pool2d(x, (3, 2))", lambda: rn(2, 2, 7, 5))
op_case("adaptive_avg_pool2d_grow", "F.adaptive_avg_pool2d(x, (5, 4))", lambda: rn(1, 2, 3, 3))
op_case("adaptive_avg_pool2d_unbatched", "F.adaptive_avg_pool2d(x, (2, 3))", lambda: rn(3, 5, 8))
op_case("adaptive_max_pool2d_3x2", "F.adaptive_max_pool2d(x, (3, 2), return_indices=True)", lambda: distinct(2, 2, 7, 5))
op_case("adaptive_max_pool2d_grow", "F.adaptive_max_pool2d(x, (4, 5), return_indices=True)", lambda: distinct(1, 2, 3, 3))
UP = "F.interpolate(x, {})"
op_case("upsample_nearest_x2", UP.format("scale_factor=2"), lambda: rn(2, 2, 3, 4))
op_case("upsample_nearest_x3", UP.format("scale_factor=3"), lambda: rn(1, 2, 2, 3))
op_case("upsample_nearest_size", UP.format("size=(5, 7)"), lambda: rn(1, 2, 3, 4))
op_case("upsample_nearest_down", UP.format("size=(2, 3)"), lambda: rn(1, 2, 5, 7))
op_case("upsample_nearest_x1_5", UP.format("scale_factor=1.5"), lambda: rn(1, 2, 4, 6))
op_case("upsample_nearest_1d", UP.format("scale_factor=2.5"), lambda: rn(2, 2, 4))
op_case("upsample_nearest_1d_size", UP.format("size=7"), lambda: rn(1, 3, 3))
op_case("upsample_nearest_x1_7_f32", UP.format("scale_factor=1.7"), lambda: rn(1, 2, 7, 9), torch.float32)
BI = "F.interpolate(x, {}, mode='bilinear', align_corners={})"
op_case("upsample_bilinear_x2", BI.format("scale_factor=2", False), lambda: rn(2, 2, 3, 4))
op_case("upsample_bilinear_x2_corners", BI.format("scale_factor=2", True), lambda: rn(2, 2, 3, 4))
op_case("upsample_bilinear_size_corners", BI.format("size=(5, 7)", True), lambda: rn(1, 2, 3, 4))
op_case("upsample_bilinear_down", BI.format("size=(2, 3)", False), lambda: rn(1, 2, 5, 7))
op_case("upsample_bilinear_x1_5", BI.format("scale_factor=1.5", False), lambda: rn(1, 2, 4, 6))
op_case("upsample_bilinear_x2x3", BI.format("scale_factor=(2, 3)", False), lambda: rn(1, 1, 3, 2))
op_case("upsample_bilinear_same_height", BI.format("scale_factor=(1.2, 2)", False), lambda: rn(1, 1, 3, 2))
op_case("upsample_bilinear_x1_7_f32", BI.format("scale_factor=1.7", False), lambda: rn(1, 2, 7, 9), torch.float32)
op_case("upsample_bilinear_corners_f32", BI.format("size=(9, 13)", True), lambda: rn(1, 2, 4, 6), torch.float32)
op_case("pixel_shuffle_2", "F.pixel_shuffle(x, 2)", lambda: rn(2, 8, 3, 2))
op_case("pixel_shuffle_3_lead", "F.pixel_shuffle(x, 3)", lambda: rn(2, 1, 9, 2, 2))
op_case("pixel_unshuffle_2", "F.pixel_unshuffle(x, 2)", lambda: rn(2, 2, 4, 6))


# ---------------------------------------------------------------- layers
def group_norm_case(case, expr, shape):
    layer_case(FIX, case, expr, lambda: 2 * rn(*shape) + 0.5)


group_norm_case("group_norm", "nn.GroupNorm(2, 4)", (3, 4, 3, 2))
group_norm_case("group_norm_one_group_noaffine", "nn.GroupNorm(1, 3, affine=False)", (2, 3, 5))
group_norm_case("group_norm_per_channel_eps", "nn.GroupNorm(6, 6, eps=1e-3)", (2, 6, 2, 2))
group_norm_case("group_norm_2d_input", "nn.GroupNorm(3, 6)", (4, 6))


batch_norm_case(FIX, "batch_norm2d", "nn.BatchNorm2d(3)", (4, 3, 3, 2))
batch_norm_case(FIX, "batch_norm2d_cumulative", "nn.BatchNorm2d(3, momentum=None, eps=1e-3)", (2, 3, 2, 3))
batch_norm_case(FIX, "batch_norm2d_noaffine", "nn.BatchNorm2d(2, affine=False, momentum=0.3)", (3, 2, 2, 2))
batch_norm_case(FIX, "batch_norm2d_no_running_stats", "nn.BatchNorm2d(3, track_running_stats=False)", (2, 3, 2, 2))
batch_norm_case(FIX, "batch_norm1d_cumulative", "nn.BatchNorm1d(3, momentum=None)", (5, 3))

FIX.meta["keys.cnn"] = json.dumps(list(nn.Sequential(
    nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2), nn.GroupNorm(1, 3), nn.Dropout2d(0.1), nn.Upsample(scale_factor=2),
    nn.PixelUnshuffle(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(12, 2)).state_dict().keys()))

REPRS = {
    "max_pool2d": nn.MaxPool2d(2),
    "max_pool2d_full": nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, ceil_mode=True),
    "max_pool1d": nn.MaxPool1d(3),
    "avg_pool2d": nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False, divisor_override=5),
    "adaptive_avg_pool2d": nn.AdaptiveAvgPool2d(1),
    "adaptive_avg_pool2d_none": nn.AdaptiveAvgPool2d((7, None)),
    "adaptive_max_pool2d": nn.AdaptiveMaxPool2d((2, 3)),
    "batch_norm2d": nn.BatchNorm2d(64),
    "batch_norm2d_options": nn.BatchNorm2d(3, eps=1e-3, momentum=None, affine=False, track_running_stats=False),
    "batch_norm1d": nn.BatchNorm1d(3),
    "group_norm": nn.GroupNorm(2, 4, eps=1e-6, affine=False),
    "dropout2d": nn.Dropout2d(0.3),
    "upsample_scale": nn.Upsample(scale_factor=2),
    "upsample_size": nn.Upsample(size=(3, 4), mode="bilinear", align_corners=True),
    "upsample_scales": nn.Upsample(scale_factor=(1.5, 2), mode="bilinear"),
    "pixel_shuffle": nn.PixelShuffle(2),
    "pixel_unshuffle": nn.PixelUnshuffle(3),
}
for name, module in REPRS.items():
    FIX.meta["repr." + name] = repr(module)


if __name__ == "__main__":
    FIX.finish(dtypes=(D, torch.float32, torch.int64))
