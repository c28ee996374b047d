#!/usr/bin/python3
"""Times torch.mm (float32) on the shapes of `fathom bench matmul` and prints the same table.

Columns: shape, ms per call, GFLOP/s (2*m*k*n / seconds / 1e9), % of peak when FATHOM_PEAK_GFLOPS
(the all-thread figure `fathom bench matmul` prints) is set in the environment.

A shape is m,k,n,transA,transB: [m, k] x [k, n], where transA reads A from a [k, m] tensor (a .t()
view) and transB reads B from an [n, k] tensor, as autograd's backward does.

Threads come from the environment. Debian's torch calls OpenBLAS (pthreads build) for mm, so try both:

    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/bench_matmul_torch.py
    TORCH_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 reference/bench_matmul_torch.py

and report the better of the two. TORCH_THREADS, when set, is passed to torch.set_num_threads.
Extra arguments are shapes, e.g. 1024,1024,1024,0,0. With --stream and one shape, it multiplies until its
output is closed, printing `step <ms>` per product: the PyTorch side of
`./fathom bench matmul --stream --shape m,k,n`, for side_by_side.py.
"""
import os
import sys
import time

import torch

from bench_common import stream, stream_requested

DEFAULT_SHAPES = [  # the same cases, in the same order, as fathom.cli.MatmulTiming.defaultCases()
    (256, 256, 256, 0, 0),
    (512, 512, 512, 0, 0),
    (1024, 1024, 1024, 0, 0),
    (2048, 2048, 2048, 0, 0),
    (128, 784, 512, 0, 0),
    (128, 512, 256, 0, 0),
    (784, 128, 512, 1, 0),
    (128, 512, 784, 0, 1),
    (512, 128, 256, 1, 0),
    (1, 512, 512, 0, 0),
]


def operands(m, k, n, ta, tb):
    """A [m, k], B [k, n] (each a .t() view when transposed) and an output for torch.mm(a, b, out=out)."""
    gen = torch.Generator().manual_seed(42)
    a = torch.rand(k, m, generator=gen).t() if ta else torch.rand(m, k, generator=gen)
    b = torch.rand(n, k, generator=gen).t() if tb else torch.rand(k, n, generator=gen)
    return a, b, torch.empty(m, n)


def seconds_per_call(m, k, n, ta, tb):
    """Median of seven ~0.2 s batches after ~0.5 s of warm-up, as `fathom bench matmul` reports."""
    a, b, out = operands(m, k, n, ta, tb)
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.5 or calls < 3:
        torch.mm(a, b, out=out)
        calls += 1
    per_batch = max(1, int(0.2 * calls / (time.perf_counter() - t0)))
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(per_batch):
            torch.mm(a, b, out=out)
        runs.append((time.perf_counter() - t0) / per_batch)
    return sorted(runs)[3]


def main():
    if "TORCH_THREADS" in os.environ:
        torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
    streaming = stream_requested()
    # each shape padded to m, k, n, transA, transB
    shapes = [(list(int(x) for x in arg.split(",")) + [0, 0])[:5] for arg in sys.argv[1:]] or DEFAULT_SHAPES
    if streaming:
        if len(shapes) != 1:
            sys.exit("bench_matmul_torch.py --stream times one shape, e.g. 2048,2048,2048,0,0")
        a, b, out = operands(*shapes[0])
        stream(lambda: torch.mm(a, b, out=out))
    peak = float(os.environ.get("FATHOM_PEAK_GFLOPS", "0"))
    print("torch %s float32 mm, torch threads %d, OMP_NUM_THREADS=%s, OPENBLAS_NUM_THREADS=%s"
          % (torch.__version__, torch.get_num_threads(), os.environ.get("OMP_NUM_THREADS", "-"),
             os.environ.get("OPENBLAS_NUM_THREADS", "-")))
    print("%-26s %10s %10s %8s" % ("shape [m,k]x[k,n]", "ms/call", "GFLOP/s", "% peak"))
    for shape in shapes:
        m, k, n, ta, tb = shape
        s = seconds_per_call(m, k, n, ta, tb)
        gflops = 2.0 * m * k * n / s / 1e9
        name = "%dx%d%s * %dx%d%s" % (m, k, "^T" if ta else "", k, n, "^T" if tb else "")
        pct = "%7.1f%%" % (100 * gflops / peak) if peak > 0 else "%8s" % "-"
        print("%-26s %10.4f %10.1f %s" % (name, s * 1e3, gflops, pct))


if __name__ == "__main__":
    main()
