"""Tests for backprop.grade.test_runner: otter test files run here against a notebook's functions."""

from backprop.grade.sandboxed import SandboxedNotebook
from backprop.grade.test_runner import not_graded, run_question
from backprop.sandbox.process import Limits
from conftest import AUTOGRADER, QUESTIONS, TOTAL, namespace_of, possible

TESTS = AUTOGRADER / "tests"


def test_messages_carry_no_test_source(reference_namespace):
    """Does a failed case carry the check's message only, not otter's 'Error at line' with test source?"""
    reference_namespace["relu_forward"] = lambda x: (abs(x), x)
    result = run_question(TESTS / "relu_forward.py", reference_namespace)
    assert result.score < result.possible
    for case in result.failures():
        assert "Error at line" not in case.message and "def " not in case.message


def test_a_missing_function_gets_a_clear_message(reference_namespace):
    """Is an undefined function reported as not defined, for every case of its question?"""
    del reference_namespace["predict"]
    result = run_question(TESTS / "predict.py", reference_namespace)
    assert all("predict is not defined" in c.message for c in result.cases)


def test_a_crashing_call_costs_its_own_case_only():
    """When a call kills the sandbox in one case, do the question's other cases still run and pass?"""
    source = (AUTOGRADER / "reference.py").read_text() + (
        "\n_reference_relu = relu_forward\n"
        "def relu_forward(x):\n"
        "    if x.shape == (1, 3):\n"  # only the worked example (the second case) uses this shape
        "        import os\n"
        "        os._exit(9)\n"
        "    return _reference_relu(x)\n")
    with SandboxedNotebook([(0, source)], QUESTIONS, Limits(call_seconds=2.0)) as notebook:
        result = run_question(TESTS / "relu_forward.py", notebook)
    failed = result.failures()
    assert [c.name for c in failed] == ["relu_forward: worked example"]
    assert "exited with code 9" in failed[0].message and "restarted" in failed[0].message
    assert notebook.starts == 2


def test_not_graded_fails_every_case_with_the_reason():
    """Does an invalid submission get every case of every question failed with the reason, points intact?"""
    results = not_graded(TESTS, QUESTIONS, "not graded: empty")
    assert [r.name for r in results] == QUESTIONS
    assert [r.possible for r in results] == [possible(name) for name in QUESTIONS]
    assert sum(r.possible for r in results) == TOTAL and all(r.score == 0 for r in results)
    assert all(c.message == "not graded: empty" for r in results for c in r.cases)


def test_a_plain_dict_runs_in_process():
    """Can trusted fixtures be graded in-process by passing their namespace as a dict?"""
    result = run_question(TESTS / "affine_forward.py", namespace_of(AUTOGRADER / "reference.py"))
    assert result.score == result.possible
