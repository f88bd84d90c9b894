"""Tests for backprop.generate.authoring: authoring mistakes stop generation, each named with its cell and line."""

import nbformat
import pytest

from backprop.generate import __main__ as generate
from backprop.generate.authoring import problems
from conftest import COURSE, ROOT

TINY = COURSE / "solutions" / "tiny.ipynb"


def tiny():
    """The tiny master: setup, one question (double), its tests (one public, one hidden), a check cell."""
    return nbformat.read(TINY, as_version=4)


def cell(notebook, cell_id):
    """The cell with this id."""
    return next(c for c in notebook.cells if c.id == cell_id)


def untagged_cell(nb):
    nb.cells.insert(2, nbformat.v4.new_code_cell("ANSWER = 42", id="stray"))


def misspelled_tag(nb):
    cell(nb, "setup-imports").metadata["tags"] = ["setpu"]


def no_solution_block(nb):
    question = cell(nb, "solution-double")
    question.source = "\n".join(line for line in question.source.split("\n") if "SOLUTION" not in line)


def code_after_the_block(nb):
    question = cell(nb, "solution-double")
    question.source = question.source.replace("    return y", "    y = 2 * x\n    return y")


def solution_in_the_return(nb):
    question = cell(nb, "solution-double")
    question.source = question.source.replace("    return y", "    return 2 * x")


def hidden_by_name(nb):
    tests = cell(nb, "tests-double")
    tests.source = tests.source.replace("hidden=True", "hidden=HIDDEN").replace("OK_FORMAT", "HIDDEN = True\nOK_FORMAT")


def import_in_a_public_test(nb):
    tests = cell(nb, "tests-double")
    tests.source = tests.source.replace("def test_public(double, env):\n",
                                        "def test_public(double, env):\n    import reference as ref\n")


def import_by_name(nb):
    tests = cell(nb, "tests-double")
    tests.source = tests.source.replace("def test_public(double, env):\n",
                                        "def test_public(double, env):\n    ref = __import__('importlib')"
                                        ".import_module('reference')\n")


def syntax_error(nb):
    question = cell(nb, "solution-double")
    question.source = question.source.replace("y = 2 * x", "y = 2 * * x")


def value_question(nb, source):
    """Put a value question (and its tests cell) after the function question."""
    question = nbformat.v4.new_code_cell(source, id="solution-answer")
    question.metadata["tags"] = ["question"]
    tests = nbformat.v4.new_code_cell('from otter.test_files import test_case\nname = "answer"\n\n\n'
                                      '@test_case(points=1)\ndef set_(answer):\n    assert answer is not None\n\n\n'
                                      '@test_case(points=1, hidden=True)\ndef right(answer):\n    assert answer == 3\n',
                                      id="tests-answer")
    tests.metadata["tags"] = ["tests"]
    nb.cells[5:5] = [question, tests]


def value_outside_the_block(nb):
    value_question(nb, "# BEGIN SOLUTION\n# TODO: set answer.\n# END SOLUTION\nanswer = 3")


def value_question_setting_two_names(nb):
    value_question(nb, "# BEGIN SOLUTION\nanswer = 3\nother = 4\n# END SOLUTION")


@pytest.mark.parametrize("mistake, where, words", [
    (value_outside_the_block, "cell 6 (id 'solution-answer'), line 4", "a value question's assignment"),
    (value_question_setting_two_names, "cell 6 (id 'solution-answer')", "assigns ['answer', 'other']"),
    (untagged_cell, "cell 3 (id 'stray')", "without a role tag"),
    (misspelled_tag, "cell 2 (id 'setup-imports')", "unknown tag 'setpu'"),
    (no_solution_block, "cell 4 (id 'solution-double')", "without a solution block"),
    (code_after_the_block, "cell 4 (id 'solution-double'), line 15", "code after '# END SOLUTION'"),
    (solution_in_the_return, "cell 4 (id 'solution-double'), line 15", "code after '# END SOLUTION'"),
    (hidden_by_name, "cell 5 (id 'tests-double'), line 16", "hidden= must be the literal True or False"),
    (import_in_a_public_test, "cell 5 (id 'tests-double'), line 12", "import of an instructor-only module"),
    (import_by_name, "cell 5 (id 'tests-double'), line 12", "the name 'reference'"),
    (syntax_error, "cell 4 (id 'solution-double'), line 13", "does not parse"),
])
def test_each_authoring_mistake_is_named_with_its_cell_and_line(mistake, where, words):
    """Is each mistake that would leak a solution or a hidden test, or fail only when grading, found, with the
    cell's position and id, the line, and what to do?"""
    notebook = tiny()
    mistake(notebook)
    found = [str(problem) for problem in problems(notebook)]
    assert len(found) == 1 and found[0].startswith(where) and words in found[0], found


@pytest.mark.parametrize("master", sorted((COURSE / "solutions").glob("*.ipynb"))
                         + sorted((ROOT / "solutions").glob("*.ipynb")), ids=lambda path: path.stem)
def test_a_correct_master_has_no_problem(master):
    """Do the fixture course's masters and the course's own pass every check?"""
    assert problems(nbformat.read(master, as_version=4)) == []


def test_make_assign_writes_nothing_and_exits_1_on_a_mistake(tmp_path, capsys):
    """With an authoring mistake, does the generator write no file, exit 1, and list every problem?"""
    notebook = tiny()
    untagged_cell(notebook)
    hidden_by_name(notebook)
    master = tmp_path / "solutions" / "tiny.ipynb"
    master.parent.mkdir()
    nbformat.write(notebook, master)
    assert generate.main(["--root", str(tmp_path), "--master", str(master)]) == 1
    error = capsys.readouterr().err
    assert "2 authoring mistakes" in error and "nothing was written" in error and "id 'stray'" in error
    assert sorted(path.name for path in tmp_path.iterdir()) == ["solutions"]


def too_few_hidden_points(nb):
    tests = cell(nb, "tests-double")
    tests.source = tests.source.replace("@test_case(points=1)", "@test_case(points=3)")


def exploration_syntax_error(nb):
    exploration = nbformat.v4.new_code_cell("%matplotlib inline\nfor x in range(3)\n    print(x)", id="explore")
    exploration.metadata["tags"] = ["exploration"]
    nb.cells.append(exploration)


@pytest.mark.parametrize("mistake, where, words", [
    (too_few_hidden_points, "cell 5 (id 'tests-double')", "hidden cases hold 1 of 4 points"),
    (exploration_syntax_error, "cell 7 (id 'explore'), line 2", "does not parse"),
])
def test_a_weak_hidden_share_and_a_broken_exploration_cell_are_mistakes(mistake, where, words):
    """Are hidden cases holding less than half of a question's points, and an exploration cell students would get
    broken (its %magics aside), named like every other mistake?"""
    notebook = tiny()
    mistake(notebook)
    found = [str(problem) for problem in problems(notebook)]
    assert len(found) == 1 and found[0].startswith(where) and words in found[0], found


def test_a_solution_line_in_a_public_test_stops_generation(tmp_path):
    """Does a public test whose code repeats a solution line word for word (students would get it) stop make
    assign, naming the line and the file?"""
    from backprop.generate.errors import GenerationError
    from backprop.generate.outputs import render

    notebook = tiny()
    tests = cell(notebook, "tests-double")
    tests.source = tests.source.replace("def test_public(double, env):\n",
                                        "def test_public(double, env):\n    y = 2 * x if False else None\n")
    master = tmp_path / "solutions" / "tiny.ipynb"
    master.parent.mkdir()
    nbformat.write(notebook, master)
    with pytest.raises(GenerationError, match=r"the solution line 'y = 2 \* x' is also in assignment/tiny/tests/"):
        render(master)
