"""Replace each question's solution blocks with its TODO lines and a raise."""

import copy

from ..master import defined_functions, role
from ..solutions import stub


def stub_solutions(cells):
    """
    Stub every question cell.

    Inputs:
    - cells: a list of notebook cells.

    Returns:
    - the cells, question cells stubbed.
    """
    out = []
    for cell in cells:
        if role(cell) == "question":
            cell = copy.deepcopy(cell)
            cell.source = stub(cell.source, defined_functions(cell.source)[0])
        out.append(cell)
    return out
