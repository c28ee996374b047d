"""PyTorch side of Fathom's GPT training benchmark: tokens per second of one AdamW step.

The sequence-model issue's target GPT: vocabulary 65, context 64, 4 pre-LayerNorm blocks, width 128,
4 heads, MLP 512 with GELU, no dropout, untied head (as fathom.models.Gpt); batch 32 x 64 tokens of
random data, cross-entropy, AdamW lr 3e-4. torch 1.13 has no F.scaled_dot_product_attention, so the
attention is written as nanoGPT writes its fallback (matmul, causal masked_fill, softmax, matmul).

Run with Debian's python3-torch (1.13) in both thread settings and report the faster:
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/bench_gpt_torch.py 2
    OMP_NUM_THREADS=1 /usr/bin/python3 reference/bench_gpt_torch.py 1
"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from bench_common import median_times

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)
V, T, L, C, H, FF, B = 65, 64, 4, 128, 4, 512, 32


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, FF)
        self.mlp_proj = nn.Linear(FF, C)
        self.register_buffer("mask", torch.ones(T, T, dtype=torch.bool).tril().logical_not())

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(c // H))
        att = F.softmax(att.masked_fill(self.mask[:t, :t], float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.wpe = nn.Embedding(T, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        self.lm_head = nn.Linear(C, V, bias=False)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


model = Gpt()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
data = torch.randint(0, V, (B, T + 1))
x, y = data[:, :-1], data[:, 1:]


def train_step():
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    loss.backward()
    opt.step()


step, cpu = median_times(train_step, seconds=6.0, warmup=5)
print(f"torch {torch.__version__}, set_num_threads({threads}), {sum(p.numel() for p in model.parameters()):,} parameters")
print(f"GPT train step (batch {B} x {T}): {step * 1e3:.1f} ms wall, {B * T / step:,.0f} tokens/s; {cpu * 1e3:.1f} ms CPU")
