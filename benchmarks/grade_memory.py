"""Memory and cost of `python -m backprop.grade` on a large class (about 1000 files by default).

What it measures, while `python -m backprop.grade <class> --results <tmp> --fresh --jobs J` grades copies of every
sample in tests/fixtures/submissions (broken ones included):
- the resident memory (RSS) of the processes of the run, sampled every --interval seconds with psutil: the main
  process, the grading workers, the sandbox templates (one per worker, backprop/sandbox/template.py) and the
  sandboxes they fork. Peaks are over every process of a kind and every sample.
- each template's RSS when first seen and when last seen: a template that kept anything of the sandboxes it forked
  would grow with the files graded; the figures show it does not.
- the wall time and the CPU time of every process of the run (see grade_throughput.run_timed), per file, next to
  starting `python -c "import numpy"`: the figures for a class of this size, start-up costs spread over it.
Nothing is asserted; the exit code is 0 unless the class cannot be graded at all.

Run from the repository root:
    .venv/bin/python benchmarks/grade_memory.py [--files N] [--jobs J] [--interval S]
"""

import argparse
import math
import os
import pathlib
import sys
import tempfile

import psutil

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from grade_throughput import (ROOT, SAMPLES, GradingRun, gradable_samples, make_class, print_cost,  # noqa: E402
                              python_floor)

TEMPLATE_MODULE = "backprop.sandbox.template"  # in a template's command line (and so in its sandboxes')


def kinds(processes, main_pid):
    """
    What each process of the run is: "main", "worker", "template" or "sandbox" (a template's fork).

    Inputs:
    - processes: psutil.Process objects (the grading command and its descendants); main_pid: the command's pid.

    Returns:
    - a list of (process, kind, parent pid) for the processes still running.
    """
    forked = set()  # templates and their sandboxes: both carry the template's command line
    for process in processes:
        try:
            if any(TEMPLATE_MODULE in part for part in process.cmdline()):
                forked.add(process.pid)
        except psutil.Error:
            continue
    found = []
    for process in processes:
        try:
            parent = process.ppid()
        except psutil.Error:
            continue
        kind = "main" if process.pid == main_pid else "worker" if process.pid not in forked else \
            "sandbox" if parent in forked else "template"
        found.append((process, kind, parent))
    return found


class Sampler:
    """
    Peak RSS per kind of process, and every template's first and last RSS, over the samples taken.
    """

    def __init__(self):
        self.main_pid = None
        self.peaks = {"main": 0, "worker": 0, "template": 0, "sandbox": 0}
        self.templates = {}  # pid -> [first RSS, last RSS, samples], sampled while it has a sandbox
        self.sandboxes, self.workers = set(), set()

    def sample(self, main_pid):
        """Read the RSS of every process of the run once (main_pid: the grading command's)."""
        self.main_pid = main_pid
        try:
            main = psutil.Process(self.main_pid)
            processes = [main] + main.children(recursive=True)
        except psutil.Error:
            return
        found = kinds(processes, self.main_pid)
        serving = {parent for _, kind, parent in found if kind == "sandbox"}
        for process, kind, _ in found:
            try:
                rss = process.memory_info().rss
            except psutil.Error:  # ended meanwhile
                continue
            self.peaks[kind] = max(self.peaks[kind], rss)
            if kind == "template" and process.pid in serving:  # ready (it has forked): its imports are done
                seen = self.templates.setdefault(process.pid, [rss, rss, 0])
                seen[1], seen[2] = rss, seen[2] + 1
            elif kind == "sandbox":
                self.sandboxes.add(process.pid)
            elif kind == "worker":
                self.workers.add(process.pid)


def megabytes(size):
    """Bytes as text in MB."""
    return f"{size / (1 << 20):.1f} MB"


def parse_args(argv):
    """Read the command line: files, jobs, interval."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="about how many files to grade (default 1000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="grading workers (default: every core)")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between memory samples (default 0.2)")
    args = parser.parse_args(argv)
    if args.files < 1 or args.jobs < 1 or args.interval <= 0:
        parser.error("--files and --jobs must be at least 1, --interval positive")
    return args


def main(argv=None):
    """Grade the class while sampling memory; print the peaks, the templates' growth and the cost per file."""
    args = parse_args(argv)
    samples = gradable_samples(SAMPLES)
    with tempfile.TemporaryDirectory(prefix="grade_memory_") as scratch:
        scratch = pathlib.Path(scratch)
        files = make_class(samples, math.ceil(args.files / len(samples)), scratch / "class")
        print(f"class: {len(files)} files (copies of the {len(samples)} samples in {SAMPLES.relative_to(ROOT)})")
        print(f"grading: python -m backprop.grade <class> --results <tmp> --fresh --jobs {args.jobs}, "
              f"sampling memory every {args.interval:g} s")
        sampler = Sampler()
        run = GradingRun(scratch / "class", scratch / "results", args.jobs, sampler.sample, args.interval)
        run.report_failure()
    print("timing: python -c 'import numpy' with one BLAS thread (median of 7)")
    floor = python_floor()

    print(f"\n{'process':<10} | {'seen':>5} | peak RSS")
    print("-" * 32)
    counts = {"main": 1, "worker": len(sampler.workers), "template": len(sampler.templates) or "-",
              "sandbox": len(sampler.sandboxes)}
    for kind, peak in sampler.peaks.items():
        print(f"{kind:<10} | {counts[kind]:>5} | {megabytes(peak)}")
    print("\ntemplate RSS, first and last sample taken while it had a sandbox (one per file or more):")
    for pid, (first, last, count) in sorted(sampler.templates.items()):
        print(f"  pid {pid}: {megabytes(first)} -> {megabytes(last)} over {count} samples")
    print(f"\n{len(files)} files: graded in {run.grading_seconds:.1f} s wall, {run.grading_cpu:.1f} s CPU (every "
          f"process of the run); the whole command took {run.seconds:.1f} s wall, {run.cpu:.1f} s CPU")
    print_cost(len(files), run, args.jobs, floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
