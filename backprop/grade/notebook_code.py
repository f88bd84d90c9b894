"""The code grading needs from a notebook: its definition cells.

Every code cell runs except the ones the master marks as not needed for
grading (check, exploration, tests, instructor), and cells that only use
otter's grader (an editor may have dropped their tags). Cells a student added
run too, since their helpers may be needed; IPython syntax (magics,
!commands) is translated to plain Python first.
"""

import ast
import re
import tokenize

from IPython.core.inputtransformer2 import TransformerManager

SKIPPED_ROLES = {"check", "exploration", "tests", "instructor"}
SET_UP_MARKER = "# Set-up of the checks"  # the first line of the student notebook's set-up cell (generate.support)
UNREADABLE = (SyntaxError, ValueError, RecursionError, MemoryError)  # what parsing odd source raises (not a timeout)
GRADER_LINE = re.compile(r"(import otter|from otter import .*|grader\s*=\s*otter\.Notebook\(.*\)|grader\.\w+\(.*\)"
                         r"|from feedback import show_messages_only|show_messages_only\(\))\s*(#.*)?")


def only_uses_the_grader(source):
    """
    True for a cell whose every statement is an otter grader line (import otter, grader.check(...), ...).

    Inputs:
    - source: the cell's source.

    Returns:
    - a bool (False for an empty cell).
    """
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(GRADER_LINE.fullmatch(line) for line in lines)


def as_python(source, transformer):
    """
    A cell's source as plain Python: as it is when it parses, else with IPython syntax translated.

    Translating is slow on cells full of !commands (IPython rescans the cell for each), so cells that are
    plain Python already, nearly all of them, skip it. A cell IPython cannot translate either (a dedent that
    matches no block makes its tokenizer raise IndentationError) is returned as it is: running it fails with
    its own error, which costs that cell only, not the notebook.

    Inputs:
    - source: the cell's source; transformer: an IPython TransformerManager.

    Returns:
    - Python source.
    """
    try:
        ast.parse(source)
        return source
    except UNREADABLE:
        pass
    try:
        return transformer.transform_cell(source)
    except UNREADABLE + (tokenize.TokenError,):
        return source


def _tags(cell):
    """A cell's tags: the strings in its metadata's list of tags (an editor may have written null, or anything)."""
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return {tag for tag in tags if isinstance(tag, str)} if isinstance(tags, list) else set()


def _runs_in_grading(cell):
    """Whether grading runs a cell: a code cell not tagged as skipped, and not only grader lines."""
    source = cell.get("source", "")
    return (cell.get("cell_type") == "code" and not _tags(cell) & SKIPPED_ROLES and not only_uses_the_grader(source)
            and not (isinstance(source, str) and source.startswith(SET_UP_MARKER)))


def _bound(node):
    """The names a top-level statement binds: a def or class, an assignment to names, an import."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [target.id for target in node.targets if isinstance(target, ast.Name)]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names if alias.name != "*"]
    return []


def skipped_definitions(notebook):
    """
    The names (functions, classes, variables, imports) defined in code cells grading does not run.

    A student's helper defined there exists in their kernel but not in the grader's: the message of a
    NameError for it can then say where it is and what to do.

    Inputs:
    - notebook: an nbformat notebook (v4).

    Returns:
    - dict name -> the source of the cell that defines it.
    """
    found = {}
    for cell in notebook.cells:
        if cell.get("cell_type") != "code" or _runs_in_grading(cell):
            continue
        try:
            tree = ast.parse(cell.get("source", ""))
        except UNREADABLE:
            continue
        for node in tree.body:
            for name in _bound(node):
                found.setdefault(name, cell.get("source", ""))
    return found


def definition_cells(notebook):
    """
    The sources of the cells to run for grading.

    Inputs:
    - notebook: an nbformat notebook (v4).

    Returns:
    - a list of (cell index, Python source) pairs, in notebook order.
    """
    transformer = TransformerManager()
    cells = []
    for index, cell in enumerate(notebook.cells):
        if _runs_in_grading(cell):
            cells.append((index, as_python(cell.get("source", ""), transformer)))
    return cells
