"""Read the master notebook and find its questions.

The master is an ordinary notebook whose cells carry one tag each:
- setup: imports the questions need (copied to students and the reference);
- question: one function, its solution inside # BEGIN SOLUTION / # END SOLUTION;
- tests: an otter exception-style test file for one question (`name = "..."`),
  hidden cases marked `hidden=True`; instructor-only;
- check: the otter grader set-up (copied to students);
- exploration: training, plots and other cells grading does not need;
- instructor: anything else students must not see.
Untagged cells (markdown) are copied as they are.
"""

import ast
import dataclasses

import nbformat

from .errors import GenerationError

ROLES = ("setup", "question", "tests", "check", "exploration", "instructor")


def role(cell):
    """
    The role tag of a cell.

    Inputs:
    - cell: a notebook cell.

    Returns:
    - one of ROLES, or None for an untagged cell.
    """
    tags = [tag for tag in cell.get("metadata", {}).get("tags", []) if tag in ROLES]
    if len(tags) > 1:
        raise GenerationError(f"cell {cell.get('id')} has several role tags: {tags}")
    return tags[0] if tags else None


@dataclasses.dataclass(frozen=True)
class Question:
    """One question: a function name, its solution cell and its tests' source."""

    name: str
    solution_source: str
    tests_source: str


def defined_functions(source):
    """
    The names of the top-level functions a cell defines.

    Inputs:
    - source: Python source of a cell.

    Returns:
    - a list of names, in order.
    """
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]


def tests_name(source, cell_id):
    """
    The question a tests cell is for: its top-level `name = "..."`.

    Inputs:
    - source: the test file's source; cell_id: for the error message.

    Returns:
    - the name.
    """
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and getattr(node.targets[0], "id", None) == "name"
                and isinstance(node.value, ast.Constant)):
            return node.value.value
    raise GenerationError(f"tests cell {cell_id} does not set name = \"<question>\"")


def read(path):
    """
    Read the master notebook.

    Inputs:
    - path: the .ipynb file.

    Returns:
    - the notebook (nbformat v4).
    """
    return nbformat.read(path, as_version=4)  # its cells are checked by authoring.problems


def questions(notebook):
    """
    The questions of the master, in the order of their tests cells.

    Inputs:
    - notebook: the master notebook.

    Returns:
    - a list of Question; every question cell defines exactly one function
      and has exactly one tests cell, or a GenerationError says otherwise.
    """
    solutions, found = {}, []
    for cell in notebook.cells:
        if role(cell) == "question":
            names = defined_functions(cell.source)
            if len(names) != 1:
                raise GenerationError(f"question cell {cell.id} must define one function; it defines {names}")
            solutions[names[0]] = cell.source
        elif role(cell) == "tests":
            name = tests_name(cell.source, cell.id)
            if name not in solutions:
                raise GenerationError(f"tests cell {cell.id} is for {name!r}, which no question cell above defines")
            if any(question.name == name for question in found):
                raise GenerationError(f"question {name!r} has two tests cells")
            found.append(Question(name, solutions[name], cell.source))
    untested = sorted(set(solutions) - {question.name for question in found})
    if untested:
        raise GenerationError(f"questions without a tests cell: {untested}")
    return found
