"""Shared paths and helpers for the framework's tests."""

import functools
import pathlib

import pytest

from backprop.grade import grade_cells, question_order, run_tests
from backprop.sandbox.process import Limits

ROOT = pathlib.Path(__file__).resolve().parent.parent
MASTER = ROOT / "solutions" / "two_layer_net.ipynb"
STUDENT = ROOT / "assignment" / "two_layer_net.ipynb"
AUTOGRADER = ROOT / "autograder"
FIXTURES = ROOT / "tests" / "fixtures"
IMPLEMENTATIONS = FIXTURES / "implementations"
SUBMISSIONS = FIXTURES / "submissions"
TAMPERING = FIXTURES / "tampering"
QUESTIONS = question_order(AUTOGRADER)
# Short limits keep the tests that hit them fast; generous enough for every honest fixture.
FAST = Limits(call_seconds=2.0, submission_seconds=60.0)


def namespace_of(*paths):
    """
    Execute Python files, in order, into one namespace in this process (later definitions win).

    What a Jupyter kernel, and so otter's grader.check, sees; for the framework's own trusted fixtures only.
    """
    namespace = {"__name__": "__main__"}
    for path in paths:
        exec(compile(pathlib.Path(path).read_text(), str(path), "exec"), namespace)
    return namespace


def grade(namespace, tests_dir=AUTOGRADER / "tests"):
    """Every question's results for an in-process namespace, as a dict name -> QuestionResult."""
    return {result.name: result for result in run_tests(tests_dir, namespace, QUESTIONS)}


@functools.lru_cache(maxsize=None)
def _sandboxed(paths, limits):
    cells = [(index, pathlib.Path(path).read_text()) for index, path in enumerate(paths)]
    return grade_cells(cells, AUTOGRADER, limits)


def grade_sandboxed(*paths, limits=FAST):
    """
    Grade Python files as one submission's cells, through the sandbox (cached per set of files).

    Returns:
    - a dict name -> QuestionResult.
    """
    return {result.name: result for result in _sandboxed(tuple(str(p) for p in paths), limits).questions}


@pytest.fixture
def reference_namespace():
    """A fresh namespace holding the reference solution."""
    return namespace_of(AUTOGRADER / "reference.py")
