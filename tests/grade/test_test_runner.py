"""Tests for backprop.grade.test_runner: otter test files run here against a notebook's functions.

On the fixture course: tests/fixtures/tiny_autograder (double, then quadruple, which calls double), graded
in-process or in the sandbox, and the short_answers assignment (a function and value questions).
"""

from backprop.grade.sandboxed import SandboxedNotebook
from backprop.grade.test_runner import not_graded, run_question
from backprop.sandbox.process import Limits
from conftest import COURSE, SHORT_ANSWERS, namespace_of, points_of, questions_of


def test_messages_carry_no_test_source(tiny_autograder):
    """Does a failed case carry the check's message only, not otter's 'Error at line' with test source?"""
    namespace = namespace_of(tiny_autograder / "reference.py")
    namespace["double"] = lambda x: (abs(x), x)
    result = run_question(tiny_autograder / "tests" / "double.py", namespace)
    assert result.score < result.possible and result.failures()
    for case in result.failures():
        assert "Error at line" not in case.message and "def " not in case.message


def test_a_missing_function_gets_a_clear_message(tiny_autograder):
    """Is an undefined function reported as not defined, for every case of its question?"""
    namespace = namespace_of(tiny_autograder / "reference.py")
    del namespace["quadruple"]
    result = run_question(tiny_autograder / "tests" / "quadruple.py", namespace)
    assert result.cases and all("quadruple is not defined" in c.message for c in result.cases)


def test_a_crashing_call_costs_its_own_case_only(tiny_autograder):
    """When a call kills the sandbox in one case, do the question's other cases still run and pass?"""
    source = (tiny_autograder / "reference.py").read_text() + (
        "\nimport numpy as np\n"
        "_reference_double = double\n"
        "def double(x):\n"
        "    if np.shape(x) == (2, 2):\n"  # only the second case, an array, uses this shape
        "        import os\n"
        "        os._exit(9)\n"
        "    return _reference_double(x)\n")
    with SandboxedNotebook([(0, source)], questions_of(tiny_autograder), Limits(call_seconds=2.0)) as notebook:
        result = run_question(tiny_autograder / "tests" / "double.py", notebook)
    failed = result.failures()
    assert [c.name for c in failed] == ["double: an array"] and len(result.cases) == 3
    assert "exited with code 9" in failed[0].message and "restarted" in failed[0].message
    assert notebook.starts == 2


def test_not_graded_fails_every_case_with_the_reason():
    """Does an invalid submission get every case of every question failed with the reason, points intact?"""
    questions = questions_of(SHORT_ANSWERS)
    results = not_graded(SHORT_ANSWERS / "tests", questions, "not graded: empty")
    assert [r.name for r in results] == questions
    assert [r.possible for r in results] == [points_of(SHORT_ANSWERS, name) for name in questions]
    assert sum(r.possible for r in results) == points_of(SHORT_ANSWERS) and all(r.score == 0 for r in results)
    assert all(c.message == "not graded: empty" for r in results for c in r.cases)


def test_a_plain_dict_runs_in_process(tiny_autograder):
    """Can trusted fixtures be graded in-process by passing their namespace as a dict?"""
    result = run_question(tiny_autograder / "tests" / "double.py", namespace_of(tiny_autograder / "reference.py"))
    assert result.score == result.possible > 0


def test_a_value_answer_cannot_be_computed_by_the_grader_s_reference(tmp_path):
    """When a notebook hooks the sandbox to catch the reference function handed over for a wrong question, and
    writes its result into a value answer's shared array, does the answer still count as what the notebook set
    (values are copied when read, and no trusted function is handed over while a value question is checked)?"""
    import nbformat

    from backprop.grade import grade_file

    notebook = nbformat.read(COURSE / "submissions" / "short_answers.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.source.startswith("def centroid("):
            cell.source = "def centroid(points):\n    raise NotImplementedError('centroid: replace this line')"
        elif cell.source.startswith("points_center ="):
            cell.source = (COURSE / "cells" / "reference_oracle.py").read_text()
    nbformat.write(notebook, tmp_path / "oracle.ipynb")
    result = grade_file(tmp_path / "oracle.ipynb", COURSE / "autograder" / "short_answers")
    scores = {question.name: question.score for question in result.questions}
    assert scores["centroid"] == 0 and scores["points_center"] == 1  # the kind is right, the value is not
