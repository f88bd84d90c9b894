"""Clear outputs and execution counts, so generated notebooks are reproducible."""

import copy


def clear_outputs(cells):
    """
    Remove every code cell's outputs and execution count.

    Inputs:
    - cells: a list of notebook cells.

    Returns:
    - the cleared cells.
    """
    out = []
    for cell in cells:
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        out.append(cell)
    return out
