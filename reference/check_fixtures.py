#!/usr/bin/python3
"""Re-reads ops.safetensors with its own small parser (no code shared with make_fixtures.py) and
checks: the container format, that every expected case is present with consistent tensor names,
dtypes and shapes, and (using torch) that evaluating each metadata expression on the stored
inputs reproduces the stored outputs and gradients exactly.

    /usr/bin/python3 reference/check_fixtures.py
"""
import json
import os
import re
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, "testing", "src", "test", "resources", "reference", "ops.safetensors")
CASES_MD = os.path.join(ROOT, "reference", "cases.md")

EXPECTED = """
neg exp log log1p expm1 sqrt rsqrt reciprocal abs sin cos tanh sigmoid relu leaky_relu elu gelu
gelu_tanh silu softplus square clamp sign
add sub mul div pow pow_scalar maximum minimum where add_scalar rsub_scalar mul_scalar
eq lt ge
sum_all sum_dim1 sum_dims02_keep sum_neg mean_dim2 mean_all var_dim1 var_dim1_c0 std_dim2 amax_dims12
max_dim1 min_dim0 argmax_dim2 argmin_all logsumexp_dim1 prod_dim1 norm_all norm1_dim2 cumsum_dim1
softmax_last softmax_dim0 log_softmax_last log_softmax_dim1
matmul_1d1d matmul_2d1d matmul_1d2d matmul_2d2d matmul_3d3d matmul_bcast matmul_3d2d bmm outer dot
gather_dim1 scatter_add_dim0 scatter_dim1 index_select_dim0 index_select_dim1 masked_fill one_hot
embedding
reshape reshape_infer permute transpose mT expand flip narrow slice_step select select_neg chunk split
cat cat_dim1 stack squeeze unsqueeze flatten unflatten contiguous_of_transpose
cross_entropy nll_loss mse_loss linear layer_norm tanh_chain
cast_f32 cast_i64_to_f64
""".split()
NO_GRAD = {"sign", "eq", "lt", "ge", "argmax_dim2", "argmin_all", "one_hot", "cast_i64_to_f64"}
NP = {"F64": "<f8", "F32": "<f4", "I64": "<i8", "BOOL": "u1"}

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def parse(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    check(n % 8 == 0, "header length not a multiple of 8")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buf = data[8 + n:]
    meta = header.pop("__metadata__")
    check(all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()), "metadata not str->str")
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    pos = 0
    for b, e, k in spans:
        check(b == pos, f"{k}: gap or overlap at {b} (expected {pos})")
        pos = e
    check(pos == len(buf), f"data ends at {pos}, buffer is {len(buf)} bytes")
    tensors = {}
    for k, v in header.items():
        check(v["dtype"] in NP, f"{k}: dtype {v['dtype']}")
        dt = np.dtype(NP[v["dtype"]])
        b, e = v["data_offsets"]
        shape = tuple(v["shape"])
        check(e - b == int(np.prod(shape, dtype=np.int64)) * dt.itemsize, f"{k}: byte size")
        arr = np.frombuffer(buf[b:e], dtype=dt).reshape(shape)
        if v["dtype"] == "BOOL":
            check(set(np.unique(arr)) <= {0, 1}, f"{k}: BOOL bytes not 0/1")
            arr = arr.astype(bool)
        tensors[k] = (v["dtype"], arr)
    return meta, tensors, len(data)


def input_names():
    names = {}
    for line in open(CASES_MD):
        m = re.match(r"\| `([^`]+)` \| `([^`]+)` \| ([^|]*) \|", line)
        if m:
            names[m.group(1)] = re.findall(r"in\d+=(\w+)", m.group(3))
    return names


def structure(meta, tensors):
    cases = [k for k in meta if k != "torch_version"]
    check("torch_version" in meta, "no torch_version")
    check(sorted(cases) == sorted(EXPECTED), f"case set differs: missing {set(EXPECTED) - set(cases)}, "
                                             f"extra {set(cases) - set(EXPECTED)}")
    by_case = {}
    for k in tensors:
        c, _, t = k.rpartition(".")
        check(c in meta, f"tensor {k} belongs to no case")
        by_case.setdefault(c, {})[t] = tensors[k]
    for c in cases:
        ts = by_case.get(c, {})
        ins = [t for t in ts if re.fullmatch(r"in\d+", t)]
        check(sorted(ins) == [f"in{i}" for i in range(len(ins))] and ins, f"{c}: inputs {ins}")
        for t in ins:
            dt, a = ts[t]
            check(a.size <= 64, f"{c}.{t}: {a.size} elements")
            check(dt in ("F64", "I64", "BOOL"), f"{c}.{t}: input dtype {dt}")
        outs = [t for t in ts if re.fullmatch(r"out\d*", t)]
        check(outs == ["out"] or sorted(outs) == [f"out{i}" for i in range(len(outs))], f"{c}: outs {outs}")
        grad = c not in NO_GRAD
        for t in outs:
            g = t.replace("out", "gout")
            want = grad and ts[t][0] in ("F64", "F32")
            check((g in ts) == want, f"{c}.{g}: present={g in ts}, expected={want}")
            if g in ts:
                check(ts[g][0] == "F64" and ts[g][1].shape == ts[t][1].shape, f"{c}.{g}: dtype/shape")
        for t in ins:
            g = t.replace("in", "gin")
            want = grad and ts[t][0] == "F64"
            check((g in ts) == want, f"{c}.{g}: present={g in ts}, expected={want}")
            if g in ts:
                check(ts[g][0] == "F64" and ts[g][1].shape == ts[t][1].shape, f"{c}.{g}: dtype/shape")
        known = set(ins) | set(outs) | {t.replace("out", "gout") for t in outs} | {"gin" + t[2:] for t in ins}
        check(set(ts) <= known, f"{c}: unexpected tensors {set(ts) - known}")
        for t, (dt, a) in ts.items():
            if dt in ("F64", "F32"):
                check(np.isfinite(a).all(), f"{c}.{t}: non-finite values")
    return cases, by_case


def recompute(meta, cases, by_case):
    """evaluate each metadata expression on the stored inputs; outputs and gradients must match"""
    import torch
    import torch.nn.functional as F
    names = input_names()
    check(sorted(names) == sorted(cases), "cases.md rows differ from the file's cases")
    for c in cases:
        ts = by_case[c]
        n_in = len([t for t in ts if re.fullmatch(r"in\d+", t)])
        leaves = []
        for i in range(n_in):
            x = torch.from_numpy(np.array(ts[f"in{i}"][1]))
            leaves.append(x.requires_grad_(x.is_floating_point() and f"gin{i}" in ts))
        env = {"torch": torch, "F": F, **dict(zip(names[c], leaves))}
        res = eval(meta[c], env)  # noqa: S307 - the expressions come from our own fixture
        outs = list(res) if isinstance(res, (tuple, list)) else [res]
        onames = ["out"] if "out" in ts else [f"out{i}" for i in range(len(outs))]
        check(len(outs) == len(onames), f"{c}: {len(outs)} outputs")
        for on, o in zip(onames, outs):
            dt, want = ts[on]
            got = o.detach().numpy()
            check(got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want),
                  f"{c}.{on}: recomputed value differs")
        pairs = [(o, torch.from_numpy(np.array(ts[on.replace("out", "gout")][1])).to(o.dtype))
                 for on, o in zip(onames, outs) if on.replace("out", "gout") in ts]
        gl = [(i, l) for i, l in enumerate(leaves) if l.requires_grad]
        if pairs and gl:
            gs = torch.autograd.grad([p[0] for p in pairs], [l for _, l in gl], [p[1] for p in pairs],
                                     allow_unused=True)
            for (i, l), g in zip(gl, gs):
                g = torch.zeros_like(l) if g is None else g
                check(np.array_equal(g.numpy(), ts[f"gin{i}"][1]), f"{c}.gin{i}: recomputed gradient differs")


def main():
    meta, tensors, size = parse(PATH)
    cases, by_case = structure(meta, tensors)
    check(size < 1 << 20, f"file is {size} bytes")
    if "--no-torch" not in sys.argv:
        recompute(meta, cases, by_case)
    for f in failures:
        print("FAIL:", f)
    print(f"{os.path.relpath(PATH, ROOT)}: {len(cases)} cases, {len(tensors)} tensors, {size} bytes, "
          f"torch {meta.get('torch_version')}: {'OK' if not failures else f'{len(failures)} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
