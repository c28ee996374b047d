"""Times Fathom and PyTorch through the same minutes of a shared machine, one process running at a time.

On a machine whose neighbours come and go, two benchmark runs a minute apart can differ by 1.5x, so a
ratio of two such runs says little. This script starts every command, stops all but one (SIGSTOP), and
lets each run in turn for a short window (SIGCONT), round after round, in a rotating order. Each command
prints `step <milliseconds>` after every training step (`fathom bench mlp|lenet|lstm|gpt --stream`, or a
bench_*_torch.py script with --stream). A window's first step is dropped, since it may have begun before
the process was stopped; the others ran whole inside one window, timed by the process itself. Per round,
each command's figure is its mean step time in its window; the report gives each command's median over
the rounds, and for each command after the first the ratio of its step time to the first's: of the
medians, the median of the per-round ratios, and in how many rounds the first was faster.

    /usr/bin/python3 reference/side_by_side.py --rounds 20 \\
        fathom='./fathom bench gpt --stream' \\
        torch1='OMP_NUM_THREADS=1 /usr/bin/python3 reference/bench_models_torch.py gpt 1 --stream' \\
        torch2='OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /usr/bin/python3 reference/bench_models_torch.py gpt 2 --stream'

Every command first runs alone for --warmup seconds after its first step (the JIT's warm-up), and is
killed at the end.
"""
import argparse
import os
import selectors
import signal
import statistics
import subprocess
import sys
import time


FIRST_STEP_LIMIT = 600  # seconds a command may take to its first step (./fathom may build first)


class Streamer:
    """One command in its own process group, and the step times it has printed."""

    def __init__(self, name, command):
        self.name = name
        self.proc = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.pending = b""

    def signal(self, sig):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def read_steps(self):
        """The step times (ms) in the lines that have arrived so far."""
        try:
            data = os.read(self.proc.stdout.fileno(), 1 << 16)
        except BlockingIOError:
            return []
        if not data:
            sys.exit(f"side_by_side: '{self.name}' ended (exit code {self.proc.poll()}); run its command alone to see why")
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        return [float(line.split()[1]) for line in lines if line.startswith(b"step ")]

    def run_for(self, seconds, after_first_step=False):
        """Lets the process run for `seconds` (counted from its first step when `after_first_step`), then stops
        it; returns the step times that arrived, the first one dropped."""
        self.signal(signal.SIGCONT)
        steps = []
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        end = None if after_first_step else time.monotonic() + seconds
        give_up = time.monotonic() + FIRST_STEP_LIMIT
        while end is None or time.monotonic() < end:
            if selector.select(timeout=0.05 if end is None else max(0.0, end - time.monotonic())):
                steps += self.read_steps()
            if end is None and steps:
                end = time.monotonic() + seconds
            elif end is None and time.monotonic() > give_up:
                sys.exit(f"side_by_side: '{self.name}' printed no 'step' line in {FIRST_STEP_LIMIT} s; run its command alone to see why")
        self.signal(signal.SIGSTOP)
        time.sleep(0.05)  # lines written just before the stop took effect still belong to this window
        steps += self.read_steps()
        selector.close()
        return steps[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--window", type=float, default=3.0, help="seconds each command runs per round")
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds each command runs alone first")
    args = parser.parse_args()
    named = [c.split("=", 1) for c in args.commands]
    if any(len(n) != 2 for n in named):
        sys.exit("side_by_side: give each command as NAME=COMMAND")
    streamers = [Streamer(name, command) for name, command in named]
    try:
        for s in streamers:
            s.signal(signal.SIGSTOP)
        for s in streamers:
            s.run_for(args.warmup, after_first_step=True)
            print(f"{s.name}: warmed up", flush=True)
        names = [s.name for s in streamers]
        per_round = {n: [] for n in names}
        print("round  " + "  ".join(f"{n:>10}" for n in names) + "   (ms per step)", flush=True)
        for r in range(args.rounds):
            k = r % len(streamers)
            for s in streamers[k:] + streamers[:k]:
                steps = s.run_for(args.window)
                per_round[s.name].append(statistics.fmean(steps) if steps else None)
            print(f"{r + 1:5d}  " + "  ".join(f"{per_round[n][-1] or float('nan'):10.2f}" for n in names), flush=True)
        report(names, per_round)
    finally:
        for s in streamers:
            s.signal(signal.SIGKILL)


def report(names, per_round):
    first = names[0]
    print(f"median ms per step over the rounds: " + ", ".join(
        f"{n} {statistics.median(v for v in per_round[n] if v):.2f}" for n in names))
    for other in names[1:]:
        pairs = [(a, b) for a, b in zip(per_round[first], per_round[other]) if a and b]
        ratios = [b / a for a, b in pairs]
        medians = statistics.median(b for _, b in pairs) / statistics.median(a for a, _ in pairs)
        print(f"{other} / {first} step time: {medians:.2f}x of the medians, {statistics.median(ratios):.2f}x median per round "
              f"(range {min(ratios):.2f}-{max(ratios):.2f}); {first} faster in {sum(x > 1 for x in ratios)} of {len(ratios)} rounds")


if __name__ == "__main__":
    main()
