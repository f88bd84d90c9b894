"""Grade one notebook file in this process (trusted fixtures; see the package docstring)."""

import json
import pathlib

import nbformat

from .namespace import load_definitions
from .notebook_code import definition_cells
from .test_runner import run_tests


def question_order(autograder_dir):
    """
    The questions, in notebook order.

    Inputs:
    - autograder_dir: the generated autograder folder.

    Returns:
    - a list of question names.
    """
    return json.loads((pathlib.Path(autograder_dir) / "questions.json").read_text())


def grade_notebook(path, autograder_dir):
    """
    Run a notebook's definition cells and every question's tests against them.

    Inputs:
    - path: the .ipynb file.
    - autograder_dir: the generated autograder folder.

    Returns:
    - results: a list of QuestionResult, in notebook order.
    - cell_errors: a list of (cell index, message) for cells that raised.
    """
    namespace, cell_errors = load_definitions(definition_cells(nbformat.read(path, as_version=4)))
    autograder_dir = pathlib.Path(autograder_dir)
    return run_tests(autograder_dir / "tests", namespace, question_order(autograder_dir)), cell_errors
