"""Timing helper shared by the PyTorch benchmark scripts (bench_*_torch.py)."""
import time


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
