"""PyTorch side of Fathom's char-LSTM benchmark: training tokens per second.

Embedding(vocab, 64) -> LSTM(64, 256), one layer, batch_first -> Linear(256, vocab), cross-entropy over
every position, Adam lr 2e-3; batch 32, sequence 64 (the sequence-models issue's recipe), on random
tokens so that only compute is measured. Also times the LSTM layer's forward and backward alone.

The CPU time per step (all threads of the process) is printed too: on a shared machine it moves less
with other load than the wall time does. Run with Debian's python3-torch (1.13) in both thread settings
and report the faster:
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/bench_char_lstm_torch.py 2
    OMP_NUM_THREADS=1 /usr/bin/python3 reference/bench_char_lstm_torch.py 1
The optional second argument is the vocabulary size (default 96).
"""
import sys
import time

import torch
from torch import nn

from bench_common import rate

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
vocab = int(sys.argv[2]) if len(sys.argv) > 2 else 96
torch.set_num_threads(threads)
torch.manual_seed(0)
B, T, E, H = 32, 64, 64, 256


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(vocab, E)
        self.lstm = nn.LSTM(E, H, batch_first=True)
        self.head = nn.Linear(H, vocab)

    def forward(self, x):
        y, _ = self.lstm(self.embedding(x))
        return self.head(y)


model = CharLstm()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
x = torch.randint(0, vocab, (B, T))
y = torch.randint(0, vocab, (B, T))


def train_step():
    opt.zero_grad()
    loss = loss_fn(model(x).reshape(-1, vocab), y.reshape(-1))
    loss.backward()
    opt.step()


lstm = nn.LSTM(E, H)
xs = torch.randn(T, B, E)
up = torch.randn(T, B, H)


def lstm_step():
    out, _ = lstm(xs)
    out.backward(up)


def cpu_time(fn, n=20):
    """Process and calling-thread CPU seconds per call: on a shared machine these move less with other load than wall time."""
    fn()
    p0, t0 = time.process_time(), time.thread_time()
    for _ in range(n):
        fn()
    return (time.process_time() - p0) / n, (time.thread_time() - t0) / n


step = rate(train_step, seconds=4.0, warmup=5)
print(f"torch {torch.__version__}, set_num_threads({threads}), vocab {vocab}")
print(f"char-LSTM train step (batch {B}, seq {T}): {step * 1e3:.2f} ms, {B * T / step:,.0f} tokens/s")
process, thread = cpu_time(train_step)
print(f"char-LSTM train step CPU time: {process * 1e3:.2f} ms (process), {thread * 1e3:.2f} ms (main thread)")
print(f"LSTM(64, 256) forward+backward alone: {rate(lstm_step, seconds=4.0, warmup=5) * 1e3:.2f} ms")
