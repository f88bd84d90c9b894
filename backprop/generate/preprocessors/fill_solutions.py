"""Keep each question's solution, markers and TODO lines removed."""

import copy

from ..master import question_name, role
from ..solutions import unmark


def fill_solutions(cells):
    """
    Unmark every question cell.

    Inputs:
    - cells: a list of notebook cells.

    Returns:
    - the cells, question cells holding the solution without markers.
    """
    out = []
    for cell in cells:
        if role(cell) == "question":
            cell = copy.deepcopy(cell)
            cell.source = unmark(cell.source, question_name(cell.source))
        out.append(cell)
    return out
