"""Throughput of `python -m backprop.grade` against a sequential `otter run` loop.

What it measures:
- backprop.grade: the wall-clock time of the whole command a TA runs,
  `python -m backprop.grade <folder> --results <dir> --fresh --jobs J`, on a
  class made of K copies of every sample submission in
  tests/fixtures/submissions (the broken ones included: real classes have them).
- otter run: the wall-clock time of `otter run -a autograder.zip` called once
  per file, one after the other, on M of the same notebooks. otter grades one
  notebook per call, so its files/s is extrapolated to the whole class.
- the floor: the median time to start `python -c "import numpy"`, the least
  any grader that runs a submission in a fresh Python process must pay.

How to read the output:
- the table gives, for each tool, the files timed, the seconds, files/s and
  s/file; "speedup" is backprop.grade's files/s divided by otter's.
- "per submission" puts backprop.grade's wall s/file (and its core-seconds
  per file, i.e. wall x jobs / files) next to the python+numpy start-up floor.
- the score table lists, for each file graded by both tools, both totals;
  honest submissions should agree, and disagreements are reported, not fatal.
  A file with a wrong layer is expected to differ: otter runs every question
  with the student's own functions, so the layer's bug costs again in each
  question that uses it, while backprop.grade charges it once.
The numbers are timings on this machine: nothing is asserted, the exit code is 0.

Run from the repository root:
    .venv/bin/python benchmarks/grade_throughput.py [--copies K] [--otter-files M] [--jobs J]
"""

import argparse
import collections
import csv
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

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


def run_timed(command, cwd=ROOT):
    """
    Run a command to completion and time it with the wall clock.

    Inputs:
    - command: the argument list; cwd: the working directory.

    Returns:
    - (seconds, completed process) with stdout and stderr captured as text.
    """
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, completed


def report_failure(label, completed):
    """Print the exit code and the last lines of a command that failed, to stderr."""
    tail = "\n".join((completed.stdout + completed.stderr).strip().splitlines()[-10:])
    print(f"warning: {label} exited with code {completed.returncode}:\n{tail}", file=sys.stderr)


def time_backprop(folder, results, jobs):
    """
    Time `python -m backprop.grade` on a folder and read the grades.csv it writes.

    Inputs:
    - folder: the class folder; results: the results folder; jobs: worker processes.

    Returns:
    - (seconds, rows) where rows is the list of grades.csv rows as dicts ([] if none was written).
    """
    command = [PYTHON, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER), "--results", str(results),
               "--fresh", "--jobs", str(jobs)]
    seconds, completed = run_timed(command)
    if completed.returncode != 0:
        report_failure("backprop.grade", completed)
    grades = results / "grades.csv"
    if not grades.exists():
        return seconds, []
    with open(grades, newline="") as handle:
        return seconds, list(csv.DictReader(handle))


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


def python_floor(repeats=5):
    """
    The median time to start Python and import numpy in a fresh process.

    Inputs:
    - repeats: how many runs to take the median of.

    Returns:
    - seconds.
    """
    return statistics.median(run_timed([PYTHON, "-c", "import numpy"])[0] for _ in range(repeats))


def rate_row(tool, files, seconds):
    """One line of the throughput table: tool | files | seconds | files/s | s/file."""
    per_second = files / seconds if seconds else 0.0
    per_file = seconds / files if files else 0.0
    return f"{tool:<16} | {files:>5} | {seconds:>8.1f} | {per_second:>7.2f} | {per_file:>7.3f}"


def print_throughput(class_size, backprop_seconds, otter_count, otter_seconds, jobs, floor):
    """
    Print the side-by-side throughput table, the speedup and the per-submission cost.

    Inputs:
    - class_size, backprop_seconds: files and wall seconds of backprop.grade; jobs: its workers.
    - otter_count, otter_seconds: files and wall seconds of the otter loop; floor: python+numpy seconds.

    Returns:
    - nothing.
    """
    print(f"\n{'tool':<16} | {'files':>5} | {'seconds':>8} | {'files/s':>7} | {'s/file':>7}")
    print("-" * 56)
    print(rate_row("backprop.grade", class_size, backprop_seconds))
    print(rate_row("otter run", otter_count, otter_seconds))
    if otter_count and backprop_seconds:
        otter_per_file = otter_seconds / otter_count
        speedup = (class_size / backprop_seconds) / (otter_count / otter_seconds)
        print(f"\notter run on all {class_size} files (extrapolated): {otter_per_file * class_size:.0f} s")
        print(f"speedup (files/s of backprop.grade / otter run): {speedup:.1f}x")
    if class_size:
        per_file = backprop_seconds / class_size
        print(f"per submission: backprop.grade {per_file:.3f} s wall, {per_file * jobs:.3f} core-s "
              f"({jobs} jobs) vs python+numpy start-up floor {floor:.3f} s (median of 5)")


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
        backprop_seconds, rows = time_backprop(scratch / "class", scratch / "results", args.jobs)

        otter_files = pick_otter_files(class_files, args.otter_files)
        print(f"timing: otter run -a autograder.zip, sequentially on {len(otter_files)} file(s)")
        autograder_zip = build_otter_zip(AUTOGRADER, scratch / "autograder.zip")
        otter_seconds, otter_scores = time_otter(otter_files, autograder_zip, scratch / "otter")

        print("timing: python -c 'import numpy' (median of 5)")
        floor = python_floor()

    print_throughput(len(class_files), backprop_seconds, len(otter_files), otter_seconds, args.jobs, floor)
    print_statuses(rows, len(class_files))
    print_copy_consistency(rows)
    if otter_scores:
        print_score_comparison(otter_scores, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
