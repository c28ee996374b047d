"""PyTorch side of Fathom's model benchmarks (`fathom bench lenet|lstm|gpt`): training throughput
on random data of the right shape (compute only, no data loading), and for LeNet batch-1 latency.

Recipes, exactly those of the CNN and sequence issues:
  lenet: conv5x5 1->6 pad 2, ReLU, maxpool 2, conv5x5 6->16, ReLU, maxpool 2, fc 400-120-84-10;
         SGD momentum 0.9, lr 0.05, batch 128 of 1x28x28; reports samples/s and batch-1 latency.
  lstm:  Embedding(vocab 96, 64), LSTM(64, 256), Linear(256, 96); sequence 64, batch 32, Adam lr 2e-3;
         reports tokens/s.
  gpt:   4 pre-LayerNorm blocks, d_model 128, 4 heads, feed-forward 512, GELU, learned positions, vocab 96;
         sequence 64, batch 32, AdamW lr 1e-3; reports tokens/s.

Run with Debian's python3-torch (1.13) in both thread settings and report the faster:
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/bench_models_torch.py lenet 2
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 reference/bench_models_torch.py lenet 1
With --stream it trains until its output is closed, printing 'step <ms>' per step, for side_by_side.py.
"""
import sys

import torch
from torch import nn

from bench_common import rate, stream, stream_requested

VOCAB = 96
STREAMING = stream_requested()


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 64)
        self.lstm = nn.LSTM(64, 256, batch_first=True)
        self.head = nn.Linear(256, VOCAB)

    def forward(self, x):
        return self.head(self.lstm(self.embedding(x))[0])


class Block(nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class Gpt(nn.Module):
    def __init__(self, layers=4, d=128, heads=4, ff=512, context=64):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList([Block(d, heads, ff) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, VOCAB)
        self.register_buffer("mask", torch.triu(torch.full((context, context), float("-inf")), 1))

    def forward(self, x):
        t = x.shape[1]
        h = self.tok(x) + self.pos(torch.arange(t))
        for b in self.blocks:
            h = b(h, self.mask[:t, :t])
        return self.head(self.ln(h))


def sequence_bench(model, opt):
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randint(0, VOCAB, (32, 64))
    y = torch.randint(0, VOCAB, (32, 64))

    def step():
        opt.zero_grad()
        loss_fn(model(x).reshape(-1, VOCAB), y.reshape(-1)).backward()
        opt.step()

    if STREAMING:
        stream(step)
    s = rate(step, seconds=4.0, warmup=10)
    print(f"train step (batch 32 x 64 tokens): {s * 1e3:.2f} ms, {32 * 64 / s:,.0f} tokens/s")


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "lenet"
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, set_num_threads({threads}), {what}")
    if what == "lenet":
        model = lenet()
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        x = torch.rand(128, 1, 28, 28)
        y = torch.randint(0, 10, (128,))

        def step():
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()

        if STREAMING:
            stream(step)
        s = rate(step, seconds=4.0, warmup=10)
        print(f"train step (batch 128): {s * 1e3:.3f} ms, {128 / s:,.0f} samples/s")
        model.eval()
        x1 = torch.rand(1, 1, 28, 28)
        with torch.no_grad():
            print(f"batch-1 inference: {rate(lambda: model(x1), seconds=4.0, warmup=10) * 1e6:.1f} us")
    elif what == "lstm":
        model = CharLstm()
        sequence_bench(model, torch.optim.Adam(model.parameters(), lr=2e-3))
    elif what == "gpt":
        model = Gpt()
        sequence_bench(model, torch.optim.AdamW(model.parameters(), lr=1e-3))
    else:
        sys.exit("choose lenet, lstm or gpt")


if __name__ == "__main__":
    main()
