"""Tests for backprop.grade: definition cells, loading them, and running test files."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from backprop.grade import definition_cells, load_definitions, run_question
from conftest import AUTOGRADER, namespace_of


def cell(source, *tags):
    """A code cell with tags."""
    made = new_code_cell(source)
    made.metadata["tags"] = list(tags)
    return made


def test_definition_cells_skip_checks_and_exploration_but_keep_student_cells():
    """Are check, exploration and markdown cells skipped, and untagged student cells kept with magics translated?"""
    nb = new_notebook(cells=[cell("import numpy as np", "setup"), cell("grader.check('f')", "check"),
                             new_markdown_cell("text"), cell("train()", "exploration"),
                             cell("%matplotlib inline\ndef helper(): pass")])
    sources = [source for _, source in definition_cells(nb)]
    assert len(sources) == 2
    assert sources[0].strip() == "import numpy as np" and "get_ipython()" in sources[1]


def test_load_definitions_records_failing_cells_and_keeps_going():
    """Does a crashing cell become an error entry while later cells still define their names?"""
    namespace, errors = load_definitions([(0, "1 / 0"), (1, "def f():\n    return 2"), (2, "print('noise')")])
    assert errors == [(0, "ZeroDivisionError: division by zero")]
    assert namespace["f"]() == 2


def test_run_question_reports_messages_without_test_source():
    """Does a failed case carry the check's message only, not otter's 'Error at line' with test source?"""
    namespace = namespace_of(AUTOGRADER / "reference.py")
    namespace["relu_forward"] = lambda x: (abs(x), x)
    result = run_question(AUTOGRADER / "tests" / "relu_forward.py", namespace)
    assert result.score < result.possible
    for case in result.failures():
        assert "Error at line" not in case.message and "def " not in case.message


def test_run_question_survives_system_exit():
    """Does a function calling sys.exit cost its own cases only, instead of ending the grading?"""
    namespace = namespace_of(AUTOGRADER / "reference.py")

    def leaves(x):
        raise SystemExit(3)

    namespace["relu_forward"] = leaves
    result = run_question(AUTOGRADER / "tests" / "relu_forward.py", namespace)
    assert result.score == 0 and all("SystemExit" in c.message for c in result.cases)


def test_a_notebook_missing_a_function_gets_a_clear_message():
    """Is an undefined function reported as not defined, for every case of its question?"""
    namespace = namespace_of(AUTOGRADER / "reference.py")
    del namespace["predict"]
    result = run_question(AUTOGRADER / "tests" / "predict.py", namespace)
    assert all("predict is not defined" in c.message for c in result.cases)
