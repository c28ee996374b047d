"""Timing helpers shared by the PyTorch benchmark scripts (bench_*_torch.py).

Importing this module also checks which BLAS Debian's torch will multiply with (see "Benchmarks" in
reference/README.md): with the reference `libblas3` a side-by-side figure would mean nothing, so the
scripts stop and say what to install instead.
"""
import glob
import os
import sys
import time


def require_optimized_blas():
    """Exits with a message when libblas.so.3 resolves to Debian's reference BLAS (not OpenBLAS, BLIS or MKL)."""
    for link in glob.glob("/usr/lib/*-linux-gnu/libblas.so.3"):
        target = os.path.realpath(link)
        if not any(name in target for name in ("openblas", "blis", "mkl")):
            sys.exit(f"{link} resolves to {target}, the reference BLAS: torch.mm would run 50x slower than "
                     "with OpenBLAS. Install it: sudo apt-get install libopenblas0-pthread")


require_optimized_blas()


def median_times(fn, seconds, warmup):
    """Median wall and process-CPU seconds per call of fn over five runs of seconds / 5 each, after warmup calls
    (on a shared machine the CPU time is the steadier)."""
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(5):
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - t0 < seconds / 5:
            fn()
            n += 1
        walls.append((time.perf_counter() - t0) / n)
        cpus.append((time.process_time() - c0) / n)
    return sorted(walls)[2], sorted(cpus)[2]


def rate(fn, seconds, warmup):
    """Median wall seconds per call of fn over five runs of seconds / 5 each, after warmup calls."""
    return median_times(fn, seconds, warmup)[0]


def stream_requested():
    """True when the script was run with --stream (which it then removes from sys.argv)."""
    if "--stream" in sys.argv:
        sys.argv.remove("--stream")
        return True
    return False


def stream(fn):
    """Calls fn until standard output is closed, printing 'step <milliseconds>' after each call: the torch
    side of `fathom bench ... --stream`, for side_by_side.py."""
    try:
        while True:
            t0 = time.perf_counter()
            fn()
            print(f"step {(time.perf_counter() - t0) * 1e3:.3f}", flush=True)
    except BrokenPipeError:
        sys.exit(0)
