"""Run otter exception-style test files against a namespace of the student's functions.

Test files are parsed by otter itself (ExceptionTestFile), and each case is
called with its arguments taken from the namespace by name, as otter does.
The message of a failed case is the exception's own text: never the test's
source line, which otter would print and which may belong to a hidden test.
"""

import contextlib
import pathlib
import sys

from otter.test_files.exception_test import ExceptionTestFile

from .results import CaseResult, QuestionResult


@contextlib.contextmanager
def importable(folder):
    """Make the modules next to the tests folder (feedback, reference, ...) importable."""
    folder = str(folder)
    sys.path.insert(0, folder)
    try:
        yield
    finally:
        sys.path.remove(folder)


def run_question(test_path, namespace):
    """
    Run one question's test file.

    Inputs:
    - test_path: the otter test file (tests/<question>.py).
    - namespace: dict of the notebook's globals (or of proxies for them).

    Returns:
    - a QuestionResult.
    """
    test_path = pathlib.Path(test_path)
    with importable(test_path.resolve().parent.parent):
        test_file = ExceptionTestFile.from_file(str(test_path))
        cases = []
        for case in test_file.test_cases:
            try:
                case.body.call_func(namespace)
                passed, message = True, ""
            except AssertionError as failure:
                passed, message = False, str(failure)
            except BaseException as error:  # SystemExit and the like from student code cost this case only
                if isinstance(error, KeyboardInterrupt):
                    raise
                passed, message = False, f"{type(error).__name__} escaped the check: {error}"
            cases.append(CaseResult(case.name, float(case.points), bool(case.hidden), passed, message))
    return QuestionResult(test_file.name, tuple(cases))


def run_tests(tests_dir, namespace, questions):
    """
    Run the test files of several questions.

    Inputs:
    - tests_dir: the folder of test files.
    - namespace: dict of the notebook's globals.
    - questions: the question names, in notebook order.

    Returns:
    - a list of QuestionResult, in that order.
    """
    return [run_question(pathlib.Path(tests_dir) / f"{question}.py", namespace) for question in questions]
