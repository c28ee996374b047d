#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's nn tests (losses, layers, a small MLP, state-dict keys).

Output: nn/src/test/resources/reference/nn.safetensors. Run from the repository root with Debian's
interpreter (it has python3-torch):

    /usr/bin/python3 reference/make_nn_fixtures.py

Everything is float64 (indices int64). Tensor names are "<case>.<name>"; metadata "<case>" holds the
torch expression evaluated for the case (with the case's tensors bound to their names), and
"keys.<model>" the JSON list of a torch model's state_dict keys. Per kind of case:

  loss.<name>     input, target, [weight, pos_weight], gout, out, grad_input
                  out = <expression>(input, target); grad_input = d(sum(out * gout)) / d(input)
  act.<name>      input, gout, out, grad_input for an activation module
  linear*, layer_norm*
                  the module's state_dict tensors (by their torch keys), input, gout, out, grad_input,
                  grad.<key> for every parameter
  batch_norm*     state_dict before training (sd.<key>), x1 (train forward) with gout1, out1, grad_x1,
                  grad.<key>; x2 (a second train forward), then the state after both steps (after.<key>),
                  then x3 in eval mode with out3
  embedding       weight (padding row zero), indices, gout, out, grad.weight (padding row zero)
  dropout_eval    input, out (= input)
  mlp             sd.<key> (initial weights), input, target, logits, loss (cross-entropy), grad.<key>
"""
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile, away, batch_norm_case, layer_case, rn, uni  # noqa: E402  (the shared helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "nn.safetensors")
BASE_SEED = 20250202  # seed of a case = BASE_SEED + crc32(case name): stable when cases are added

D = torch.float64
FIX = FixtureFile(OUT_PATH, BASE_SEED)


# ---------------------------------------------------------------- losses
def loss_case(name, expr, build):
    """build() -> dict with input, target and any extra tensors named in expr (weight, pos_weight)"""
    case = "loss." + name
    FIX.seed(case)
    env = build()
    x = env["input"].clone().requires_grad_(True)
    loss_fn = eval(expr, {"nn": nn, "torch": torch, **env})  # noqa: S307 - literals below
    out = loss_fn(x, env["target"])
    gout = rn(*out.shape)
    (gin,) = torch.autograd.grad(out, x, gout)
    for k, v in env.items():
        FIX.put(case, k, v)
    FIX.put(case, "gout", gout)
    FIX.put(case, "out", out)
    FIX.put(case, "grad_input", gin)
    FIX.meta[case] = expr


def pair(*s, lo=None):
    def build():
        x, y = rn(*s), rn(*s)
        if lo is not None:  # keep |x - y| away from the kinks at 0 and at the given beta / delta
            d = away(x - y, 0.0, lo, -lo)
            x = y + d
        return {"input": x, "target": y}
    return build


for red in ("mean", "sum", "none"):
    loss_case(f"mse_{red}", f"nn.MSELoss(reduction='{red}')", pair(3, 4))
    loss_case(f"l1_{red}", f"nn.L1Loss(reduction='{red}')", pair(3, 4, lo=0.0))
loss_case("smooth_l1_mean", "nn.SmoothL1Loss()", pair(4, 5, lo=1.0))
loss_case("smooth_l1_beta05_none", "nn.SmoothL1Loss(reduction='none', beta=0.5)", pair(4, 5, lo=0.5))
loss_case("smooth_l1_beta0_sum", "nn.SmoothL1Loss(reduction='sum', beta=0.0)", pair(4, 5, lo=0.0))
loss_case("huber_mean", "nn.HuberLoss()", pair(4, 5, lo=1.0))
loss_case("huber_delta2_none", "nn.HuberLoss(reduction='none', delta=2.0)", pair(4, 5, lo=2.0))
loss_case("huber_delta05_sum", "nn.HuberLoss(reduction='sum', delta=0.5)", pair(4, 5, lo=0.5))


def indices(n_classes, *s, ignore=None, n_ignored=0):
    def build():
        t = torch.randint(0, n_classes, s, dtype=torch.int64)
        flat = t.view(-1)
        for i in range(n_ignored):
            flat[(3 * i + 1) % flat.numel()] = ignore
        return t
    return build


def logits_indices(n, c, extra=(), ignore=None, n_ignored=0, weight=False):
    def build():
        env = {"input": 2 * rn(n, c, *extra), "target": indices(c, n, *extra, ignore=ignore, n_ignored=n_ignored)()}
        if weight:
            env["weight"] = uni(0.2, 2.0, c)
        return env
    return build


def logits_probs(n, c, weight=False):
    def build():
        env = {"input": 2 * rn(n, c), "target": torch.softmax(rn(n, c), dim=1)}
        if weight:
            env["weight"] = uni(0.2, 2.0, c)
        return env
    return build


CE = "nn.CrossEntropyLoss"
for red in ("mean", "sum", "none"):
    loss_case(f"ce_{red}", f"{CE}(reduction='{red}')", logits_indices(6, 5))
    loss_case(f"ce_weight_{red}", f"{CE}(weight=weight, reduction='{red}')", logits_indices(6, 5, weight=True))
    loss_case(f"ce_ignore_{red}", f"{CE}(reduction='{red}')", logits_indices(6, 5, ignore=-100, n_ignored=2))
    loss_case(f"ce_weight_ignore_{red}", f"{CE}(weight=weight, reduction='{red}')",
              logits_indices(6, 5, ignore=-100, n_ignored=2, weight=True))
    loss_case(f"ce_smooth_{red}", f"{CE}(reduction='{red}', label_smoothing=0.1)", logits_indices(6, 5))
    loss_case(f"ce_smooth_weight_ignore_{red}", f"{CE}(weight=weight, reduction='{red}', label_smoothing=0.2)",
              logits_indices(6, 5, ignore=-100, n_ignored=2, weight=True))
    loss_case(f"ce_prob_{red}", f"{CE}(reduction='{red}')", logits_probs(4, 5))
    loss_case(f"ce_prob_weight_smooth_{red}", f"{CE}(weight=weight, reduction='{red}', label_smoothing=0.15)",
              logits_probs(4, 5, weight=True))
    loss_case(f"ce_nd_weight_ignore_{red}", f"{CE}(weight=weight, reduction='{red}')",
              logits_indices(2, 4, extra=(3,), ignore=-100, n_ignored=2, weight=True))
loss_case("ce_custom_ignore_mean", f"{CE}(ignore_index=2)", logits_indices(8, 4, ignore=2, n_ignored=2))
loss_case("ce_nd_smooth_mean", f"{CE}(label_smoothing=0.1)", logits_indices(2, 4, extra=(3, 2)))
loss_case("ce_unbatched_mean", f"{CE}()", lambda: {"input": rn(5), "target": torch.tensor(3, dtype=torch.int64)})
loss_case("ce_unbatched_prob_none", f"{CE}(reduction='none')",
          lambda: {"input": rn(5), "target": torch.softmax(rn(5), dim=0)})


def log_probs_indices(*args, **kw):
    def build():
        env = logits_indices(*args, **kw)()
        env["input"] = torch.log_softmax(env["input"], dim=1)
        return env
    return build


for red in ("mean", "sum", "none"):
    loss_case(f"nll_{red}", f"nn.NLLLoss(reduction='{red}')", log_probs_indices(6, 5))
    loss_case(f"nll_weight_ignore_{red}", f"nn.NLLLoss(weight=weight, reduction='{red}')",
              log_probs_indices(6, 5, ignore=-100, n_ignored=2, weight=True))
loss_case("nll_nd_mean", "nn.NLLLoss()", log_probs_indices(2, 4, extra=(3,)))


def probs_targets(*s, weight=False):
    def build():
        env = {"input": uni(0.05, 0.95, *s), "target": torch.rand(s, dtype=D)}
        if weight:
            env["weight"] = uni(0.2, 2.0, *s[1:])
        return env
    return build


for red in ("mean", "sum", "none"):
    loss_case(f"bce_{red}", f"nn.BCELoss(reduction='{red}')", probs_targets(4, 3))
    loss_case(f"bce_weight_{red}", f"nn.BCELoss(weight=weight, reduction='{red}')", probs_targets(4, 3, weight=True))


def logits_targets(*s, scale=2.0, weight=False, pos_weight=False, extreme=False):
    def build():
        x = scale * rn(*s)
        if extreme:  # logits far in both tails, exactly 0, and moderate
            vals = torch.tensor([1e3, -1e3, 50.0, -50.0, 0.0, 35.0, -35.0, 1e-3, 745.0, -745.0, 20.0, -20.0], dtype=D)
            x = vals[: x.numel()].reshape(s)
        env = {"input": x, "target": torch.rand(s, dtype=D)}
        if extreme:
            env["target"].view(-1)[:4] = torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=D)
        if weight:
            env["weight"] = uni(0.2, 2.0, *s[1:])
        if pos_weight:
            env["pos_weight"] = uni(0.5, 3.0, s[-1])
        return env
    return build


BL = "nn.BCEWithLogitsLoss"
for red in ("mean", "sum", "none"):
    loss_case(f"bcel_{red}", f"{BL}(reduction='{red}')", logits_targets(4, 3))
    loss_case(f"bcel_extreme_{red}", f"{BL}(reduction='{red}')", logits_targets(4, 3, extreme=True))
    loss_case(f"bcel_pos_weight_{red}", f"{BL}(pos_weight=pos_weight, reduction='{red}')", logits_targets(4, 3, pos_weight=True))
    loss_case(f"bcel_weight_pos_weight_{red}", f"{BL}(weight=weight, pos_weight=pos_weight, reduction='{red}')",
              logits_targets(4, 3, weight=True, pos_weight=True))
loss_case("bcel_extreme_pos_weight_none", f"{BL}(pos_weight=pos_weight, reduction='none')",
          logits_targets(4, 3, extreme=True, pos_weight=True))


def kl_inputs(*s, log_target=False, zeros=False):
    def build():
        x = torch.log_softmax(rn(*s), dim=-1)
        y = torch.softmax(rn(*s), dim=-1)
        if zeros:
            y.view(-1)[::4] = 0.0
        return {"input": x, "target": y.log() if log_target else y}
    return build


for red in ("batchmean", "mean", "sum", "none"):
    loss_case(f"kl_{red}", f"nn.KLDivLoss(reduction='{red}')", kl_inputs(3, 5))
    loss_case(f"kl_log_target_{red}", f"nn.KLDivLoss(reduction='{red}', log_target=True)", kl_inputs(3, 5, log_target=True))
loss_case("kl_zero_target_batchmean", "nn.KLDivLoss(reduction='batchmean')", kl_inputs(3, 5, zeros=True))


# ---------------------------------------------------------------- activations
def act_case(name, expr, x):
    case = "act." + name
    FIX.seed(case)
    x = x().clone().requires_grad_(True)
    out = eval(expr, {"nn": nn})(x)  # noqa: S307
    gout = rn(*out.shape)
    (gin,) = torch.autograd.grad(out, x, gout)
    FIX.put(case, "input", x)
    FIX.put(case, "gout", gout)
    FIX.put(case, "out", out)
    FIX.put(case, "grad_input", gin)
    FIX.meta[case] = expr


act_case("relu", "nn.ReLU()", lambda: away(rn(3, 5), 0.0))
act_case("leaky_relu", "nn.LeakyReLU(0.2)", lambda: away(rn(3, 5), 0.0))
act_case("elu", "nn.ELU(alpha=0.5)", lambda: away(rn(3, 5), 0.0))
act_case("gelu", "nn.GELU()", lambda: 2 * rn(3, 5))
act_case("gelu_tanh", "nn.GELU(approximate='tanh')", lambda: 2 * rn(3, 5))
act_case("silu", "nn.SiLU()", lambda: 2 * rn(3, 5))
act_case("sigmoid", "nn.Sigmoid()", lambda: 2 * rn(3, 5))
act_case("tanh", "nn.Tanh()", lambda: rn(3, 5))
act_case("softmax", "nn.Softmax(dim=1)", lambda: 2 * rn(3, 5))
act_case("log_softmax", "nn.LogSoftmax(dim=0)", lambda: 2 * rn(3, 5))
act_case("softplus", "nn.Softplus()", lambda: 3 * rn(3, 5))
act_case("softplus_beta2_threshold5", "nn.Softplus(beta=2.0, threshold=5.0)", lambda: away(3 * rn(3, 5), 2.5, m=0.05))


# ---------------------------------------------------------------- layers
layer_case(FIX, "linear", "nn.Linear(3, 5)", lambda: rn(4, 3))
layer_case(FIX, "linear_3d", "nn.Linear(3, 5)", lambda: rn(2, 4, 3))
layer_case(FIX, "linear_nobias", "nn.Linear(4, 2, bias=False)", lambda: rn(3, 4))
layer_case(FIX, "layer_norm", "nn.LayerNorm(4)", lambda: rn(3, 4))
layer_case(FIX, "layer_norm_2d", "nn.LayerNorm((3, 4), eps=1e-3)", lambda: 2 * rn(2, 3, 4) + 1)
layer_case(FIX, "layer_norm_noaffine", "nn.LayerNorm(5, elementwise_affine=False)", lambda: rn(3, 5))


batch_norm_case(FIX, "batch_norm_2d", "nn.BatchNorm1d(3)", (6, 3))
batch_norm_case(FIX, "batch_norm_3d", "nn.BatchNorm1d(3, momentum=0.3, eps=1e-3)", (4, 3, 5))
batch_norm_case(FIX, "batch_norm_noaffine", "nn.BatchNorm1d(4, affine=False)", (5, 4))
batch_norm_case(FIX, "batch_norm_no_running_stats", "nn.BatchNorm1d(3, track_running_stats=False)", (5, 3))


def embedding_case():
    case = "embedding"
    FIX.seed(case)
    m = nn.Embedding(6, 4, padding_idx=1).to(D)
    idx = torch.tensor([[0, 1, 5, 1, 2], [1, 3, 3, 4, 0]], dtype=torch.int64)
    out = m(idx)
    gout = rn(*out.shape)
    (gw,) = torch.autograd.grad(out, [m.weight], gout)
    assert torch.all(gw[1] == 0)
    FIX.put(case, "weight", m.weight)
    FIX.put(case, "indices", idx)
    FIX.put(case, "gout", gout)
    FIX.put(case, "out", out)
    FIX.put(case, "grad.weight", gw)
    FIX.meta[case] = "nn.Embedding(6, 4, padding_idx=1)"


embedding_case()


def dropout_case():
    case = "dropout_eval"
    FIX.seed(case)
    m = nn.Dropout(0.5).eval()
    x = rn(3, 4)
    FIX.put(case, "input", x)
    FIX.put(case, "out", m(x))
    FIX.meta[case] = "nn.Dropout(0.5).eval()"


dropout_case()


def mlp_case():
    case = "mlp"
    FIX.seed(case)
    m = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(D)
    for k, v in m.state_dict().items():
        FIX.put(case, "sd." + k, v)
    x = rn(4, 64)
    y = torch.tensor([3, 0, 9, 3], dtype=torch.int64)
    logits = m(x)
    loss = nn.functional.cross_entropy(logits, y)
    grads = torch.autograd.grad(loss, list(m.parameters()))
    FIX.put(case, "input", x)
    FIX.put(case, "target", y)
    FIX.put(case, "logits", logits)
    FIX.put(case, "loss", loss)
    for (k, _), g in zip(m.named_parameters(), grads):
        FIX.put(case, "grad." + k, g)
    FIX.meta[case] = "nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)); F.cross_entropy(m(input), target)"
    FIX.meta["keys.mlp"] = json.dumps(list(m.state_dict().keys()))


mlp_case()

FIX.meta["keys.mlp_784_512_256_10"] = json.dumps(list(nn.Sequential(
    nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10)).state_dict().keys()))
FIX.meta["keys.mixed"] = json.dumps(list(nn.Sequential(
    nn.Linear(8, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Dropout(0.1), nn.LayerNorm(6),
    nn.Sequential(nn.Linear(6, 4), nn.Tanh()), nn.Embedding(3, 2)).state_dict().keys()))


if __name__ == "__main__":
    FIX.finish(dtypes=(D, torch.int64))
