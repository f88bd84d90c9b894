"""Run otter exception-style test files, in this trusted process, against a notebook's functions.

Test files are parsed by otter itself (ExceptionTestFile) once per process,
and each case is called with its arguments taken by name from the
notebook's namespace, as otter does. The namespace holds proxies to the
sandbox, so the checks run here while the student's code runs there. The
message of a failed case is the exception's own text: never the test's
source line, which otter would print and which may belong to a hidden test.
"""

import contextlib
import functools
import pathlib
import sys

from otter.test_files.exception_test import ExceptionTestFile

from backprop.sandbox.errors import SandboxFailure
from backprop.sandbox.process import SandboxStartError

from .dependencies import load_reference, patched, stand_ins
from .results import CaseResult, QuestionResult, printable
from .sandboxed import NotGraded


NO_MESSAGE = "this check failed (its test gives no message)"


@contextlib.contextmanager
def importable(folder):
    """
    Make the modules next to the tests folder (feedback, reference, ...) importable: this folder's own, even
    where another autograder's modules of the same names were imported before (another assignment's reference).
    The folder is the working folder meanwhile, so that the reference finds the assignment's data files.
    """
    folder = pathlib.Path(folder).resolve()
    own = {path.stem for path in folder.glob("*.py")}
    saved = {name: sys.modules.pop(name) for name in own if name in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        with contextlib.chdir(folder):
            yield
    finally:
        sys.path.remove(str(folder))
        for name in own:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


@functools.lru_cache(maxsize=None)
def _parse(test_path, mtime):
    with importable(pathlib.Path(test_path).parent.parent):
        return ExceptionTestFile.from_file(test_path)


def load_test_file(test_path):
    """
    Parse one test file, once per process (again if it changed on disk).

    Inputs:
    - test_path: the otter test file (tests/<question>.py).

    Returns:
    - an otter ExceptionTestFile.
    """
    test_path = pathlib.Path(test_path).resolve()
    return _parse(str(test_path), test_path.stat().st_mtime_ns)


class LocalNotebook:
    """
    A namespace in this process, for trusted code only (the framework's own fixtures).

    Inputs:
    - namespace: dict name -> value.
    """

    def __init__(self, namespace):
        self._namespace = namespace

    def namespace(self):
        """The namespace itself."""
        return self._namespace

    def before_case(self):
        """Nothing to reset in-process."""

    def trusted_globals(self, trusted):
        """The notebook's globals of those names set to trusted functions, for the block (a context)."""
        return patched(self._namespace, trusted)

    def failed(self, failure):
        """In-process there is no sandbox to lose: let the failure through."""
        raise failure


def run_case(case, notebook, trusted=None):
    """
    Run one test case against a notebook.

    Inputs:
    - case: an otter TestCase; notebook: a SandboxedNotebook or LocalNotebook.
    - trusted: dict name -> reference function, for the other questions found wrong
      (see dependencies); None or empty to run the notebook's own functions only.

    Returns:
    - a CaseResult.
    """
    try:
        notebook.before_case()
        if trusted:
            names = stand_ins(notebook.namespace(), trusted)  # before the globals change: the student's own
            with notebook.trusted_globals(trusted):
                case.body.call_func(names)
        else:
            case.body.call_func(notebook.namespace())
        passed, message = True, ""
    except AssertionError as failure:  # a bare assert has no message: never leave a failure unexplained
        passed, message = False, str(failure) or NO_MESSAGE
    except NotGraded as reason:
        passed, message = False, str(reason)
    except SandboxFailure as failure:
        passed, message = False, notebook.failed(failure)
    except SandboxStartError:  # the grader's own failure: never a failed check of the student's
        raise
    except Exception as error:  # a test that trips over a strange value: the case fails, grading goes on
        passed, message = False, f"{type(error).__name__} escaped the check: {error}"
    return CaseResult(case.name, float(case.points), bool(case.hidden), passed, printable(message))


def run_question(test_path, notebook, trusted=None):
    """
    Run one question's test file.

    Inputs:
    - test_path: the otter test file (tests/<question>.py).
    - notebook: a SandboxedNotebook, a LocalNotebook, or a plain dict (wrapped in a LocalNotebook).
    - trusted: as for run_case.

    Returns:
    - a QuestionResult.
    """
    if isinstance(notebook, dict):
        notebook = LocalNotebook(notebook)
    test_file = load_test_file(test_path)
    with importable(pathlib.Path(test_path).resolve().parent.parent):
        cases = tuple(run_case(case, notebook, trusted) for case in test_file.test_cases)
    return QuestionResult(test_file.name, cases)


def run_tests(tests_dir, notebook, questions):
    """
    Run the test files of several questions, charging each bug once.

    A question that loses points is wrong; the later questions are checked with the
    reference's function in its place (see dependencies), so a composite loses
    points only for its own code. When a question still loses points and only some
    of the other functions were replaced, it is checked again with all of them
    replaced (a right forward pass's cache may not suit the reference's backward
    pass that stands in for a wrong one), and the better of the two counts: the
    student's code for that question is the same in both, only trusted parts change.
    No retry after a timeout or a lost sandbox: it would only spend the submission's
    time and restarts again.

    Inputs:
    - tests_dir: the folder of test files (the reference solution is next to it).
    - notebook: as for run_question.
    - questions: the question names, in notebook order.

    Returns:
    - a list of QuestionResult, in that order.
    """
    if isinstance(notebook, dict):
        notebook = LocalNotebook(notebook)
    reference = load_reference(pathlib.Path(tests_dir).parent)
    results, wrong = [], {}
    for question in questions:
        path = pathlib.Path(tests_dir) / f"{question}.py"
        events = len(getattr(notebook, "events", ()))
        if question not in reference:  # a value question: no trusted function is ever handed over while it is
            results.append(run_question(path, notebook))  # checked (student code could make it compute the value)
            continue
        result = run_question(path, notebook, wrong)
        others = {name: function for name, function in reference.items() if name in questions and name != question}
        crashed = len(getattr(notebook, "events", ())) > events  # a timeout or a lost sandbox: a retry would repeat it
        if wrong and result.score < result.possible and others != wrong and not crashed:
            retry = run_question(path, notebook, others)
            result = retry if retry.score > result.score else result
        if result.score < result.possible:
            wrong = {**wrong, question: reference[question]}
        results.append(result)
    return results


def not_graded(tests_dir, questions, reason):
    """
    Every case of every question, failed with one reason (an invalid submission).

    Inputs:
    - tests_dir, questions: as for run_tests; reason: the message.

    Returns:
    - a list of QuestionResult.
    """
    results = []
    for question in questions:
        test_file = load_test_file(pathlib.Path(tests_dir) / f"{question}.py")
        results.append(QuestionResult(test_file.name, tuple(
            CaseResult(case.name, float(case.points), bool(case.hidden), False, reason) for case in test_file.test_cases)))
    return results
