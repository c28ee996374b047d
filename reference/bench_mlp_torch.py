"""PyTorch side of Fathom's MLP benchmark: training throughput and batch-1 inference latency.

MLP 784-512-256-10, ReLU, cross-entropy, SGD momentum 0.9, lr 0.05, batch 128 (the recipe of the
training issue), on random data of Fashion-MNIST's shape so that only compute is measured.

Run with Debian's python3-torch (1.13) in both thread settings and report the faster:
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/bench_mlp_torch.py 2
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 reference/bench_mlp_torch.py 1
The argument is torch.set_num_threads; without OMP_WAIT_POLICY=PASSIVE idle OpenMP threads spin
and PyTorch looks slower than it is. With --stream it trains until its output is closed, printing
'step <ms>' per step, for side_by_side.py.
"""
import sys

import torch
from torch import nn

from bench_common import rate, stream, stream_requested

streaming = stream_requested()
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(128, 784)
y = torch.randint(0, 10, (128,))


def train_step():
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()


if streaming:
    stream(train_step)
step = rate(train_step, seconds=3.0, warmup=20)
print(f"torch {torch.__version__}, set_num_threads({threads})")
print(f"train step (batch 128): {step * 1e3:.3f} ms, {128 / step:,.0f} samples/s")
model.eval()
x1 = torch.rand(1, 784)
with torch.no_grad():
    lat = rate(lambda: model(x1), seconds=3.0, warmup=20)
print(f"batch-1 inference: {lat * 1e6:.1f} us")
