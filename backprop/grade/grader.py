"""Grade one submitted file: read it, run its definitions in a sandbox, run every test file here."""

import pathlib
import time

from backprop.sandbox.deadline import ran_out, time_limit
from backprop.sandbox.process import Limits, SandboxStartError

from . import explain
from .assignments import describe
from .notebook_code import definition_cells, skipped_definitions
from .results import GRADER_FAILED, SubmissionResult, unfinished
from .sandboxed import SandboxedNotebook
from .submission import InvalidSubmission, check_assignment, file_hash, read_notebook
from .test_runner import not_graded, run_tests


def question_order(autograder_dir):
    """
    The questions, in notebook order.

    Inputs:
    - autograder_dir: the generated autograder folder.

    Returns:
    - a list of question names.
    """
    return describe(autograder_dir)["questions"]


def grade_cells(cells, autograder_dir, limits=Limits(), submission="", sha256="", *, questions=None, elsewhere=None):
    """
    Grade definition cells in a sandbox.

    Inputs:
    - cells: (cell index, Python source) pairs, in notebook order.
    - autograder_dir: the generated autograder folder (tests/, assignment.json, helpers).
    - limits: a Limits; submission, sha256: recorded in the result.
    - questions: the questions whose tests run (default: every one, in notebook order); the tests
      still see every function of the notebook.
    - elsewhere: name -> source of a cell grading does not run that defines it (see explain).

    Returns:
    - a SubmissionResult.
    """
    started = time.monotonic()
    autograder_dir = pathlib.Path(autograder_dir).resolve()  # the tests run with it as their working folder
    assignment = describe(autograder_dir)
    every = assignment["questions"]
    files = [(relative, autograder_dir / relative) for relative in assignment.get("files", [])]
    try:
        check_assignment(cells, every)
    except InvalidSubmission as reason:
        return invalid(submission, str(reason), autograder_dir, sha256)
    try:
        with SandboxedNotebook(cells, every, limits, files) as notebook:
            results = run_tests(autograder_dir / "tests", notebook, every if questions is None else list(questions))
            output = notebook.printed()
    except SandboxStartError as error:  # this machine's problem (a user that cannot run Python...), not the file's
        reason = (f"{GRADER_FAILED}: its sandbox could not start ({error}). This is not a verdict on the file: "
                  "fix the grader's set-up and grade again")
        return no_verdict(submission, "error", reason, autograder_dir, sha256, seconds=time.monotonic() - started)
    cell_errors = tuple(sorted(notebook.cell_errors.items()))
    results = explain.never_defined(results, cells, notebook.cell_errors)
    results = explain.defined_elsewhere(results, elsewhere or {})
    status, message = "graded", ""
    for kind in ("timeout", "error"):
        events = [text for event_kind, text in notebook.events if event_kind == kind]
        if events:
            status, message = kind, events[0] + (f" (and {len(events) - 1} more)" if len(events) > 1 else "")
            break
    if status == "graded":
        message = summary(results, cell_errors)
    return SubmissionResult(submission, status, message, tuple(results), cell_errors, output, sha256,
                            round(time.monotonic() - started, 3), code="\n\n".join(source for _, source in cells))


def summary(results, cell_errors):
    """
    One line for a graded submission: its first failing cell, else the first problem and where points were lost.

    Inputs:
    - results: QuestionResults; cell_errors: (cell index, message naming the cell) pairs.

    Returns:
    - the line ('' for full marks and no errors): the first failed check's message with its hint, e.g.
      "layer_forward: out is wrong (worst relative error ...). Hint: the bias b is missing..."; "not implemented
      yet: ..." when every question that lost points is a stub.
    """
    if cell_errors:
        return cell_errors[0][1]
    lost = [result for result in results if result.score < result.possible]
    if not lost:
        return ""
    stubs = [result.name for result in lost if all(unfinished(case.message) for case in result.failures())]
    if len(stubs) == len(lost):
        return f"not implemented yet: {', '.join(stubs)}"
    return next(result for result in lost if result.name not in stubs).failures()[0].message


def invalid(submission, reason, autograder_dir, sha256=""):
    """
    The result of a file that cannot be graded: 0 on every question, with the reason.

    Inputs:
    - submission: its name; reason: why; autograder_dir: the autograder folder; sha256: its hash.

    Returns:
    - a SubmissionResult with status invalid.
    """
    return no_verdict(submission, "invalid", reason, autograder_dir, sha256, case_message=f"not graded: {reason}")


def no_verdict(submission, status, reason, autograder_dir, sha256="", seconds=0.0, case_message=None):
    """
    A result that is no verdict on the file's code: 0 on every case of every question, with the reason.

    Inputs:
    - submission: its name; status: invalid, error or timeout; reason: why, in a sentence.
    - autograder_dir: the autograder folder; sha256: the file's hash; seconds: the time spent.
    - case_message: what each case says (default: the reason).

    Returns:
    - a SubmissionResult.
    """
    autograder_dir = pathlib.Path(autograder_dir)
    results = not_graded(autograder_dir / "tests", question_order(autograder_dir), case_message or reason)
    return SubmissionResult(submission, status, reason, tuple(results), sha256=sha256, seconds=round(seconds, 3))


def grade_file(path, autograder_dir, limits=Limits(), name=None):
    """
    Grade one submitted file (.ipynb, or the .zip of grader.export()).

    Inputs:
    - path: the file; autograder_dir: the autograder folder; limits: a Limits.
    - name: the name recorded for it (default: the file name).

    Returns:
    - a SubmissionResult; a file that cannot be graded gets status invalid, never an exception.
    """
    path = pathlib.Path(path)
    name = name or path.name
    sha256 = file_hash(path)
    try:
        notebook = read_notebook(path, describe(autograder_dir)["notebook"])
    except InvalidSubmission as reason:
        return invalid(name, str(reason), autograder_dir, sha256)
    except OSError as error:
        return invalid(name, f"the file cannot be read ({error.strerror or error})", autograder_dir, sha256)
    started = time.monotonic()
    try:
        with time_limit(limits.call_seconds):
            cells = definition_cells(notebook)
            elsewhere = skipped_definitions(notebook)
    except Exception as error:  # IPython could not translate a cell (absurd nesting, say), or the time ran out
        if ran_out(error, started, limits.call_seconds):
            return invalid(name, f"reading the notebook's code (translating %magics and !commands, parsing) took "
                                 f"more than {limits.call_seconds:g} s: remove those lines, or split huge cells",
                           autograder_dir, sha256)
        return invalid(name, f"the notebook's code cannot be read ({type(error).__name__})", autograder_dir, sha256)
    return grade_cells(cells, autograder_dir, limits, name, sha256, elsewhere=elsewhere)
