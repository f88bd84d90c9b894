"""python -m backprop.grade: grade a folder of submissions into grades.csv, feedback and a class report."""

import argparse
import os
import pathlib
import signal
import sys

from backprop.report.class_report import histogram_png, report_markdown
from backprop.report.csv_table import grades_csv, not_graded_csv
from backprop.report.gradescope import results_json
from backprop.report.score_table import score_table
from backprop.report.student_feedback import feedback_text
from backprop.sandbox.confine import describe_isolation
from backprop.sandbox.landlock import landlock_abi
from backprop.sandbox.linux import not_dumpable
from backprop.sandbox.process import Limits, SandboxStartError, account, preflight

from .assignments import course, describe
from .batch import discover, grade_folder, ignored_files
from .sorting import sort_files
from .store import Store, fingerprint, write_atomically
from .grader import question_order
from .progress import Progress
from .results import GRADER_FAILED

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_SUBMISSIONS = ROOT / "tests" / "fixtures" / "submissions"
NOT_GRADED = "not_graded.csv"  # in the results folder: the files this run did not grade, and why


def grade_course(*, submissions, results, autograder, limits, assignments=(), jobs=None, fresh=False,
                 stream=sys.stdout):
    """
    Grade a folder that may hold several assignments' submissions, each assignment into its own results folder.

    Inputs:
    - submissions: the folder; results: the folder to write (results/<assignment>/ for each assignment, unless
      autograder is one assignment's folder: then results/ itself), and results/not_graded.csv for the files
      no assignment of this run grades. An assignment graded before into results is graded again even with no
      file now, so that its grades.csv never keeps rows of files gone.
    - autograder: autograder/ (every assignment) or autograder/<name>; assignments: the names to grade (default:
      every one); limits, jobs, fresh, stream: as for grade.

    Returns:
    - dict assignment -> its list of SubmissionResult.
    """
    folders = course(autograder, assignments)
    every = course(autograder)
    single = pathlib.Path(autograder).resolve() in {folder.resolve() for folder in every.values()}
    found = discover(submissions, every_file=True)
    names = [path.as_posix() for path in found]
    ignored = ignored_files(submissions, found)
    if ignored:
        print(f"{submissions}: {ignored} hidden or checkpoint files skipped", file=sys.stderr)
    by_assignment, not_graded = sort_files(submissions, names, {name: describe(folder) for name, folder
                                                                 in every.items()}, list(folders), limits, jobs)
    results = pathlib.Path(results)
    if not_graded:
        write_atomically(results / NOT_GRADED, not_graded_csv(not_graded))
        print(f"{len(not_graded)} files were not graded (none of the assignments, or another assignment's); they "
              f"are listed, with the reason, in {results / NOT_GRADED}", file=sys.stderr)
    elif (results / NOT_GRADED).exists():
        (results / NOT_GRADED).unlink()  # an earlier run's list: no file of this run is in it
    graded = {}
    for name, folder in folders.items():
        target = results if single else results / name
        if by_assignment[name] or len(folders) == 1 or (target / "grades.csv").exists():
            print(f"\n{describe(folder)['title']} ({name})", file=stream)
            graded[name] = grade(submissions=submissions, results=target, autograder=folder, limits=limits,
                                 jobs=jobs, fresh=fresh, stream=stream, names=by_assignment[name])
    return graded


def grade(*, submissions, results, autograder, limits, jobs=None, fresh=False, stream=sys.stdout, names=None):
    """
    Grade every submission in a folder for one assignment and write the class's files.

    Inputs:
    - submissions: the folder of .ipynb / .zip files; results: the folder to write.
    - autograder: the assignment's autograder folder; limits: a Limits; jobs: worker processes.
    - fresh: re-grade files already graded; stream: where the score table goes.
    - names: the files to grade, relative to submissions (default: every file there).

    Returns:
    - the list of SubmissionResult.
    """
    results = pathlib.Path(results)
    questions = question_order(autograder)
    found = discover(submissions, every_file=True) if names is None else [pathlib.Path(name) for name in names]
    total = len(found)
    store = Store(results, fingerprint(autograder, limits),
                  {"feedback.txt": feedback_text, "results.json": results_json})
    progress = Progress()
    done, reused = [], []

    def on_result(result, count, total, was_reused):
        done.append(result)
        if was_reused:
            reused.append(result.submission)
        write_atomically(results / "grades.csv", grades_csv(sorted(done, key=lambda r: r.submission), questions))
        progress(result, count, total, was_reused)

    isolation = describe_isolation(limits.isolation)
    preflight(limits)  # a sandbox that cannot run a tiny notebook would give every file a row of no verdict
    ignored = ignored_files(submissions, found) if names is None else 0  # grade_course says it for the folder
    print(f"Grading {total} submissions from {submissions}"
          + (f" ({ignored} hidden or checkpoint files skipped)" if ignored else "")
          + f" with {jobs or os.cpu_count()} jobs; sandbox: {isolation}", file=sys.stderr)
    graded = grade_folder(submissions, store, autograder, limits, jobs, fresh, on_result,
                          names=[path.as_posix() for path in found])
    write_atomically(results / "grades.csv", grades_csv(graded, questions))
    write_atomically(results / "report.md", report_markdown(graded, questions, "scores.png", isolation))
    histogram_png(graded, results / "scores.png")
    print("\n" + score_table(graded), file=stream)
    if reused:
        print(f"\n{len(reused)} of {len(graded)} results were reused from {results} (same file, autograder and "
              "limits); --fresh grades everything again.", file=stream)
    print(f"\nWrote {results}/grades.csv, report.md, scores.png and submissions/<file>/"
          "{feedback.txt,results.json}", file=stream)
    return graded


class Terminated(KeyboardInterrupt):
    """SIGTERM: stopped like Ctrl-C (every worker and sandbox ends, finished rows stay saved)."""

    signum = signal.SIGTERM


def _interrupted(signum, frame):
    raise Terminated()


def main(argv=None):
    """Parse the command line and grade."""
    defaults = Limits()
    parser = argparse.ArgumentParser(prog="python -m backprop.grade", description=__doc__)
    parser.add_argument("submissions", nargs="?", default=str(DEFAULT_SUBMISSIONS),
                        help="folder of .ipynb and .zip files (default: the bundled samples)")
    parser.add_argument("--results", default="results", help="folder to write (default: results)")
    parser.add_argument("--autograder", default=str(ROOT / "autograder"),
                        help="autograder/ (every assignment, each graded into RESULTS/<name>/) or one assignment's "
                             "autograder/<name> (graded into RESULTS)")
    parser.add_argument("--assignment", action="append", default=[], metavar="NAME",
                        help="grade only this assignment's files (repeatable; default: every assignment)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel workers (default: every core)")
    parser.add_argument("--fresh", action="store_true", help="re-grade files already graded in --results")
    parser.add_argument("--call-timeout", type=float, default=defaults.call_seconds,
                        help=f"seconds for one call or one notebook cell (default {defaults.call_seconds:g})")
    parser.add_argument("--submission-timeout", type=float, default=defaults.submission_seconds,
                        help=f"seconds for a whole submission (default {defaults.submission_seconds:g})")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                        help=f"sandbox memory in MB (default {defaults.memory_mb})")
    parser.add_argument("--max-output", type=int, default=defaults.output_chars,
                        help=f"characters of printed output kept per submission (default {defaults.output_chars})")
    parser.add_argument("--isolation", choices=("auto", "landlock", "none"), default=defaults.isolation,
                        help="filesystem isolation: Landlock when available (auto), required, or none")
    parser.add_argument("--sandbox-user", default=defaults.user, metavar="USER",
                        help="run student code as this user, e.g. nobody (needs root; default: the grader's own)")
    args = parser.parse_args(argv)
    for flag in ("call_timeout", "submission_timeout", "memory_mb", "max_output"):
        if getattr(args, flag) <= 0:
            parser.error(f"--{flag.replace('_', '-')} must be positive")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if not pathlib.Path(args.submissions).is_dir():
        parser.error(f"no folder {args.submissions}")
    try:
        course(args.autograder, args.assignment)
    except (ValueError, OSError) as error:
        parser.error(f"--autograder/--assignment: {error}")
    try:
        account(args.sandbox_user)
    except SandboxStartError as error:
        parser.error(f"--sandbox-user: {error}")
    if args.isolation == "landlock" and landlock_abi() == 0:
        parser.error("--isolation landlock: this kernel has no Landlock (use auto to grade with process isolation only)")
    limits = Limits(call_seconds=args.call_timeout, submission_seconds=args.submission_timeout,
                    memory_mb=args.memory_mb, output_chars=args.max_output, isolation=args.isolation,
                    user=args.sandbox_user)
    not_dumpable()  # student code without Landlock cannot read or write this process's memory
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        by_assignment = grade_course(submissions=args.submissions, results=args.results, autograder=args.autograder,
                                     assignments=args.assignment, limits=limits, jobs=args.jobs, fresh=args.fresh)
    except SandboxStartError as error:
        print(f"ERROR: nothing was graded: the sandbox cannot run student code on this machine ({error}).\n"
              f"Check that --sandbox-user (if given) can run {sys.executable} and read its packages, and that "
              "--isolation suits this kernel; then run the same command again.", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        print(f"\nInterrupted: every finished submission is saved in {args.results}; "
              "run the same command again to grade the rest.", file=sys.stderr)
        return 128 + getattr(stop, "signum", signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)
    graded = [result for results in by_assignment.values() for result in results]
    failed = [result for result in graded if result.message.startswith(GRADER_FAILED)]
    if failed:
        print(f"\nERROR: {len(failed)} of {len(graded)} files were not graded because the grader itself failed: "
              f"{failed[0].message}. Their rows say so (status error) and are graded again on the next run.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
