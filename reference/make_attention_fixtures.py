#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's attention and Transformer tests.

Output: nn/src/test/resources/reference/attention.safetensors. Run from the repository root with
Debian's interpreter (it has python3-torch 1.13):

    /usr/bin/python3 reference/make_attention_fixtures.py

Everything is float64 (masks bool). torch 1.13 has neither F.scaled_dot_product_attention nor
nn.RMSNorm, so those references (and rotary embeddings, which torch lacks altogether) are computed
here by hand from their defining formulas, differentiated by torch's autograd. Tensor names are
"<case>.<name>"; metadata "<case>" is a JSON object with the case's options. Per kind of case:

  sdpa.<name>    q, k, v, [mask], gout, out, grad_q, grad_k, grad_v
                 out = softmax(q·kᵀ·scale + mask)·v; a bool mask is true where a query may attend
                 (torch 2's convention); causal "upper_left" = ones(L, S).tril(0) (torch 2's is_causal),
                 "lower_right" = ones(L, S).tril(S − L)
  mha.<name>     sd.<key> (the module's state_dict), query, [key, value], [key_padding_mask, attn_mask],
                 gout, out, [weights], grad_query, [grad_key, grad_value], grad.<key>
                 out, weights = nn.MultiheadAttention(...)(query, key, value, ...); gradients of sum(out·gout)
  enc.<name>, dec.<name>, enc_stack, dec_stack
                 sd.<key>, src (tgt, memory), masks, gout, out, grad_src (grad_tgt, grad_memory), grad.<key>
                 for nn.TransformerEncoderLayer / DecoderLayer / Encoder / Decoder in training mode with
                 dropout 0 (so torch takes its differentiable path, not the inference fast path)
  rms_norm.<name> x, weight, gout, out, grad_x, grad_weight: x / sqrt(mean(x², -1) + eps)·weight
  sinusoidal     pe [max_len, 1, d] as PyTorch's Transformer tutorial computes it (float32, stored as F64)
  rotary         x [1, 2, 5, 8], out: rotate-half RoPE at positions 3..7, base 10000
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile, rn  # noqa: E402  (the shared input generator and fixture file)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "attention.safetensors")
BASE_SEED = 20250303  # seed of a case = BASE_SEED + crc32(case name): stable when cases are added

D = torch.float64
FIX = FixtureFile(OUT_PATH, BASE_SEED)


# ---------------------------------------------------------------- scaled dot-product attention, by hand
def sdpa_reference(q, k, v, mask=None, causal=None, scale=None):
    L, S = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    s = q @ k.transpose(-2, -1) * scale
    if causal is not None:
        allowed = torch.ones(L, S, dtype=torch.bool).tril(0 if causal == "upper_left" else S - L)
        s = s.masked_fill(~allowed, float("-inf"))
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else s + mask
    return torch.softmax(s, dim=-1) @ v


def sdpa_case(name, b, h, tq, tk, d, dv, mask=None, causal=None, scale=None):
    case = "sdpa." + name
    FIX.seed(case)
    q, k, v = rn(b, h, tq, d), rn(b, h, tk, d), rn(b, h, tk, dv)
    m = None
    if mask == "bool":
        m = torch.rand(tq, tk) > 0.3
        m[:, 0] = True  # no query without a key: torch 1.13's softmax would give NaN
    elif mask == "float":
        m = rn(b, 1, tq, tk)
    qs, ks, vs = (t.clone().requires_grad_(True) for t in (q, k, v))
    out = sdpa_reference(qs, ks, vs, m, causal, scale)
    gout = rn(*out.shape)
    gq, gk, gv = torch.autograd.grad(out, (qs, ks, vs), gout)
    for n_, t in (("q", q), ("k", k), ("v", v), ("gout", gout), ("out", out), ("grad_q", gq), ("grad_k", gk), ("grad_v", gv)):
        FIX.put(case, n_, t)
    if m is not None:
        FIX.put(case, "mask", m)
    FIX.meta[case] = json.dumps({"mask": mask, "causal": causal, "scale": scale})


sdpa_case("plain", 2, 2, 3, 5, 4, 3)
sdpa_case("causal", 2, 2, 4, 4, 4, 4, causal="upper_left")
sdpa_case("causal_upper_left_short_query", 1, 2, 3, 5, 4, 4, causal="upper_left")
sdpa_case("causal_lower_right", 1, 2, 3, 5, 4, 4, causal="lower_right")
sdpa_case("bool_mask", 2, 2, 3, 5, 4, 4, mask="bool")
sdpa_case("float_mask", 2, 2, 3, 5, 4, 4, mask="float")
sdpa_case("scale", 1, 2, 3, 5, 4, 4, scale=0.25)


# ---------------------------------------------------------------- modules
def module_case(case, module, inputs, call, options):
    """inputs: dict name -> tensor (float ones but masks get gradients); call(module, **leaves) -> out or (out, weights)"""
    module.double()
    module.train()
    for k_, t in module.state_dict().items():
        FIX.put(case, "sd." + k_, t)
    leaves = {}
    for n_, t in inputs.items():
        FIX.put(case, n_, t)
        leaves[n_] = t.clone().requires_grad_(True) if t.is_floating_point() and "mask" not in n_ else t
    result = call(module, **leaves)
    out, weights = result if isinstance(result, tuple) else (result, None)
    gout = rn(*out.shape)
    float_names = [n_ for n_, t in leaves.items() if t.requires_grad]
    params = list(module.named_parameters())
    grads = torch.autograd.grad(out, [leaves[n_] for n_ in float_names] + [p for _, p in params], gout)
    FIX.put(case, "gout", gout)
    FIX.put(case, "out", out)
    if weights is not None:
        FIX.put(case, "weights", weights)
    for n_, g in zip(float_names, grads):
        FIX.put(case, "grad_" + n_, g)
    for (k_, _), g in zip(params, grads[len(float_names):]):
        FIX.put(case, "grad." + k_, g)
    FIX.meta[case] = json.dumps(options)


def causal_bool(n):
    return torch.ones(n, n, dtype=torch.bool).triu(1)  # true above the diagonal: may not attend


def mha(name, options, build_inputs, call):
    case = "mha." + name
    FIX.seed(case)
    m = nn.MultiheadAttention(8, 2, bias=options.get("bias", True), batch_first=options.get("batch_first", False),
                              kdim=options.get("kdim"), vdim=options.get("vdim"))
    module_case(case, m, build_inputs(), call, options)


mha("self_seq_first", {"batch_first": False, "need_weights": True, "average": True},
    lambda: {"query": rn(4, 3, 8)},
    lambda m, query: m(query, query, query))
mha("cross_batch_first_masks", {"batch_first": True, "need_weights": True, "average": False},
    lambda: {"query": rn(2, 3, 8), "key": rn(2, 5, 8), "value": rn(2, 5, 8),
             "key_padding_mask": torch.tensor([[False, False, False, True, True], [False] * 5]),
             "attn_mask": torch.tensor([[False, True, False, False, True], [False, False, True, False, False],
                                        [True, False, False, False, False]])},
    lambda m, query, key, value, key_padding_mask, attn_mask: m(query, key, value, key_padding_mask=key_padding_mask,
                                                                attn_mask=attn_mask, average_attn_weights=False))
mha("float_mask_per_head", {"batch_first": False, "need_weights": False, "average": True},
    lambda: {"query": rn(3, 2, 8), "key": rn(4, 2, 8), "value": rn(4, 2, 8), "attn_mask": rn(4, 3, 4)},
    lambda m, query, key, value, attn_mask: m(query, key, value, attn_mask=attn_mask, need_weights=False)[0])
mha("unbatched_no_bias", {"batch_first": False, "need_weights": True, "average": True, "bias": False},
    lambda: {"query": rn(4, 8), "key": rn(5, 8), "value": rn(5, 8)},
    lambda m, query, key, value: m(query, key, value))
mha("kdim_vdim", {"batch_first": True, "need_weights": True, "average": True, "kdim": 6, "vdim": 5},
    lambda: {"query": rn(2, 3, 8), "key": rn(2, 4, 6), "value": rn(2, 4, 5),
             "key_padding_mask": torch.tensor([[False, False, False, True], [False] * 4])},
    lambda m, query, key, value, key_padding_mask: m(query, key, value, key_padding_mask=key_padding_mask))


def layer_options(**kw):
    o = {"d_model": 8, "nhead": 2, "dim_feedforward": 16, "dropout": 0.0, "activation": "relu", "layer_norm_eps": 1e-5,
         "batch_first": False, "norm_first": False}
    o.update(kw)
    return o


def enc_layer(o):
    return nn.TransformerEncoderLayer(o["d_model"], o["nhead"], o["dim_feedforward"], o["dropout"], o["activation"],
                                      o["layer_norm_eps"], o["batch_first"], o["norm_first"])


def dec_layer(o):
    return nn.TransformerDecoderLayer(o["d_model"], o["nhead"], o["dim_feedforward"], o["dropout"], o["activation"],
                                      o["layer_norm_eps"], o["batch_first"], o["norm_first"])


def padding(n, s):
    kpm = torch.zeros(n, s, dtype=torch.bool)
    kpm[-1, -2:] = True
    return kpm


def enc_case(name, o):
    case = "enc." + name
    FIX.seed(case)
    t, n = 5, 2
    src = rn(n, t, 8) if o["batch_first"] else rn(t, n, 8)
    module_case(case, enc_layer(o), {"src": src, "src_mask": causal_bool(t), "src_key_padding_mask": padding(n, t)},
                lambda m, src, src_mask, src_key_padding_mask: m(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask),
                o)


def dec_case(name, o):
    case = "dec." + name
    FIX.seed(case)
    t, s, n = 4, 5, 2
    tgt = rn(n, t, 8) if o["batch_first"] else rn(t, n, 8)
    memory = rn(n, s, 8) if o["batch_first"] else rn(s, n, 8)
    module_case(case, dec_layer(o), {"tgt": tgt, "memory": memory, "tgt_mask": causal_bool(t), "memory_key_padding_mask": padding(n, s)},
                lambda m, tgt, memory, tgt_mask, memory_key_padding_mask: m(tgt, memory, tgt_mask=tgt_mask,
                                                                            memory_key_padding_mask=memory_key_padding_mask),
                o)


enc_case("post_norm_relu", layer_options())
enc_case("pre_norm_gelu_batch_first", layer_options(activation="gelu", batch_first=True, norm_first=True))
dec_case("post_norm_relu", layer_options())
dec_case("pre_norm_gelu_batch_first", layer_options(activation="gelu", batch_first=True, norm_first=True))

FIX.seed("enc_stack")
o = layer_options(norm_first=True)
module_case("enc_stack", nn.TransformerEncoder(enc_layer(o), 2, norm=nn.LayerNorm(8)), {"src": rn(5, 2, 8), "mask": causal_bool(5)},
            lambda m, src, mask: m(src, mask=mask), dict(o, num_layers=2, final_norm=True))
FIX.seed("dec_stack")
o = layer_options()
module_case("dec_stack", nn.TransformerDecoder(dec_layer(o), 2, norm=nn.LayerNorm(8)), {"tgt": rn(4, 2, 8), "memory": rn(5, 2, 8)},
            lambda m, tgt, memory: m(tgt, memory), dict(o, num_layers=2, final_norm=True))


# ---------------------------------------------------------------- RMSNorm, sinusoidal and rotary encodings, by hand
def rms_case(name, eps):
    case = "rms_norm." + name
    FIX.seed(case)
    x, w = rn(3, 6), 1 + 0.3 * rn(6)
    xs, ws = x.clone().requires_grad_(True), w.clone().requires_grad_(True)
    e = torch.finfo(D).eps if eps is None else eps  # nn.RMSNorm's default eps
    out = xs * torch.rsqrt(xs.pow(2).mean(-1, keepdim=True) + e) * ws
    gout = rn(*out.shape)
    gx, gw = torch.autograd.grad(out, (xs, ws), gout)
    for n_, t in (("x", x), ("weight", w), ("gout", gout), ("out", out), ("grad_x", gx), ("grad_weight", gw)):
        FIX.put(case, n_, t)
    FIX.meta[case] = json.dumps({"eps": eps})


rms_case("eps", 1e-6)
rms_case("default_eps", None)

max_len, d_model = 10, 6
position = torch.arange(max_len).unsqueeze(1)
div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
pe = torch.zeros(max_len, 1, d_model)
pe[:, 0, 0::2] = torch.sin(position * div_term)
pe[:, 0, 1::2] = torch.cos(position * div_term)
FIX.put("sinusoidal", "pe", pe.to(D))
FIX.meta["sinusoidal"] = json.dumps({"max_len": max_len, "d_model": d_model})

FIX.seed("rotary")
x = rn(1, 2, 5, 8)
offset, dim, base = 3, 8, 10000.0
inv_freq = base ** (-torch.arange(0, dim, 2, dtype=D) / dim)
angles = torch.arange(offset, offset + 5, dtype=D).unsqueeze(1) * inv_freq  # [T, D/2]
emb = torch.cat([angles, angles], dim=-1)
x1, x2 = x[..., : dim // 2], x[..., dim // 2:]
out = x * emb.cos() + torch.cat([-x2, x1], dim=-1) * emb.sin()
FIX.put("rotary", "x", x)
FIX.put("rotary", "out", out)
FIX.meta["rotary"] = json.dumps({"offset": offset, "dim": dim, "base": base})


if __name__ == "__main__":
    FIX.finish(dtypes=(D, torch.bool))
