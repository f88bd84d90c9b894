"""The code grading needs from a notebook: its definition cells.

Every code cell runs except the ones the master marks as not needed for
grading (check, exploration, tests, instructor). Cells a student added run
too, since their helpers may be needed; IPython syntax (magics, !commands) is
translated to plain Python first.
"""

from IPython.core.inputtransformer2 import TransformerManager

SKIPPED_ROLES = {"check", "exploration", "tests", "instructor"}


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
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "code" and not tags & SKIPPED_ROLES:
            cells.append((index, transformer.transform_cell(cell.get("source", ""))))
    return cells
