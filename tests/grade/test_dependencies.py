"""Tests for backprop.grade.dependencies, and the charge-once policy of test_runner.run_tests that uses it."""

import pytest

from backprop.grade import grade_cells, question_order, run_tests
from backprop.grade.dependencies import Fallback, load_reference, patched, stand_ins
from backprop.sandbox.errors import SandboxFailure
from conftest import FAST

# The student's functions, each a cell of a few lines, executed into one namespace as a notebook's kernel would.
DOUBLE = {
    "right": "def double(x):\n    return 2 * x\n",
    "stub": "def double(x):\n    raise NotImplementedError('double: replace this line with your code')\n",
    "no return": "def double(x):\n    2 * x\n",
    "off by one": "def double(x):\n    return 2 * x + 1\n",
    # right for every input double's own checks use (|x| <= 5), wrong for the 6.0 that quadruple(3.0) passes it
    "lucky": "import numpy as np\ndef double(x):\n    return 2 * x if np.max(np.abs(x)) <= 5 else 0 * x\n",
}
QUADRUPLE = {
    "right": "def quadruple(x):\n    return double(double(x))\n",
    "wrong": "def quadruple(x):\n    return double(x) * 3\n",
}


def notebook(double, quadruple):
    """A notebook's namespace with the named variants of the two functions."""
    namespace = {"__name__": "__main__"}
    exec(DOUBLE[double] + QUADRUPLE[quadruple], namespace)
    return namespace


def sandboxed(folder, double, quadruple):
    """The tiny autograder's results for the named variants, graded as one cell in the sandbox."""
    return grade_cells([(0, DOUBLE[double] + QUADRUPLE[quadruple])], folder, FAST).questions


def in_process(folder, namespace):
    """The tiny autograder's results for a namespace, graded in this process, in question order."""
    return run_tests(folder / "tests", namespace, question_order(folder))


def scores(results):
    """Results as dict question -> (score, possible)."""
    return {result.name: (result.score, result.possible) for result in results}


def verdicts(results):
    """Every case's verdict, as (case name, passed) pairs in order."""
    return [(case.name, case.passed) for result in results for case in result.cases]


@pytest.mark.parametrize("double", ["stub", "no return"])
def test_a_composite_is_not_charged_for_the_function_it_calls(tiny_autograder, double):
    """When double lost points, does quadruple (which calls double, and one of whose checks calls double itself)
    score full marks, graded with the reference's double in its globals and as its argument?"""
    graded = scores(in_process(tiny_autograder, notebook(double, "right")))
    assert graded["double"][0] == 0
    assert graded["quadruple"][0] == graded["quadruple"][1] == 3


def test_a_composite_is_not_charged_for_the_function_it_calls_in_the_sandbox(tiny_autograder):
    """Graded in the sandbox, where the check's argument is a proxy, does quadruple score full marks after a
    double that is still a stub?"""
    assert scores(sandboxed(tiny_autograder, "stub", "right")) == {"double": (0, 4), "quadruple": (3, 3)}


def test_in_process_grading_agrees_with_the_sandbox_on_stand_ins(tiny_autograder):
    """With double wrong but returning a number (the reference's structure), do in-process and sandboxed grading
    give every case the same verdict (the check that calls double itself gets the student's value in both)?"""
    assert (verdicts(in_process(tiny_autograder, notebook("off by one", "right")))
            == verdicts(sandboxed(tiny_autograder, "off by one", "right")))


def test_a_wrong_composite_loses_points_after_a_right_function(tiny_autograder):
    """With double right and quadruple wrong, does quadruple lose points while double keeps full marks?"""
    graded = scores(in_process(tiny_autograder, notebook("right", "wrong")))
    assert graded["double"] == (4, 4)
    assert graded["quadruple"][0] < graded["quadruple"][1]


def test_after_only_passing_questions_the_students_own_function_runs(tiny_autograder):
    """When double passes its checks but is wrong where quadruple calls it, is quadruple graded with the
    student's own double (no stand-in), so that its check on 3.0 fails?"""
    results = in_process(tiny_autograder, notebook("lucky", "right"))
    assert results[0].score == results[0].possible
    assert [case.name for case in results[1].failures()] == ["quadruple: a number"]


def test_run_tests_gives_the_notebook_its_own_functions_back(tiny_autograder):
    """After grading with stand-ins, does the namespace hold the student's double again?"""
    namespace = notebook("stub", "right")
    student_double = namespace["double"]
    in_process(tiny_autograder, namespace)
    assert namespace["double"] is student_double


def test_load_reference_gives_the_public_functions_only(tmp_path):
    """Does load_reference keep the reference's public functions, leaving out constants, modules and _helpers,
    and give nothing for a folder without a reference?"""
    assert load_reference(tmp_path) == {}
    (tmp_path / "reference.py").write_text("import math\nLIMIT = 3\n_helper = abs\n\n\ndef f(x):\n    return x\n")
    functions = load_reference(tmp_path)
    assert list(functions) == ["f"] and functions["f"](7) == 7


def test_load_reference_reads_the_autograders_reference(tiny_autograder):
    """Are the tiny autograder's two functions found, and does its quadruple call its own double?"""
    functions = load_reference(tiny_autograder)
    assert sorted(functions) == ["double", "quadruple"] and functions["quadruple"](3) == 12


def reference_pair(x):
    """A trusted function returning a tuple, like a forward pass's (out, cache)."""
    return x + 1, "reference cache"


def reference_grads(x):
    """A trusted function returning a dict."""
    return {"W": x, "b": 0}


def raises(x):
    raise ValueError("student bug")


@pytest.mark.parametrize("trusted, student, expected", [
    (reference_pair, lambda x: (0, "student cache"), (0, "student cache")),
    (reference_pair, lambda x: (0,), (2, "reference cache")),
    (reference_pair, lambda x: [0, "student cache"], (2, "reference cache")),
    (reference_grads, lambda x: {"b": 5, "W": 6}, {"b": 5, "W": 6}),
    (reference_grads, lambda x: {"W": 6}, {"W": 1, "b": 0}),
    (reference_pair, raises, (2, "reference cache")),
    (reference_pair, lambda x: None, (2, "reference cache")),
    (abs, lambda x: 99, 99),
    (abs, lambda x: None, 1),
    (reference_pair, None, (2, "reference cache")),
    (reference_pair, "not a function", (2, "reference cache")),
])
def test_fallback_keeps_the_students_value_only_when_it_has_the_references_structure(trusted, student, expected):
    """Is the student's result used when it is shaped like the reference's (tuple of the same length, dict with
    the same keys, any non-None value), and the reference's when the student's raises, is missing or differs?"""
    assert Fallback(student, trusted)(1) == expected


def test_fallback_is_a_trusted_stand_in_named_after_the_reference():
    """Does a Fallback say it is a trusted stand-in and carry the reference function's name?"""
    stand_in = Fallback(lambda x: x, reference_pair)
    assert stand_in.trusted_stand_in is True and stand_in.__name__ == "reference_pair"


def test_fallback_lets_a_sandbox_failure_through():
    """Is a SandboxFailure from the student's function raised, not covered up by the reference's value?"""
    def crash(x):
        raise SandboxFailure("the sandbox exited")

    with pytest.raises(SandboxFailure):
        Fallback(crash, reference_pair)(1)


def test_fallback_gives_the_reference_copies_of_the_arguments():
    """Does the student's function see the caller's arguments as they were, even if the reference modifies its
    copies?"""
    def trusted(values):
        values.append("from the reference")
        return len(values)

    seen = []
    Fallback(lambda values: seen.append(list(values)) or 0, trusted)([1])
    assert seen == [[1]]


def test_stand_ins_replace_only_the_wrong_functions_in_a_new_namespace():
    """Does stand_ins return a new dict where the wrong functions (even undefined ones) are Fallbacks and every
    other name is untouched?"""
    student = {"double": lambda x: None, "quadruple": print, "data": [1]}
    names = stand_ins(student, {"double": abs, "triple": abs})
    assert student["double"](1) is None and "triple" not in student
    assert isinstance(names["double"], Fallback) and names["double"](-3) == 3 and names["triple"](-2) == 2
    assert names["quadruple"] is print and names["data"] is student["data"]


def test_patched_sets_names_for_the_block_and_restores_them():
    """Inside patched, are the trusted functions the namespace's; after it, even after an error, are the old
    values back and the names that were absent removed?"""
    namespace = {"double": "student's"}
    with pytest.raises(RuntimeError):
        with patched(namespace, {"double": abs, "halve": round}):
            assert namespace == {"double": abs, "halve": round}
            raise RuntimeError("a check failed")
    assert namespace == {"double": "student's"}
