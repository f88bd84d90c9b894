"""Tests for backprop.grade.notebook_code: which cells grading runs."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from backprop.grade import definition_cells
from backprop.grade.notebook_code import as_python


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


def test_grader_cells_are_skipped_even_without_their_tags():
    """Are untagged cells that only import otter or call grader.check/export skipped, and mixed cells kept?"""
    nb = new_notebook(cells=[cell("import otter\ngrader = otter.Notebook('tiny.ipynb')"),
                             cell("grader.check('double')  # run me"), cell("grader.export(pdf=False)"),
                             cell("import otter\ndef f():\n    return 1")])
    assert [index for index, _ in definition_cells(nb)] == [3]


def test_plain_python_cells_are_not_translated():
    """Is a cell that parses as Python passed on as it is (IPython's translation is slow and not needed)?"""
    class Refuses:
        def transform_cell(self, source):
            raise AssertionError("translated a plain Python cell")

    source = "def f(x):\n    return x  # !not a shell command\n"
    assert as_python(source, Refuses()) is source
