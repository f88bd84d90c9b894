"""Read the master notebook and find its questions.

The master is an ordinary notebook whose cells carry one tag each:
- setup: imports the questions need (copied to students and the reference);
- question: one function, its solution inside # BEGIN SOLUTION / # END SOLUTION;
  or one value the student sets (a number, a string, an array, a choice), its
  assignment inside the block (the stub sets it to None);
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


def assigned_names(source):
    """
    The names a cell's top-level statements assign (a = ..., a: T = ...).

    Inputs:
    - source: Python source of a cell.

    Returns:
    - a list of names, in order, without repeats.
    """
    names = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [target.id for target in targets if isinstance(target, ast.Name) and target.id not in names]
    return names


def question_name(source):
    """
    The name a question cell asks for: its one function, or else the one value it assigns.

    Inputs:
    - source: Python source of a question cell.

    Returns:
    - the name, or None when the cell defines no function and assigns no single name.
    """
    functions = defined_functions(source)
    if functions:
        return functions[0]
    values = assigned_names(source)
    return values[0] if len(values) == 1 else None


def is_value_question(source):
    """Whether a question cell asks for a value (a number, a string, an array) rather than a function."""
    return not defined_functions(source)


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
            if len(names) > 1 or question_name(cell.source) is None:
                raise GenerationError(f"question cell {cell.id} must define one function, or assign one value; "
                                      f"it defines {names or assigned_names(cell.source)}")
            solutions[question_name(cell.source)] = cell.source
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
