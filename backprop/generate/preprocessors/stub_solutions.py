"""Replace each question's solution blocks with its TODO lines and a raise."""

import copy

from ..master import is_value_question, question_name, role
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
            cell.source = stub(cell.source, question_name(cell.source), is_value_question(cell.source))
        out.append(cell)
    return out
