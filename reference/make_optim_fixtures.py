#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's optimizers, lr schedules and gradient clipping.

Output: nn/src/test/resources/reference/optim.safetensors (about 40 KB).
Run from the repository root with Debian's interpreter (it has python3-torch):

    /usr/bin/python3 reference/make_optim_fixtures.py

Optimizer cases train a fixed tiny linear model in float32 for STEPS steps:
    loss = ((x @ W.T + b - y) ** 2).mean()        W[4,3], b[4], x[8,3], y[8,4]
starting from the same W0, b0 every time. Per case `<case>` the file holds
  <case>.W      F32 [STEPS+1, 4, 3]  W before the first step, then after each step
  <case>.b      F32 [STEPS+1, 4]     likewise for b
  <case>.loss   F32 [STEPS]          the loss each step's gradient came from
and the metadata maps `<case>` to the torch constructor (evaluated, so it is exactly what ran;
`params` is [W, b], `groups` a list of param-group dicts).

Schedule cases `sched_<name>` run a torch scheduler on an SGD optimizer with two param groups
(lr 0.1 and 0.02): `sched_<name>.lr` is F64 [SCHED_STEPS+1, 2], the group lrs after construction
and after each scheduler step; for ReduceLROnPlateau `sched_<name>.metric` F64 [SCHED_STEPS] is the
metric passed to each step. Metadata `sched_<name>` is the constructor.

Clipping cases `clip_<name>`: `.g0` F32[4,3] and `.g1` F32[4] the gradients before, `.out0`/`.out1`
after, `.norm` F32 [] the returned total norm (absent for clip_grad_value_). Metadata: the call.

Shared: `model.x`, `model.y`, `model.W0`, `model.b0` (F32). Metadata `torch_version`, `loss`.
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile  # noqa: E402  (the safetensors writer and per-case seeding)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "optim.safetensors")
BASE_SEED = 20250101  # seed of a case = BASE_SEED + crc32(case name), as in make_fixtures.py
STEPS = 20
SCHED_STEPS = 30
LOSS = "((x @ W.T + b - y) ** 2).mean()"

F32 = torch.float32
F64 = torch.float64
FIX = FixtureFile(OUT_PATH, BASE_SEED)


# ---------------------------------------------------------------- optimizers
OPTIM_CASES = [
    ("sgd_plain", "torch.optim.SGD(params, lr=0.05)"),
    ("sgd_momentum", "torch.optim.SGD(params, lr=0.05, momentum=0.9)"),
    ("sgd_nesterov", "torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True)"),
    ("sgd_weight_decay", "torch.optim.SGD(params, lr=0.05, momentum=0.5, weight_decay=0.1)"),
    ("sgd_dampening", "torch.optim.SGD(params, lr=0.05, momentum=0.9, dampening=0.5)"),
    ("adam", "torch.optim.Adam(params, lr=0.01)"),
    ("adam_amsgrad", "torch.optim.Adam(params, lr=0.02, betas=(0.8, 0.99), amsgrad=True)"),
    ("adam_weight_decay", "torch.optim.Adam(params, lr=0.01, weight_decay=0.1)"),
    ("adamw", "torch.optim.AdamW(params, lr=0.01, weight_decay=0.1)"),
    ("adamw_amsgrad", "torch.optim.AdamW(params, lr=0.01, eps=1e-6, amsgrad=True)"),
    ("rmsprop", "torch.optim.RMSprop(params, lr=0.01)"),
    ("rmsprop_centered_momentum", "torch.optim.RMSprop(params, lr=0.01, alpha=0.9, momentum=0.9, centered=True)"),
    ("rmsprop_weight_decay", "torch.optim.RMSprop(params, lr=0.005, weight_decay=0.1, momentum=0.5)"),
    ("adagrad", "torch.optim.Adagrad(params, lr=0.1, lr_decay=0.01)"),
    ("adagrad_init_weight_decay",
     "torch.optim.Adagrad(params, lr=0.1, weight_decay=0.05, initial_accumulator_value=0.1, eps=1e-8)"),
    ("adam_groups", "torch.optim.Adam(groups, lr=0.01)"),
    ("sgd_groups", "torch.optim.SGD(groups, lr=0.05, momentum=0.9)"),
]
# param groups of the *_groups cases: W with the defaults, b with its own lr and weight decay
GROUP_OVERRIDES = {"lr": 0.05, "weight_decay": 0.1}


def model_data():
    FIX.seed("model")
    x = torch.randn(8, 3, dtype=F32)
    y = torch.randn(8, 4, dtype=F32)
    w0 = (0.5 * torch.randn(4, 3)).to(F32)
    b0 = (0.5 * torch.randn(4)).to(F32)
    return x, y, w0, b0


def run_optim(expr, x, y, w0, b0):
    W = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    params = [W, b]
    groups = [{"params": [W]}, {"params": [b], **GROUP_OVERRIDES}]
    opt = eval(expr, {"torch": torch, "params": params, "groups": groups})  # noqa: S307 - literals above
    ws, bs, losses = [W.detach().clone()], [b.detach().clone()], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = eval(LOSS, {"x": x, "y": y, "W": W, "b": b})  # noqa: S307
        loss.backward()
        opt.step()
        losses.append(loss.detach().clone())
        ws.append(W.detach().clone())
        bs.append(b.detach().clone())
    return torch.stack(ws), torch.stack(bs), torch.stack(losses)


# ---------------------------------------------------------------- schedules
def warmup_cosine(warmup, total):
    """HuggingFace transformers' get_cosine_schedule_with_warmup(num_cycles=0.5) factor"""
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
    return f


S = "torch.optim.lr_scheduler."
SCHED_CASES = [
    ("step", S + "StepLR(opt, step_size=7, gamma=0.5)"),
    ("multistep", S + "MultiStepLR(opt, milestones=[5, 12, 20], gamma=0.3)"),
    ("exponential", S + "ExponentialLR(opt, gamma=0.9)"),
    ("cosine", S + "CosineAnnealingLR(opt, T_max=20, eta_min=0.001)"),
    ("cosine_eta0", S + "CosineAnnealingLR(opt, T_max=30)"),
    ("warmup_cosine", S + "LambdaLR(opt, warmup_cosine(warmup=5, total=30))"),
    ("onecycle", S + "OneCycleLR(opt, max_lr=[0.1, 0.02], total_steps=30, cycle_momentum=False)"),
    ("onecycle_linear", S + "OneCycleLR(opt, max_lr=0.5, total_steps=30, pct_start=0.25, anneal_strategy='linear', "
                            "div_factor=10.0, final_div_factor=100.0, cycle_momentum=False)"),
    ("onecycle_three_phase", S + "OneCycleLR(opt, max_lr=0.1, total_steps=30, three_phase=True, cycle_momentum=False)"),
    ("plateau_min", S + "ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=2, threshold=1e-2, cooldown=1, "
                        "min_lr=0.004)"),
    ("plateau_max_abs", S + "ReduceLROnPlateau(opt, mode='max', factor=0.3, patience=1, threshold=0.05, "
                            "threshold_mode='abs', min_lr=[0.001, 0.0])"),
    ("plateau_max_rel", S + "ReduceLROnPlateau(opt, mode='max', patience=3, eps=1e-3)"),
]


def plateau_metrics(name):
    """a noisy curve that improves, stalls, improves a little and stalls again"""
    FIX.seed("metric_" + name)
    t = torch.arange(SCHED_STEPS, dtype=F64)
    base = torch.where(t < 8, 1.0 - 0.08 * t, torch.where(t < 18, 0.36 - 0.002 * (t - 8), 0.34 + 0.0 * t))
    return base + 0.003 * torch.randn(SCHED_STEPS, dtype=F64)


def run_sched(name, expr):
    p0 = torch.zeros(1, requires_grad=True)
    p1 = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([{"params": [p0], "lr": 0.1}, {"params": [p1], "lr": 0.02}], lr=0.1)
    sched = eval(expr, {"torch": torch, "opt": opt, "warmup_cosine": warmup_cosine})  # noqa: S307
    lrs = [[g["lr"] for g in opt.param_groups]]
    metrics = plateau_metrics(name) if name.startswith("plateau") else None
    for i in range(SCHED_STEPS):
        opt.step()
        if metrics is not None:
            sched.step(float(metrics[i]))
        else:
            sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    return torch.tensor(lrs, dtype=F64), metrics


# ---------------------------------------------------------------- clipping
CLIP_CASES = [
    ("norm2_clipped", "torch.nn.utils.clip_grad_norm_(params, max_norm=1.0)"),
    ("norm2_unclipped", "torch.nn.utils.clip_grad_norm_(params, max_norm=100.0)"),
    ("norm1", "torch.nn.utils.clip_grad_norm_(params, max_norm=2.0, norm_type=1.0)"),
    ("norm_inf", "torch.nn.utils.clip_grad_norm_(params, max_norm=0.5, norm_type=float('inf'))"),
    ("value", "torch.nn.utils.clip_grad_value_(params, clip_value=0.3)"),
]


def run_clip(name, expr):
    FIX.seed("clip_" + name)
    g0, g1 = torch.randn(4, 3, dtype=F32), torch.randn(4, dtype=F32)
    params = [torch.zeros(4, 3, requires_grad=True), torch.zeros(4, requires_grad=True)]
    params[0].grad, params[1].grad = g0.clone(), g1.clone()
    res = eval(expr, {"torch": torch, "params": params})  # noqa: S307
    items = [(f"clip_{name}.g0", g0), (f"clip_{name}.g1", g1),
             (f"clip_{name}.out0", params[0].grad.clone()), (f"clip_{name}.out1", params[1].grad.clone())]
    if res is not None:
        assert res.dtype == F32 and res.dim() == 0
        items.append((f"clip_{name}.norm", res.detach().clone()))
    return items


def main():
    torch.set_num_threads(1)  # one summation order for the float32 reductions
    FIX.meta.update({"torch_version": torch.__version__, "loss": LOSS})
    x, y, w0, b0 = model_data()
    FIX.items += [("model.x", x), ("model.y", y), ("model.W0", w0), ("model.b0", b0)]
    for name, expr in OPTIM_CASES:
        ws, bs, losses = run_optim(expr, x, y, w0, b0)
        assert torch.isfinite(ws).all() and torch.isfinite(bs).all(), name
        assert losses[-1] < losses[0], (name, losses)  # every configuration actually trains
        FIX.items += [(f"{name}.W", ws), (f"{name}.b", bs), (f"{name}.loss", losses)]
        FIX.meta[name] = expr
    for name, expr in SCHED_CASES:
        lrs, metrics = run_sched(name, expr)
        FIX.items.append((f"sched_{name}.lr", lrs))
        if metrics is not None:
            FIX.items.append((f"sched_{name}.metric", metrics))
        FIX.meta[f"sched_{name}"] = expr
    for name, expr in CLIP_CASES:
        FIX.items += run_clip(name, expr)
        FIX.meta[f"clip_{name}"] = expr
    size = FIX.write()
    assert size < 1_000_000
    print(f"wrote {OUT_PATH}: {len(OPTIM_CASES)} optimizer, {len(SCHED_CASES)} schedule and "
          f"{len(CLIP_CASES)} clipping cases, {len(FIX.items)} tensors, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
