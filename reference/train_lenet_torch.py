"""PyTorch reference for Fathom's LeNet-5 accuracy target: one epoch on full Fashion-MNIST.

Recipe of the CNN issue: conv5x5 1->6 pad 2, ReLU, maxpool 2, conv5x5 6->16, ReLU, maxpool 2,
fc 400-120-84-10; cross-entropy, SGD momentum 0.9, lr 0.05, batch 128, pixels/255, shuffled.
Reads Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Prints the test accuracy
after each epoch for a few seeds, which gives PyTorch's seed-to-seed spread.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 reference/train_lenet_torch.py [epochs] [seeds]
"""
import gzip
import sys
import time

import numpy as np
import torch
from torch import nn

from bench_models_torch import lenet

DIR = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(f"{DIR}/{name}.gz", "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    xtr = torch.tensor(idx("train-images-idx3-ubyte"), dtype=torch.float32).unsqueeze(1) / 255
    ytr = torch.tensor(idx("train-labels-idx1-ubyte"), dtype=torch.int64)
    xte = torch.tensor(idx("t10k-images-idx3-ubyte"), dtype=torch.float32).unsqueeze(1) / 255
    yte = torch.tensor(idx("t10k-labels-idx1-ubyte"), dtype=torch.int64)
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = lenet()
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        t0 = time.perf_counter()
        for epoch in range(epochs):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 128):
                b = perm[i:i + 128]
                opt.zero_grad()
                loss_fn(model(xtr[b]), ytr[b]).backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                acc = (model(xte).argmax(1) == yte).float().mean().item()
            print(f"seed {seed} epoch {epoch + 1}: test accuracy {100 * acc:.2f}% ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
