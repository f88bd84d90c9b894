"""Small notebook preprocessors, one per module, applied in order (nbgrader style).

Each is a function cells -> cells that returns new cells and leaves its input
alone. STUDENT builds the notebook students get; SOLVED builds the same
notebook with the solutions filled in (for the framework's own tests).
"""

from .clear_outputs import clear_outputs
from .drop_instructor_cells import drop_instructor_cells
from .fill_solutions import fill_solutions
from .show_points import show_points
from .stub_solutions import stub_solutions
from .tests_to_checks import tests_to_checks

STUDENT = (show_points, drop_instructor_cells, stub_solutions, tests_to_checks, clear_outputs)
SOLVED = (show_points, drop_instructor_cells, fill_solutions, tests_to_checks, clear_outputs)


def apply(cells, preprocessors):
    """
    Run cells through preprocessors in order.

    Inputs:
    - cells: a list of notebook cells.
    - preprocessors: a sequence of functions cells -> cells.

    Returns:
    - the resulting list of cells.
    """
    for preprocess in preprocessors:
        cells = preprocess(cells)
    return cells
