#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's op tests.

Output: testing/src/test/resources/reference/ops.safetensors and reference/cases.md.
Run from the repository root with Debian's interpreter (it has python3-torch):

    /usr/bin/python3 reference/make_fixtures.py && /usr/bin/python3 reference/check_fixtures.py

Every case is a torch expression string over named inputs; the string is evaluated (so the
metadata shows exactly what was computed). Per case the file holds:
  <case>.in0, .in1, ...   the inputs in the order listed (float64 'F64', indices 'I64', masks 'BOOL')
  <case>.out              or .out0, .out1, ... when the expression returns a tuple
  <case>.gout             or .gout0, ... upstream gradient for each float output (differentiable cases)
  <case>.gin0, ...        d(sum(out * gout))/d(in_i) for each float input, via torch.autograd.grad
Metadata: "<case>" -> the expression, and "torch_version".

The other make_*_fixtures.py scripts import their shared pieces from here: the input generators, the
safetensors writer, FixtureFile (a file's tensors, metadata and per-case seeding) and the case builders
that more than one of them uses.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "testing", "src", "test", "resources", "reference", "ops.safetensors")
CASES_MD = os.path.join(ROOT, "reference", "cases.md")
BASE_SEED = 20250101  # seed of a case = BASE_SEED + crc32(case name): stable when cases are added

D = torch.float64


# ---------------------------------------------------------------- input generators
def rn(*s):
    """standard normal float64"""
    return torch.randn(tuple(s), dtype=D)


def uni(lo, hi, *s):
    """uniform float64 in [lo, hi)"""
    return lo + (hi - lo) * torch.rand(tuple(s), dtype=D)


def away(x, *kinks, m=0.1):
    """push every value within m of a kink to at least m away from it (same side)"""
    for k in kinks:
        d = x - k
        s = torch.where(d >= 0, torch.ones_like(d), -torch.ones_like(d))
        x = torch.where(d.abs() < m, x + s * m, x)
    return x


def distinct(*s):
    """values whose pairwise gaps are all >= 0.06 (no ties, no near-ties for max/min/arg*)"""
    n = int(np.prod(s))
    return (torch.randperm(n).to(D) * 0.1 - n * 0.05 + uni(-0.02, 0.02, n)).reshape(s)


def signed_mag(lo, hi, *s):
    """random sign times a magnitude in [lo, hi)"""
    sg = torch.where(torch.rand(*s) < 0.5, -1.0, 1.0).to(D)
    return sg * uni(lo, hi, *s)


def idx(lo, hi, *s):
    return torch.randint(lo, hi, s, dtype=torch.int64)


# ---------------------------------------------------------------- cases
# (name, expression, builder -> list of (input name, tensor), differentiable)
CASES = []


def case(name, expr, build, grad=True):
    CASES.append((name, expr, build, grad))


# unary on x[3,5]
def ux(gen):
    return lambda: [("x", gen())]


case("neg", "torch.neg(x)", ux(lambda: rn(3, 5)))
case("exp", "torch.exp(x)", ux(lambda: rn(3, 5)))
case("log", "torch.log(x)", ux(lambda: uni(0.5, 2.0, 3, 5)))
case("log1p", "torch.log1p(x)", ux(lambda: uni(-0.45, 2.0, 3, 5)))
case("expm1", "torch.expm1(x)", ux(lambda: rn(3, 5)))
case("sqrt", "torch.sqrt(x)", ux(lambda: uni(0.5, 2.0, 3, 5)))
case("rsqrt", "torch.rsqrt(x)", ux(lambda: uni(0.5, 2.0, 3, 5)))
case("reciprocal", "torch.reciprocal(x)", ux(lambda: signed_mag(0.5, 2.0, 3, 5)))
case("abs", "torch.abs(x)", ux(lambda: away(rn(3, 5), 0.0)))
case("sin", "torch.sin(x)", ux(lambda: 2 * rn(3, 5)))
case("cos", "torch.cos(x)", ux(lambda: 2 * rn(3, 5)))
case("tanh", "torch.tanh(x)", ux(lambda: rn(3, 5)))
case("sigmoid", "torch.sigmoid(x)", ux(lambda: 2 * rn(3, 5)))
case("relu", "torch.relu(x)", ux(lambda: away(rn(3, 5), 0.0)))
case("leaky_relu", "F.leaky_relu(x, negative_slope=0.01)", ux(lambda: away(rn(3, 5), 0.0)))
case("elu", "F.elu(x, alpha=1.0)", ux(lambda: away(rn(3, 5), 0.0)))
case("gelu", "F.gelu(x)", ux(lambda: 2 * rn(3, 5)))
case("gelu_tanh", "F.gelu(x, approximate='tanh')", ux(lambda: 2 * rn(3, 5)))
case("silu", "F.silu(x)", ux(lambda: 2 * rn(3, 5)))
case("softplus", "F.softplus(x, beta=1, threshold=20)", ux(lambda: 3 * rn(3, 5)))
case("square", "torch.square(x)", ux(lambda: rn(3, 5)))
case("clamp", "torch.clamp(x, min=-0.5, max=0.5)", ux(lambda: away(rn(3, 5), -0.5, 0.5)))
case("sign", "torch.sign(x)", ux(lambda: away(rn(3, 5), 0.0)), grad=False)


# binary with broadcasting
def b_maximum():
    b = rn(4)
    return [("a", b + away(rn(3, 4), 0.0)), ("b", b)]


def b_minimum():
    b = rn(3, 1)
    return [("a", b + away(rn(3, 4), 0.0)), ("b", b)]


def b_where():
    cond = torch.rand(3, 4) < 0.5
    cond[0, 0], cond[0, 1] = True, False
    return [("cond", cond), ("a", rn(3, 4)), ("b", rn(4))]


case("add", "a + b", lambda: [("a", rn(3, 4)), ("b", rn(4))])
case("sub", "a - b", lambda: [("a", rn(2, 1, 4)), ("b", rn(3, 1))])
case("mul", "a * b", lambda: [("a", rn(3, 1)), ("b", rn(1, 5))])
case("div", "a / b", lambda: [("a", rn(3, 4)), ("b", signed_mag(0.5, 2.0, 3, 1))])
case("pow", "torch.pow(a, b)", lambda: [("a", uni(0.5, 2.0, 3, 4)), ("b", rn(4))])
case("pow_scalar", "a ** 2.5", lambda: [("a", uni(0.5, 2.0, 3, 4))])
case("maximum", "torch.maximum(a, b)", b_maximum)
case("minimum", "torch.minimum(a, b)", b_minimum)
case("where", "torch.where(cond, a, b)", b_where)
case("add_scalar", "x + 2.0", lambda: [("x", rn(3, 4))])
case("rsub_scalar", "2.0 - x", lambda: [("x", rn(3, 4))])
case("mul_scalar", "x * 3.0", lambda: [("x", rn(3, 4))])


# comparisons: a[3,4] vs b[4] with exact ties present
def cmp_inputs():
    a, b = rn(3, 4), rn(4)
    a[0, 1], a[1, 0], a[2, 3] = b[1], b[0], b[3]
    return [("a", a), ("b", b)]


case("eq", "a == b", cmp_inputs, grad=False)
case("lt", "a < b", cmp_inputs, grad=False)
case("ge", "a >= b", cmp_inputs, grad=False)

# reductions on x[3,4,5]
R = lambda: [("x", rn(3, 4, 5))]
RD = lambda: [("x", distinct(3, 4, 5))]
case("sum_all", "torch.sum(x)", R)
case("sum_dim1", "torch.sum(x, dim=1)", R)
case("sum_dims02_keep", "torch.sum(x, dim=(0, 2), keepdim=True)", R)
case("sum_neg", "torch.sum(x, dim=-1)", R)
case("mean_dim2", "torch.mean(x, dim=2)", R)
case("mean_all", "torch.mean(x)", R)
case("var_dim1", "torch.var(x, dim=1, unbiased=True)", R)
case("var_dim1_c0", "torch.var(x, dim=1, unbiased=False)", R)
case("std_dim2", "torch.std(x, dim=2)", R)
case("amax_dims12", "torch.amax(x, dim=(1, 2))", RD)
case("max_dim1", "torch.max(x, dim=1)", RD)
case("min_dim0", "torch.min(x, dim=0)", RD)
case("argmax_dim2", "torch.argmax(x, dim=2)", RD, grad=False)
case("argmin_all", "torch.argmin(x)", RD, grad=False)
case("logsumexp_dim1", "torch.logsumexp(x, dim=1)", R)
case("prod_dim1", "torch.prod(x, dim=1)", lambda: [("x", uni(0.5, 1.5, 3, 4, 5))])
case("norm_all", "torch.norm(x)", R)
case("norm1_dim2", "torch.norm(x, p=1, dim=2)", lambda: [("x", away(rn(3, 4, 5), 0.0))])
case("cumsum_dim1", "torch.cumsum(x, dim=1)", R)
case("softmax_last", "torch.softmax(x, dim=-1)", R)
case("softmax_dim0", "torch.softmax(x, dim=0)", R)
case("log_softmax_last", "torch.log_softmax(x, dim=-1)", R)
case("log_softmax_dim1", "torch.log_softmax(x, dim=1)", R)


# linear algebra
def ab(sa, sb):
    return lambda: [("a", rn(*sa)), ("b", rn(*sb))]


case("matmul_1d1d", "torch.matmul(a, b)", ab((5,), (5,)))
case("matmul_2d1d", "torch.matmul(a, b)", ab((3, 5), (5,)))
case("matmul_1d2d", "torch.matmul(a, b)", ab((5,), (5, 4)))
case("matmul_2d2d", "torch.matmul(a, b)", ab((3, 5), (5, 4)))
case("matmul_3d3d", "torch.matmul(a, b)", ab((2, 3, 5), (2, 5, 4)))
case("matmul_bcast", "torch.matmul(a, b)", ab((2, 1, 3, 4), (5, 4, 2)))
case("matmul_3d2d", "torch.matmul(a, b)", ab((2, 3, 5), (5, 4)))
case("bmm", "torch.bmm(a, b)", ab((2, 3, 5), (2, 5, 4)))
case("outer", "torch.outer(a, b)", ab((3,), (4,)))
case("dot", "torch.dot(a, b)", ab((5,), (5,)))


# indexing
def i_gather():
    return [("x", rn(3, 5)), ("index", idx(0, 5, 3, 2))]


def i_scatter_add():
    index = idx(0, 3, 2, 5)
    index[0, 0], index[1, 0] = 1, 1  # a duplicate target: the adds must accumulate
    return [("x", rn(3, 5)), ("index", index), ("src", rn(2, 5))]


def i_scatter():
    index = torch.stack([torch.randperm(5)[:2] for _ in range(3)])  # no duplicate target per row
    return [("x", rn(3, 5)), ("index", index), ("src", rn(3, 2))]


def i_select0():
    index = idx(0, 4, 5)
    index[4] = index[1]  # a repeat: gradients must accumulate
    return [("x", rn(4, 3)), ("index", index)]


def i_masked_fill():
    mask = torch.rand(4) < 0.5
    mask[0], mask[1] = True, False
    return [("x", rn(3, 4)), ("mask", mask)]


def i_embedding():
    index = idx(0, 6, 2, 4)
    index[1, 2] = index[0, 0]
    return [("weight", rn(6, 3)), ("index", index)]


case("gather_dim1", "torch.gather(x, 1, index)", i_gather)
case("scatter_add_dim0", "torch.scatter_add(x, 0, index, src)", i_scatter_add)
case("scatter_dim1", "torch.scatter(x, 1, index, src)", i_scatter)
case("index_select_dim0", "torch.index_select(x, 0, index)", i_select0)
case("index_select_dim1", "torch.index_select(x, 1, index)",
     lambda: [("x", rn(3, 4)), ("index", torch.tensor([3, 1], dtype=torch.int64))])
case("masked_fill", "x.masked_fill(mask, -1.5)", i_masked_fill)
case("one_hot", "F.one_hot(index, num_classes=4)",
     lambda: [("index", torch.tensor([2, 0, 3, 3, 1], dtype=torch.int64))], grad=False)
case("embedding", "F.embedding(index, weight)", i_embedding)

# views and joins
X = lambda *s: (lambda: [("x", rn(*s))])
case("reshape", "x.reshape(2, 6)", X(3, 4))
case("reshape_infer", "x.reshape(4, -1)", X(2, 3, 4))
case("permute", "x.permute(2, 0, 1)", X(2, 3, 4))
case("transpose", "x.transpose(0, 2)", X(2, 3, 4))
case("mT", "x.mT", X(2, 3, 4))
case("expand", "x.expand(2, 3, 4)", X(3, 1))
case("flip", "torch.flip(x, dims=(0, 2))", X(3, 4, 5))
case("narrow", "x.narrow(0, 1, 3)", X(5, 4))
case("slice_step", "x[:, 1:6:2]", X(4, 7))
case("select", "x.select(1, 2)", X(3, 4, 5))
case("select_neg", "x.select(0, -1)", X(3, 4))
case("chunk", "torch.chunk(x, 3, dim=0)", X(7, 3))
case("split", "torch.split(x, 3, dim=1)", X(3, 7))
case("cat", "torch.cat([a, b], dim=0)", ab((2, 3), (4, 3)))
case("cat_dim1", "torch.cat([a, b], dim=1)", ab((2, 3), (2, 1)))
case("stack", "torch.stack([a, b], dim=1)", ab((2, 3), (2, 3)))
case("squeeze", "x.squeeze(1)", X(3, 1, 4))
case("unsqueeze", "x.unsqueeze(-1)", X(3, 4))
case("flatten", "torch.flatten(x, start_dim=1)", X(2, 3, 4))
case("unflatten", "x.unflatten(1, (3, 4))", X(2, 12))
case("contiguous_of_transpose", "x.t().contiguous()", X(3, 4))


# composite / nn-flavoured
def logits_target():
    return [("logits", rn(4, 5)), ("target", torch.tensor([1, 4, 0, 1], dtype=torch.int64))]


case("cross_entropy", "F.cross_entropy(logits, target)", logits_target)
case("nll_loss", "F.nll_loss(F.log_softmax(logits, dim=1), target)", logits_target)
case("mse_loss", "F.mse_loss(a, b)", ab((3, 4), (3, 4)))
case("linear", "F.linear(x, w, b)", lambda: [("x", rn(4, 3)), ("w", rn(5, 3)), ("b", rn(5))])
case("layer_norm", "F.layer_norm(x, (4,), weight, bias, eps=1e-5)",
     lambda: [("x", rn(3, 4)), ("weight", 1.0 + 0.5 * rn(4)), ("bias", 0.5 * rn(4))])
case("tanh_chain", "torch.tanh(x).exp().sum(dim=1)", X(3, 4))

# casts
case("cast_f32", "x.to(torch.float32)", X(3, 4))
case("cast_i64_to_f64", "index.to(torch.float64)", lambda: [("index", idx(-5, 6, 3, 4))], grad=False)


# ---------------------------------------------------------------- evaluation
def evaluate(expr, names, tensors):
    env = {"torch": torch, "F": F}
    env.update(dict(zip(names, tensors)))
    return eval(expr, env)  # noqa: S307 - expressions are the literals above


def run_case(fixture, name, expr, build, grad):
    """returns (ordered list of (tensor name, tensor), input names)"""
    fixture.seed(name)
    named = build()
    names = [n for n, _ in named]
    ins = [t.detach().clone() for _, t in named]
    for t in ins:
        assert t.numel() <= 64, (name, t.shape)
        if t.is_floating_point():
            assert t.dtype == D, (name, t.dtype)
    leaves = [t.clone().requires_grad_(grad and t.is_floating_point()) for t in ins]
    res = evaluate(expr, names, leaves)
    multi = isinstance(res, (tuple, list))
    outs = list(res) if multi else [res]
    onames = [f"out{i}" for i in range(len(outs))] if multi else ["out"]
    items = [(f"{name}.in{i}", t) for i, t in enumerate(ins)]
    items += [(f"{name}.{on}", o.detach()) for on, o in zip(onames, outs)]
    if grad:
        fouts = [(on, o) for on, o in zip(onames, outs) if o.is_floating_point()]
        assert fouts and all(o.requires_grad for _, o in fouts), name
        gouts = []
        for on, o in fouts:
            g = rn(*o.shape)
            if o.dtype != D:  # keep the float64 gout exactly representable in the output dtype
                g = g.to(o.dtype).to(D)
            gouts.append(g)
            items.append((f"{name}.{on.replace('out', 'gout')}", g))
        fin = [(i, l) for i, l in enumerate(leaves) if l.requires_grad]
        gins = torch.autograd.grad([o for _, o in fouts], [l for _, l in fin],
                                   [g.to(o.dtype) for g, (_, o) in zip(gouts, fouts)],
                                   allow_unused=True)
        for (i, l), g in zip(fin, gins):
            g = torch.zeros_like(l) if g is None else g
            assert g.dtype == D and g.shape == l.shape, name
            items.append((f"{name}.gin{i}", g.detach()))
    return items, names


# ---------------------------------------------------------------- safetensors writer
ST_DTYPE = {torch.float64: ("F64", "<f8"), torch.float32: ("F32", "<f4"),
            torch.int64: ("I64", "<i8"), torch.bool: ("BOOL", "u1")}


def write_safetensors(path, items, metadata):
    header, chunks, off = {}, [], 0
    for key, t in items:
        dt, npdt = ST_DTYPE[t.dtype]
        raw = np.ascontiguousarray(t.contiguous().numpy().astype(npdt)).tobytes()
        assert len(raw) == t.numel() * np.dtype(npdt).itemsize
        header[key] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    assert len(header) == len(items), "duplicate tensor name"
    header = {"__metadata__": metadata, **header}
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)  # pad with spaces so the data starts 8-byte aligned
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)
    return 8 + len(hb) + off


def fmt_shape(t):
    return "[" + ",".join(str(s) for s in t.shape) + "]"


# ---------------------------------------------------------------- shared by the fixture scripts
class FixtureFile:
    """One fixture file being built: its tensors in file order (items), its metadata (meta), the per-case seeding."""

    def __init__(self, path, base_seed):
        self.path = path
        self.base_seed = base_seed
        self.items = []  # (tensor name, tensor)
        self.meta = {}

    def seed(self, name):
        """Seeds torch for case `name` with base_seed + crc32(name), so adding a case leaves the others unchanged."""
        torch.manual_seed(self.base_seed + zlib.crc32(name.encode()))

    def put(self, case, name, t):
        """Appends a detached copy of t as tensor "<case>.<name>"."""
        self.items.append((f"{case}.{name}", t.detach().clone()))

    def write(self, dtypes=None):
        """Writes the file, checking every tensor's dtype is in dtypes (when given); returns the size in bytes."""
        for k, t in self.items:
            assert dtypes is None or t.dtype in dtypes, (k, t.dtype)
        return write_safetensors(self.path, self.items, self.meta)

    def finish(self, dtypes=None, torch_version=True):
        """Ends a fixture script: adds metadata "torch_version" last (unless told not to), writes, prints the summary."""
        if torch_version:
            self.meta["torch_version"] = torch.__version__
        size = self.write(dtypes)
        print(f"wrote {self.path}: {len(self.meta)} metadata entries, {len(self.items)} tensors, {size} bytes")
        return size


def randomize_norm(module):
    """norm layers get weights 1 + N(0, 1/4) and biases N(0, 1/4) instead of ones and zeros, so the affine part is exercised"""
    if isinstance(module, (nn.LayerNorm, nn.GroupNorm, nn.BatchNorm1d, nn.BatchNorm2d)) and module.weight is not None:
        with torch.no_grad():
            module.weight.copy_(1.0 + 0.5 * torch.randn_like(module.weight))
            module.bias.copy_(0.5 * torch.randn_like(module.bias))


def layer_case(fixture, case, expr, x):
    """A float64 module (norm layers randomized) run forward and backward on x(): state dict, input, gout, out, gradients."""
    fixture.seed(case)
    m = eval(expr, {"nn": nn, "torch": torch}).to(D)  # noqa: S307 - the scripts' literals
    randomize_norm(m)
    for k, v in m.state_dict().items():
        fixture.put(case, k, v)
    x = x().clone().requires_grad_(True)
    out = m(x)
    gout = rn(*out.shape)
    grads = torch.autograd.grad(out, [x] + list(m.parameters()), gout)
    fixture.put(case, "input", x)
    fixture.put(case, "gout", gout)
    fixture.put(case, "out", out)
    fixture.put(case, "grad_input", grads[0])
    for (k, _), g in zip(m.named_parameters(), grads[1:]):
        fixture.put(case, "grad." + k, g)
    fixture.meta[case] = expr


def batch_norm_case(fixture, case, expr, shape):
    """A float64 batch-norm module: train step on x1, train forward on x2, eval on x3, its state before and after."""
    fixture.seed(case)
    m = eval(expr, {"nn": nn}).to(D)  # noqa: S307 - the scripts' literals
    randomize_norm(m)
    for k, v in m.state_dict().items():
        fixture.put(case, "sd." + k, v)
    m.train()
    x1 = (2 * rn(*shape) + 0.5).requires_grad_(True)
    out1 = m(x1)
    gout1 = rn(*out1.shape)
    params = list(m.parameters())
    grads = torch.autograd.grad(out1, [x1] + params, gout1)
    fixture.put(case, "x1", x1)
    fixture.put(case, "gout1", gout1)
    fixture.put(case, "out1", out1)
    fixture.put(case, "grad_x1", grads[0])
    for (k, _), g in zip(m.named_parameters(), grads[1:]):
        fixture.put(case, "grad." + k, g)
    x2 = rn(*shape) - 1
    with torch.no_grad():
        m(x2)
    fixture.put(case, "x2", x2)
    for k, v in m.state_dict().items():
        fixture.put(case, "after." + k, v)
    m.eval()
    x3 = rn(*shape)
    with torch.no_grad():
        out3 = m(x3)
    fixture.put(case, "x3", x3)
    fixture.put(case, "out3", out3)
    fixture.meta[case] = expr
    fixture.meta["keys." + case] = json.dumps(list(m.state_dict().keys()))


def main():
    names_seen = set()
    ops, rows = FixtureFile(OUT_PATH, BASE_SEED), []
    for name, expr, build, grad in CASES:
        assert name not in names_seen, name
        names_seen.add(name)
        items, innames = run_case(ops, name, expr, build, grad)
        ops.items += items
        ops.meta[name] = expr
        d = dict((k[len(name) + 1:], t) for k, t in items)
        ins = [f"in{i}={n} {ST_DTYPE[d[f'in{i}'].dtype][0]}{fmt_shape(d[f'in{i}'])}"
               for i, n in enumerate(innames)]
        outs = [f"{k} {ST_DTYPE[t.dtype][0]}{fmt_shape(t)}" for k, t in d.items() if k.startswith("out")]
        grads = [k for k in d if k.startswith("g")]
        rows.append(f"| `{name}` | `{expr}` | {'<br>'.join(ins)} | {'<br>'.join(outs)} | "
                    f"{', '.join(grads) if grads else '(none)'} |")
    ops.meta["torch_version"] = torch.__version__
    size = ops.write()
    with open(CASES_MD, "w") as f:
        f.write("# Reference cases in `ops.safetensors`\n\n"
                "Generated by `reference/make_fixtures.py` (do not edit by hand). "
                f"torch {torch.__version__}. `F` is `torch.nn.functional`.\n\n"
                "Tensor names are `<case>.<name>`. Inputs `inK` are bound to the names shown and the "
                "expression is evaluated by Python `eval`, so it is exactly what was computed. "
                "`gout*` is the upstream gradient of the float outputs (same shape), `ginK` the "
                "gradient of `sum(out * gout)` with respect to float input `inK` (float64). "
                "Integer and bool inputs get no `gin`.\n\n"
                "| case | torch expression | inputs | outputs | gradients |\n"
                "|---|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n")
    print(f"wrote {OUT_PATH}: {len(CASES)} cases, {len(ops.items)} tensors, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
