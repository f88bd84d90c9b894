"""Throughput of `python -m backprop.grade` against a sequential `otter run` loop.

What it measures:
- backprop.grade: the wall-clock time of the whole command a TA runs,
  `python -m backprop.grade <folder> --results <dir> --fresh --jobs J`, on a
  class made of K copies of every sample submission in
  tests/fixtures/submissions (the broken ones included: real classes have them).
- otter run: the wall-clock time of `otter run -a autograder.zip` called once
  per file, one after the other, on M of the same notebooks. otter grades one
  notebook per call, so its files/s is extrapolated to the whole class.
- the floor: the median time (wall, and CPU) to start `python -c "import numpy"`,
  what any grader that starts a fresh Python process per submission pays.
  backprop.grade forks each sandbox from a template process that imported
  NumPy once (backprop/sandbox/template.py), so it may cost less than that.
- CPU: the user + system time of every process a command starts, sandboxes
  and their templates included (this script makes itself the subreaper of
  the processes orphaned under it, and reaps them, so their time counts).

How to read the output:
- the table gives, for each tool, the files timed, the seconds, files/s and
  s/file; "speedup" is backprop.grade's files/s divided by otter's.
- "per submission" puts backprop.grade's wall s/file, its core-seconds per
  file (wall x jobs / files) and its measured CPU seconds per file next to
  the python+numpy start, with their ratio (the goal: at most 1.5).
- the score table lists, for each file graded by both tools, both totals;
  honest submissions should agree, and disagreements are reported, not fatal.
  A file with a wrong layer is expected to differ: otter runs every question
  with the student's own functions, so the layer's bug costs again in each
  question that uses it, while backprop.grade charges it once.
The numbers are timings on this machine: nothing is asserted, the exit code is 0.

Run from the repository root:
    .venv/bin/python benchmarks/grade_throughput.py [--copies K] [--otter-files M] [--jobs J]
benchmarks/grade_memory.py grades a class of about 1000 files and prints the
memory of the grading processes and of the sandbox templates.
"""

import argparse
import collections
import csv
import ctypes
import json
import os
import resource
import pathlib
import shutil
import statistics
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

import psutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "fixtures" / "submissions"
AUTOGRADER = ROOT / "autograder" / "two_layer_net"  # the assignment the samples are submissions of
PYTHON = sys.executable
SUFFIXES = (".ipynb", ".zip")
FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def gradable_samples(folder):
    """
    The sample submissions a class could hand in: non-empty .ipynb and .zip files.

    Inputs:
    - folder: the folder of sample submissions.

    Returns:
    - a sorted list of paths (broken but non-empty files are kept).
    """
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and path.suffix.lower() in SUFFIXES and path.stat().st_size > 0)


def make_class(samples, copies, folder):
    """
    Fill a folder with `copies` copies of every sample, named copyNN_<name>.

    Inputs:
    - samples: the sample files; copies: how many copies of each; folder: where to write.

    Returns:
    - the list of written paths, sorted.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(1, copies + 1):
        for sample in samples:
            target = folder / f"copy{number:02d}_{sample.name}"
            shutil.copyfile(sample, target)
            written.append(target)
    return sorted(written)


def become_subreaper():
    """
    Make this process the reaper of every process orphaned below it (Linux), so that run_timed can reap them and
    count their CPU time: a sandbox template outlives its grading worker by an instant and would be reaped by init.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans(seconds=5.0):
    """Reap the processes orphaned below this one (see become_subreaper) until none is left, or for a few seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def children_cpu():
    """The user + system seconds of every reaped descendant of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(command, cwd=ROOT, env=None):
    """
    Run a command to completion and time it: the wall clock, and the CPU of every process it started.

    Inputs:
    - command: the argument list; cwd: the working directory; env: its environment (None: this one's).

    Returns:
    - (seconds, completed process) with stdout and stderr captured as text, and completed.cpu_seconds.
    """
    become_subreaper()
    cpu = children_cpu()
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    reap_orphans()
    completed.cpu_seconds = children_cpu() - cpu
    return seconds, completed


def report_failure(label, completed):
    """Print the exit code and the last lines of a command that failed, to stderr."""
    tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-10:])
    print(f"warning: {label} exited with code {completed.returncode}:\n{tail}", file=sys.stderr)


PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] ", re.MULTILINE)  # backprop.grade's line for each file saved


class GradingRun:
    """
    One `python -m backprop.grade ... --fresh` run, timed as a whole and up to its last file's row.

    After the last row is saved the command still writes the class's reports (report.md, scores.png, and whatever
    else the batch adds); those cost per run, not per file. So besides the whole command's wall and CPU seconds,
    the run keeps the grading part's: the wall time until the progress line of the last file, and the CPU of every
    process minus what the main process spent after that line (its own CPU is sampled every `interval` seconds,
    so that part is known to within an interval).

    Inputs:
    - folder: the class folder; results: the results folder; jobs: worker processes.
    - on_sample: called with the command's pid at each sample (grade_memory.py reads memory there).
    - interval: seconds between samples.
    """

    def __init__(self, folder, results, jobs, on_sample=lambda pid: None, interval=0.2):
        command = [PYTHON, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER),
                   "--results", str(results), "--fresh", "--jobs", str(jobs)]
        become_subreaper()
        cpu = children_cpu()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output, last_row = [], []
        reader = threading.Thread(target=self._read, args=(process.stdout, output, last_row, start))
        reader.start()
        own_cpu, own_at_last_row = 0.0, None
        try:
            while process.poll() is None:
                try:
                    times = psutil.Process(process.pid).cpu_times()
                    own_cpu = times.user + times.system
                except psutil.Error:
                    pass
                if last_row and own_at_last_row is None:
                    own_at_last_row = own_cpu
                on_sample(process.pid)
                time.sleep(interval)
        except BaseException:  # Ctrl-C, or a failed sample: stop the command (its workers die with it)
            process.kill()
            raise
        self.seconds = time.perf_counter() - start
        reader.join()
        process.stdout.close()
        reap_orphans()
        self.cpu = children_cpu() - cpu
        self.returncode, self.output = process.returncode, "".join(output)
        self.grading_seconds = last_row[0] if last_row else self.seconds
        after = own_cpu - own_at_last_row if own_at_last_row is not None else 0.0
        self.grading_cpu = self.cpu - after
        grades = pathlib.Path(results) / "grades.csv"
        self.rows = []
        if grades.exists():
            with open(grades, newline="", encoding="utf-8-sig") as handle:  # a BOM, for spreadsheets, or none
                self.rows = list(csv.DictReader(handle))

    @staticmethod
    def _read(stream, output, last_row, start):
        """Keep the command's output; note when the progress line of its last file arrives."""
        for line in stream:
            output.append(line)
            match = PROGRESS.match(line)
            if match and match.group(1) == match.group(2) and not last_row:
                last_row.append(time.perf_counter() - start)

    def report_failure(self):
        """Print the exit code and the last lines of the output to stderr, when the command failed."""
        if self.returncode != 0:
            tail = "\n".join(self.output.strip().splitlines()[-10:])
            print(f"warning: backprop.grade exited with code {self.returncode}:\n{tail}", file=sys.stderr)


def add_to_zip(archive, name, data):
    """Add one member to a zip with a fixed date, so the autograder zip is reproducible."""
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build_otter_zip(autograder, target):
    """
    Build an otter-grader autograder zip from this repository's autograder folder.

    Inputs:
    - autograder: the folder with tests/<question>.py and the helper .py/.json files.
    - target: the zip to write.

    Returns:
    - target. The zip holds otter_config.json, tests/<q>.py and files/<helper>
      (otter copies files/ next to the notebook, so the tests can import the helpers).
    """
    tests = sorted(path for path in (autograder / "tests").glob("*.py") if path.name != "__init__.py")
    helpers = sorted(path for path in autograder.iterdir()
                     if path.is_file() and path.suffix in (".py", ".json") and path.name != "__init__.py")
    with zipfile.ZipFile(target, "w") as archive:
        add_to_zip(archive, "otter_config.json", json.dumps({"lang": "python"}) + "\n")
        for path in tests:
            add_to_zip(archive, f"tests/{path.name}", path.read_bytes())
        for path in helpers:
            add_to_zip(archive, f"files/{path.name}", path.read_bytes())
    return target


def is_valid_notebook(path):
    """
    Whether otter can run a file: an .ipynb that parses as notebook JSON with code cells.

    Inputs:
    - path: the file.

    Returns:
    - True or False.
    """
    if path.suffix.lower() != ".ipynb":
        return False
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    return isinstance(cells, list) and any(cell.get("cell_type") == "code" for cell in cells)


def otter_preference(path):
    """Sort key for the otter sample: reference, skeleton, the buggy ones, then the rest."""
    name = path.name.split("_", 1)[1]
    rank = 0 if name.startswith("reference") else 1 if name.startswith("skeleton") else \
        2 if name.startswith("buggy") else 3
    return rank, name


def pick_otter_files(class_files, count):
    """
    Choose the files to grade with otter: valid notebooks from the first copy, honest ones first.

    Inputs:
    - class_files: the files of the class folder; count: how many to pick.

    Returns:
    - a list of at most count paths.
    """
    first_copy = [path for path in class_files if path.name.startswith("copy01_") and is_valid_notebook(path)]
    return sorted(first_copy, key=otter_preference)[:count]


def otter_total(results_json):
    """
    The total score in an otter results.json (Gradescope format).

    Inputs:
    - results_json: the path of results.json.

    Returns:
    - the sum of tests[].score, or None if the file is missing or unreadable.
    """
    try:
        tests = json.loads(results_json.read_text())["tests"]
    except (OSError, ValueError, KeyError):
        return None
    return sum(test["score"] for test in tests if test.get("score") is not None)


def time_otter(files, autograder_zip, workdir):
    """
    Time a sequential `otter run` loop, one call per file.

    Inputs:
    - files: the notebooks; autograder_zip: the otter zip; workdir: a scratch folder for outputs.

    Returns:
    - (seconds, scores) with scores a dict file name -> total score (None if otter gave none).
    """
    otter = pathlib.Path(PYTHON).parent / "otter"
    otter = str(otter) if otter.exists() else shutil.which("otter") or "otter"
    scores = {}
    start = time.perf_counter()
    for path in files:
        output = workdir / path.stem
        output.mkdir(parents=True)
        _, completed = run_timed([otter, "run", "-a", str(autograder_zip), "-o", str(output), str(path)],
                                 cwd=output)
        if completed.returncode != 0:
            report_failure(f"otter run on {path.name}", completed)
        scores[path.name] = otter_total(output / "results.json")
    return time.perf_counter() - start, scores


def python_floor(repeats=7):
    """
    The median time to start Python and import numpy in a fresh process, with one BLAS thread as a sandbox has
    (otherwise OpenBLAS starts a thread per core at import, and the CPU time counts them all).

    Inputs:
    - repeats: how many runs to take the median of.

    Returns:
    - (wall seconds, CPU seconds), each the median.
    """
    single = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    runs = [run_timed([PYTHON, "-c", "import numpy"], env=single) for _ in range(repeats)]
    return (statistics.median(seconds for seconds, _ in runs),
            statistics.median(completed.cpu_seconds for _, completed in runs))


def rate_row(tool, files, seconds):
    """One line of the throughput table: tool | files | seconds | files/s | s/file."""
    per_second = files / seconds if seconds else 0.0
    per_file = seconds / files if files else 0.0
    return f"{tool:<16} | {files:>5} | {seconds:>8.1f} | {per_second:>7.2f} | {per_file:>7.3f}"


def print_throughput(class_size, run, otter_count, otter_seconds, jobs, floor):
    """
    Print the side-by-side throughput table, the speedup and the per-submission cost.

    Inputs:
    - class_size: files graded; run: the GradingRun of backprop.grade; jobs: its workers.
    - otter_count, otter_seconds: files and wall seconds of the otter loop.
    - floor: (wall, CPU) seconds of starting python and importing numpy.

    Returns:
    - nothing.
    """
    print(f"\n{'tool':<16} | {'files':>5} | {'seconds':>8} | {'files/s':>7} | {'s/file':>7}")
    print("-" * 56)
    print(rate_row("backprop.grade", class_size, run.seconds))
    print(rate_row("otter run", otter_count, otter_seconds))
    if otter_count and run.seconds:
        otter_per_file = otter_seconds / otter_count
        speedup = (class_size / run.seconds) / (otter_count / otter_seconds)
        print(f"\notter run on all {class_size} files (extrapolated): {otter_per_file * class_size:.0f} s")
        print(f"speedup (files/s of backprop.grade / otter run): {speedup:.1f}x")
    if class_size:
        print_cost(class_size, run, jobs, floor)


def print_cost(class_size, run, jobs, floor):
    """
    Print what one file costs next to starting python with numpy: wall, core-seconds (wall x jobs), CPU, ratios;
    for the whole command and for its grading part (up to the last file's row, see GradingRun).

    Inputs:
    - class_size: files graded; run: the GradingRun; jobs: its workers.
    - floor: (wall, CPU) seconds of `python -c "import numpy"` (medians).
    """
    floor_wall, floor_cpu = floor
    rows = [('python -c "import numpy" (wall)', floor_wall, floor_wall),
            ('python -c "import numpy" (CPU)', floor_cpu, floor_cpu)]
    for part, seconds, cpu in (("whole command", run.seconds, run.cpu),
                               ("grading part", run.grading_seconds, run.grading_cpu)):
        rows += [(f"{part}: wall s/file", seconds / class_size, floor_wall),
                 (f"{part}: core-s/file ({jobs} jobs)", seconds * jobs / class_size, floor_wall),
                 (f"{part}: CPU s/file", cpu / class_size, floor_cpu)]
    print(f"\n{'per submission':<38} | {'seconds':>7} | / numpy start (CPU rows: / its CPU)")
    print("-" * 80)
    for label, value, reference in rows:
        print(f"{label:<38} | {value:>7.3f} | {value / reference:.2f}")
    print(f"(the whole command also writes the class's reports after its last row: "
          f"{run.seconds - run.grading_seconds:.1f} s wall, {run.cpu - run.grading_cpu:.1f} s CPU here)")


def print_statuses(rows, class_size):
    """Print how many grades.csv rows there are and how many have each status."""
    counts = collections.Counter(row["status"] for row in rows)
    statuses = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
    print(f"\nbackprop.grade grades.csv: {len(rows)} rows for {class_size} files ({statuses})")


def print_score_comparison(otter_scores, rows):
    """
    Print each file graded by both tools with both totals, and list the disagreements.

    Inputs:
    - otter_scores: dict file name -> otter total (or None); rows: the grades.csv rows.

    Returns:
    - the number of files whose scores differ.
    """
    backprop_scores = {row["submission"]: row for row in rows}
    width = max([len(name) for name in otter_scores] + [10])
    print(f"\n{'file':<{width}} | {'backprop':>8} | {'otter':>6} | agree")
    differing = []
    for name, otter_score in otter_scores.items():
        row = backprop_scores.get(name)
        ours = float(row["score"]) if row else None
        agree = ours is not None and otter_score is not None and abs(ours - otter_score) < 1e-6
        if not agree:
            differing.append(name)
        print(f"{name:<{width}} | {format_score(ours):>8} | {format_score(otter_score):>6} | "
              f"{'yes' if agree else 'NO'}")
    if differing:
        print(f"scores differ for {len(differing)} file(s): {', '.join(differing)} (expected where a layer is wrong: "
              "otter charges its bug again in every question that uses it, backprop.grade once)")
    else:
        print("scores agree on every file graded by both tools")
    return len(differing)


def format_score(score):
    """A score as short text: 81 rather than 81.0, '-' when there is none."""
    return "-" if score is None else f"{score:g}"


def print_copy_consistency(rows):
    """Print whether every copy of a sample got the same backprop.grade score."""
    by_sample = collections.defaultdict(set)
    for row in rows:
        by_sample[row["submission"].split("_", 1)[-1]].add(row["score"])
    varying = sorted(name for name, scores in by_sample.items() if len(scores) > 1)
    print(f"copies with different backprop.grade scores: {', '.join(varying) if varying else 'none'}")


def parse_args(argv):
    """
    Read the command line.

    Inputs:
    - argv: the arguments (without the program name), or None for sys.argv.

    Returns:
    - an argparse.Namespace with copies, otter_files and jobs.
    """
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=5, help="copies of every sample in the class (default 5)")
    parser.add_argument("--otter-files", type=int, default=6, help="files to grade with otter run (default 6)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="backprop.grade workers (default: every core)")
    args = parser.parse_args(argv)
    if args.copies < 1 or args.otter_files < 0 or args.jobs < 1:
        parser.error("--copies and --jobs must be at least 1, --otter-files at least 0")
    return args


def main(argv=None):
    """Build the class, time both graders and the floor, and print the comparison."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grade_throughput_") as scratch:
        scratch = pathlib.Path(scratch)
        class_files = make_class(gradable_samples(SAMPLES), args.copies, scratch / "class")
        print(f"class: {len(class_files)} files ({args.copies} copies of each sample in {SAMPLES.relative_to(ROOT)})")

        print(f"timing: python -m backprop.grade <class> --results <tmp> --fresh --jobs {args.jobs}")
        run = GradingRun(scratch / "class", scratch / "results", args.jobs)
        run.report_failure()

        otter_files = pick_otter_files(class_files, args.otter_files)
        print(f"timing: otter run -a autograder.zip, sequentially on {len(otter_files)} file(s)")
        autograder_zip = build_otter_zip(AUTOGRADER, scratch / "autograder.zip")
        otter_seconds, otter_scores = time_otter(otter_files, autograder_zip, scratch / "otter")

        print("timing: python -c 'import numpy' with one BLAS thread (median of 7)")
        floor = python_floor()

    print_throughput(len(class_files), run, len(otter_files), otter_seconds, args.jobs, floor)
    print_statuses(run.rows, len(class_files))
    print_copy_consistency(run.rows)
    if otter_scores:
        print_score_comparison(otter_scores, run.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
