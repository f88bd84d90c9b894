"""Grade one Gradescope submission into results.json, whatever happens.

Gradescope puts the student's upload in <root>/submission and expects
<root>/results/results.json. The files are graded exactly as `make grade`
grades them (sandbox, limits, worker process); when several are uploaded
(the notebook and its export zip, say), each is graded and the best counts.
Any failure of the autograder itself still writes a valid results.json
that says what happened.
"""

import dataclasses
import os
import pathlib
import signal
import sys
import time

from backprop.grade.assignments import describe
from backprop.grade.batch import discover, grade_folder
from backprop.grade.grader import invalid
from backprop.grade.results import GRADER_FAILED, one_line
from backprop.grade.store import write_atomically
from backprop.report.csv_table import number
from backprop.report.gradescope import failure_json, results_json
from backprop.report.score_table import score_table
from backprop.sandbox.confine import describe_isolation
from backprop.sandbox.linux import not_dumpable
from backprop.sandbox.process import preflight

MAX_FILES = 3  # graded per submission, so that the time limits add up to less than Gradescope's (assignment.json's
# gradescope.max_files may change it)


LIMITS = ("call_seconds", "submission_seconds", "memory_mb")  # the gradescope settings that are grading limits


class Unsaved:
    """A store for grade_folder that keeps nothing: here only results.json is written, once, at the end."""

    def cached(self, name, sha256):
        """No earlier result is ever reused."""
        return None

    def save(self, result):
        """Nothing to save per file."""


class TimeLimit(Exception):
    """The run was told to stop (SIGTERM from `timeout` in run_autograder)."""


def ranked(names, notebook):
    """
    Submitted files, the likeliest to be the assignment first: export zips and notebooks named like it.

    Inputs:
    - names: file names relative to the submission folder; notebook: the assignment's notebook name.

    Returns:
    - the names, sorted: the assignment's name first, then zips, then the rest, each group by name.
    """
    def rank(name):
        stem = pathlib.PurePosixPath(name).name.lower()
        return (not stem.startswith(pathlib.PurePosixPath(notebook).stem.lower()), not stem.endswith(".zip"), name)
    return sorted(names, key=rank)


def listing(names, shown=10):
    """Names joined by commas, at most `shown` of them, then how many more (an upload may hold thousands)."""
    names = [one_line(name, limit=100) for name in names]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more if names else "no file"


def choose(graded):
    """
    The result that counts among several files: the highest score, a fully graded one on a tie.

    Inputs:
    - graded: SubmissionResults (at least one).

    Returns:
    - (the result, a note naming it and the others' scores, or "" when only one file was graded).
    """
    best = max(graded, key=lambda result: (result.score, result.status == "graded"))
    if len(graded) == 1:
        return best, ""
    scores = ", ".join(f"{one_line(result.submission, limit=100)} {number(result.score)}/{number(result.possible)}"
                       for result in graded)
    return best, f"{len(graded)} files were graded ({scores}); the best counts: {one_line(best.submission, limit=100)}."


def grade_submission(root, limits, stream):
    """
    Grade the files in <root>/submission.

    Inputs:
    - root: the autograder root (/autograder on Gradescope); limits: a Limits; stream: the log.

    Returns:
    - the results.json text.
    """
    root = pathlib.Path(root)
    submission_dir, autograder_dir = root / "submission", root / "source" / "autograder"
    assignment = describe(autograder_dir)
    limits = dataclasses.replace(limits, **{key: value for key, value in assignment["gradescope"].items()
                                            if key in LIMITS})
    most = assignment["gradescope"].get("max_files", MAX_FILES)
    names = ranked((path.as_posix() for path in discover(submission_dir)), assignment["notebook"])
    isolation = describe_isolation(limits.isolation)
    user = limits.user or "the grader's own user"
    print(f"Notebooks submitted: {listing(names)}\nSandbox: {isolation}; student code runs as {user}", file=stream)
    if not names:
        present = sorted((pathlib.Path(folder) / name).relative_to(submission_dir).as_posix()
                         for folder, _, files in os.walk(submission_dir) for name in files)  # links not followed
        reason = (f"no notebook was uploaded (found: {listing(present)}): upload "
                  f"{assignment['notebook']}, or the .zip its last cell makes")
        return results_json(invalid("(no notebook)", reason, autograder_dir))
    skipped = names[most:]
    preflight(limits)  # no sandbox: the failure results.json (not a verdict), not a row of zeros
    graded = grade_folder(submission_dir, Unsaved(), autograder_dir, limits, jobs=1, fresh=True,
                          names=names[:most])
    print(score_table(graded), file=stream)
    if all(result.message.startswith(GRADER_FAILED) for result in graded):  # no verdict at all: say so, score none
        raise RuntimeError(graded[0].message)
    best, note = choose(graded)
    if skipped:
        note += f" Only {most} files are graded; not graded: {listing(skipped)}."
    return results_json(best, note.strip())


def _stop(signum, frame):
    raise TimeLimit(f"the autograder's time limit ran out (signal {signal.Signals(signum).name})")


def run_autograder(*, root, limits, stream=sys.stdout):
    """
    Grade <root>/submission and write <root>/results/results.json; never raises.

    Inputs:
    - root: the autograder root; limits: a Limits (user: the account student code runs as).
    - stream: the log (Gradescope shows the autograder's stdout to instructors only).

    Returns:
    - the results.json text written.
    """
    started = time.monotonic()
    not_dumpable()  # student code without Landlock cannot read or write this process's memory
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        text = grade_submission(root, limits, stream)
    except BaseException as error:  # a failure of the autograder, not of the submission: say so, write anyway
        reason = str(error) if isinstance(error, TimeLimit) else f"{type(error).__name__}: {error}"
        print(f"The autograder failed: {reason}", file=stream)
        text = failure_json(reason, time.monotonic() - started)
    finally:
        signal.signal(signal.SIGTERM, previous)
    write_atomically(pathlib.Path(root) / "results" / "results.json", text)
    return text
