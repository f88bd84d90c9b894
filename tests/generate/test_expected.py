"""Tests for backprop.generate.expected: the expected values public checks ship, found by running the tests."""

import importlib.util
import sys

import numpy as np
import pytest

from backprop.generate import GenerationError
from backprop.generate.expected import autograder_modules, public_expected_values, rounded
from backprop.generate.test_files import public_source
from conftest import FIXTURES, ROOT

TINY = FIXTURES / "tiny_autograder"
DOUBLE_TESTS = (TINY / "tests" / "double.py").read_text()
FILES = {"autograder/reference.py": (TINY / "reference.py").read_text(),
         "autograder/feedback.py": (ROOT / "backprop" / "checks" / "feedback.py").read_text()}
FAILS_AGAINST_THE_SOLUTION = '''from otter.test_files import test_case
name = "double"

@test_case(name="double: off by one", points=1, hidden=True)
def off_by_one(double):
    assert double(1) == 3, "double(1) should be 3"
'''
ASKS_FOR_INFINITY = '''from otter.test_files import test_case
from feedback import expected_values
name = "double"
expected = expected_values()

@test_case(name="double: infinity", points=1)
def infinity(double):
    assert double(float("inf")) == expected("inf", lambda ref: ref.double(float("inf")))
'''


@pytest.fixture
def reference():
    """The tiny autograder's reference module, importable as make assign makes it."""
    with autograder_modules(FILES, "autograder") as module:
        yield module


def test_public_cases_values_are_recorded_and_hidden_ones_are_not(reference):
    """Does running the tests against the solution give the labels and values of the public cases only?"""
    table = public_expected_values(DOUBLE_TESTS, "double", reference)
    assert table == {"a number": 3.0, "an array": [[2.0, -4.0], [0.666666666667, 8.0]]}


def test_a_test_that_fails_against_the_solution_is_named(reference):
    """Is a case that fails against the solution (a hidden one too) a GenerationError naming the question and
    the case?"""
    with pytest.raises(GenerationError, match=r"double: test 'double: off by one' fails against the solution "
                                              r"\(AssertionError: double\(1\) should be 3\)"):
        public_expected_values(FAILS_AGAINST_THE_SOLUTION, "double", reference)


def test_a_non_finite_expected_value_is_an_error(reference):
    """Is an expected value of inf, which JSON cannot carry into the public file, refused?"""
    with pytest.raises(GenerationError, match=r"not finite \(inf\)"):
        public_expected_values(ASKS_FOR_INFINITY, "double", reference)


def test_a_tests_cell_that_raises_is_an_error(reference):
    """Is a tests cell that cannot even run a GenerationError naming the question and the error?"""
    with pytest.raises(GenerationError, match="double: the tests cell raised ZeroDivisionError"):
        public_expected_values("name = 'double'\n1 / 0\n", "double", reference)


def test_a_file_without_expected_values_ships_none(reference):
    """Is there no table (None) for a tests cell that never asks for expected values?"""
    assert public_expected_values(FAILS_AGAINST_THE_SOLUTION.replace("== 3", "== 2"), "double", reference) is None


@pytest.mark.parametrize("value, shipped", [
    (2 / 3, 0.666666666667),
    ({"W": [1 / 3, 7], "b": [[-1e-20 / 3]]}, {"W": [0.333333333333, 7], "b": [[-3.33333333333e-21]]}),
    (123456789.123456789, 123456789.123),
    ("text", "text"),
])
def test_values_are_rounded_to_twelve_significant_digits(value, shipped):
    """Is every float, nested in dicts and lists too, rounded to 12 significant digits, and the rest kept?"""
    assert rounded(value) == shipped


@pytest.mark.parametrize("value", [float("nan"), [1.0, float("-inf")], {"x": [float("inf")]}])
def test_rounding_refuses_non_finite_values(value):
    """Is a NaN or an infinity anywhere in a value a GenerationError?"""
    with pytest.raises(GenerationError, match="not finite"):
        rounded(value)


def test_autograder_modules_leave_sys_modules_and_sys_path_as_they_were(monkeypatch):
    """After the block, even one that raised, are the modules reference and feedback the ones loaded before (or
    absent, if they were), and sys.path unchanged?"""
    before = object()
    monkeypatch.setitem(sys.modules, "reference", before)
    monkeypatch.delitem(sys.modules, "feedback", raising=False)
    path = list(sys.path)
    with pytest.raises(RuntimeError):
        with autograder_modules(FILES, "autograder") as module:
            assert module.double(2) == 4 and sys.modules["reference"] is module and "feedback" not in sys.modules
            import feedback  # noqa: F401  (the generated one, next to the reference)
            raise RuntimeError("an authoring mistake")
    assert sys.modules["reference"] is before and "feedback" not in sys.modules and sys.path == path


def test_the_shipped_values_grade_without_the_reference(tiny_autograder, monkeypatch):
    """Do the public checks written with the recorded values pass a right double and fail a wrong one, where
    only feedback.py is importable (as in the students' folder)?"""
    with autograder_modules(FILES, "autograder") as reference:
        table = public_expected_values(DOUBLE_TESTS, "double", reference)
    (tiny_autograder / "reference.py").unlink()
    monkeypatch.syspath_prepend(str(tiny_autograder))
    assert importlib.util.find_spec("reference") is None
    namespace = {}
    exec(public_source(DOUBLE_TESTS, "double", table), namespace)
    cases = [value for value in namespace.values() if type(value).__name__ == "test_case"]
    assert [case.name for case in cases] == ["double: a number", "double: an array"]
    for case in cases:
        case.call_func({"double": lambda x: x * 2})
        with pytest.raises(AssertionError, match="out is wrong"):
            case.call_func({"double": lambda x: x * np.float64(2.001)})
