"""Shared paths and helpers for the framework's tests."""

import pathlib

import pytest

from backprop.grade import load_definitions, question_order, run_tests

ROOT = pathlib.Path(__file__).resolve().parent.parent
MASTER = ROOT / "solutions" / "two_layer_net.ipynb"
STUDENT = ROOT / "assignment" / "two_layer_net.ipynb"
AUTOGRADER = ROOT / "autograder"
IMPLEMENTATIONS = ROOT / "tests" / "fixtures" / "implementations"
QUESTIONS = question_order(AUTOGRADER)


def namespace_of(*paths):
    """Execute Python files, in order, into one namespace (later definitions win)."""
    namespace, errors = load_definitions([(i, pathlib.Path(p).read_text()) for i, p in enumerate(paths)])
    assert not errors, errors
    return namespace


def grade(namespace):
    """Every question's results for a namespace, as a dict name -> QuestionResult."""
    return {result.name: result for result in run_tests(AUTOGRADER / "tests", namespace, QUESTIONS)}


@pytest.fixture
def reference_namespace():
    """A fresh namespace holding the reference solution."""
    return namespace_of(AUTOGRADER / "reference.py")
