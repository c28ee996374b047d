#!/usr/bin/python3
"""Writes PyTorch reference values for Fathom's recurrent layers (RNN, LSTM, GRU and their cells).

Output: nn/src/test/resources/reference/rnn.safetensors. Run from the repository root with Debian's
interpreter (it has python3-torch):

    /usr/bin/python3 reference/make_rnn_fixtures.py

Everything is float64 (lengths int64), input size 5, hidden size 4, 6 steps, batch 3. Tensor names are
"<case>.<name>"; the metadata "<case>" holds the torch module expression followed by the options of the
run ("| h0", "| h0 c0", "| lengths", "| unbatched"), which the Java test compares with its own
description of the case. Per case:

  sd.<key>          the module's state_dict under torch's keys (weight_ih_l0, ..., bias_hh_l1_reverse)
  input             [T, B, 5], or [B, T, 5] with batch_first, or [T, 5] unbatched
  h0, c0            initial states [L*D, B, 4] when the run passes them
  lengths           int64 [B] when the run packs the input: pack_padded_sequence(..., enforce_sorted=False)
                    and pad_packed_sequence(..., total_length=T), so padded steps output zero
  out, h_n, c_n     the module's outputs
  gout, gh, gc      random upstream gradients for out, h_n, c_n
  grad.input, grad.h0, grad.c0, grad.<key>
                    gradients of sum(out*gout) + sum(h_n*gh) + sum(c_n*gc)

Cells (lstm_cell, gru_cell, rnn_cell, rnn_cell_relu): sd.<key>, input [B, 5], h [B, 4] (and c), outputs
h1 (and c1), upstream gh (and gc), grad.input, grad.h (grad.c), grad.<key>.
"""
import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FixtureFile, rn  # noqa: E402  (the shared input generator and fixture file)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_PATH = os.path.join(ROOT, "nn", "src", "test", "resources", "reference", "rnn.safetensors")
BASE_SEED = 20250303  # seed of a case = BASE_SEED + crc32(case name): stable when cases are added

D = torch.float64
IN, HID, T, B = 5, 4, 6, 3
FIX = FixtureFile(OUT_PATH, BASE_SEED)


def layer_case(case, expr, states=(), lengths=None, unbatched=False):
    """states: which initial states the run passes ("h0", "c0"); lengths: per-sequence lengths or None."""
    FIX.seed(case)
    m = eval(expr, {"nn": nn}).to(D)  # noqa: S307 - literals below
    lstm = isinstance(m, nn.LSTM)
    dirs = 2 if m.bidirectional else 1
    shape = (T, IN) if unbatched else (B, T, IN) if m.batch_first else (T, B, IN)
    x = rn(*shape).requires_grad_(True)
    state_shape = (m.num_layers * dirs, HID) if unbatched else (m.num_layers * dirs, B, HID)
    init = {k: rn(*state_shape).requires_grad_(True) for k in states}
    hx = None
    if init:
        hx = (init["h0"], init["c0"]) if lstm else init["h0"]
    if lengths is not None:
        lens = torch.tensor(lengths, dtype=torch.int64)
        packed = pack_padded_sequence(x, lens, batch_first=m.batch_first, enforce_sorted=False)
        out_packed, hn = m(packed, hx)
        out, _ = pad_packed_sequence(out_packed, batch_first=m.batch_first, total_length=T)
    else:
        out, hn = m(x, hx)
    h_n, c_n = hn if lstm else (hn, None)
    gout, gh = rn(*out.shape), rn(*h_n.shape)
    loss = (out * gout).sum() + (h_n * gh).sum()
    if lstm:
        gc = rn(*c_n.shape)
        loss = loss + (c_n * gc).sum()
    params = list(m.named_parameters())
    leaves = [x] + list(init.values()) + [p for _, p in params]
    grads = torch.autograd.grad(loss, leaves)
    for k, v in m.state_dict().items():
        FIX.put(case, "sd." + k, v)
    FIX.put(case, "input", x)
    for k, v in init.items():
        FIX.put(case, k, v)
    if lengths is not None:
        FIX.put(case, "lengths", lens)
    FIX.put(case, "out", out)
    FIX.put(case, "h_n", h_n)
    FIX.put(case, "gout", gout)
    FIX.put(case, "gh", gh)
    if lstm:
        FIX.put(case, "c_n", c_n)
        FIX.put(case, "gc", gc)
    names = ["input"] + list(init.keys()) + [k for k, _ in params]
    for n, g in zip(names, grads):
        FIX.put(case, "grad." + n, g)
    options = list(states) + (["lengths"] if lengths is not None else []) + (["unbatched"] if unbatched else [])
    FIX.meta[case] = expr + "".join(" | " + o for o in options)


def cell_case(case, expr):
    FIX.seed(case)
    m = eval(expr, {"nn": nn}).to(D)  # noqa: S307 - literals below
    lstm = isinstance(m, nn.LSTMCell)
    x = rn(B, IN).requires_grad_(True)
    h = rn(B, HID).requires_grad_(True)
    c = rn(B, HID).requires_grad_(True) if lstm else None
    if lstm:
        h1, c1 = m(x, (h, c))
    else:
        h1 = m(x, h)
    gh = rn(*h1.shape)
    loss = (h1 * gh).sum()
    if lstm:
        gc = rn(*c1.shape)
        loss = loss + (c1 * gc).sum()
    params = list(m.named_parameters())
    leaves = [x, h] + ([c] if lstm else []) + [p for _, p in params]
    grads = torch.autograd.grad(loss, leaves)
    for k, v in m.state_dict().items():
        FIX.put(case, "sd." + k, v)
    FIX.put(case, "input", x)
    FIX.put(case, "h", h)
    FIX.put(case, "h1", h1)
    FIX.put(case, "gh", gh)
    if lstm:
        FIX.put(case, "c", c)
        FIX.put(case, "c1", c1)
        FIX.put(case, "gc", gc)
    names = ["input", "h"] + (["c"] if lstm else []) + [k for k, _ in params]
    for n, g in zip(names, grads):
        FIX.put(case, "grad." + n, g)
    FIX.meta[case] = expr


layer_case("rnn", "nn.RNN(5, 4)")
layer_case("rnn_relu_2layer_bidir", "nn.RNN(5, 4, num_layers=2, nonlinearity='relu', bidirectional=True)", states=("h0",))
layer_case("rnn_lengths_bidir", "nn.RNN(5, 4, bidirectional=True)", states=("h0",), lengths=[6, 3, 5])
layer_case("lstm", "nn.LSTM(5, 4)")
layer_case("lstm_nobias", "nn.LSTM(5, 4, bias=False)", states=("h0", "c0"))
layer_case("lstm_2layer_bidir_batchfirst", "nn.LSTM(5, 4, num_layers=2, batch_first=True, bidirectional=True)", states=("h0", "c0"))
layer_case("lstm_lengths_2layer_bidir", "nn.LSTM(5, 4, num_layers=2, bidirectional=True)", states=("h0", "c0"), lengths=[6, 2, 4])
layer_case("lstm_lengths_batchfirst", "nn.LSTM(5, 4, batch_first=True)", lengths=[3, 6, 1])
layer_case("lstm_unbatched", "nn.LSTM(5, 4, num_layers=2)", states=("h0", "c0"), unbatched=True)
layer_case("gru", "nn.GRU(5, 4)")
layer_case("gru_2layer_bidir_batchfirst", "nn.GRU(5, 4, num_layers=2, batch_first=True, bidirectional=True)", states=("h0",))
layer_case("gru_lengths_bidir_batchfirst", "nn.GRU(5, 4, batch_first=True, bidirectional=True)", states=("h0",), lengths=[2, 6, 4])
cell_case("lstm_cell", "nn.LSTMCell(5, 4)")
cell_case("gru_cell", "nn.GRUCell(5, 4)")
cell_case("rnn_cell", "nn.RNNCell(5, 4)")
cell_case("rnn_cell_relu", "nn.RNNCell(5, 4, nonlinearity='relu')")


if __name__ == "__main__":
    FIX.finish(dtypes=(D, torch.int64))
