"""Drop the cells only instructors may see."""

from ..master import role


def drop_instructor_cells(cells):
    """
    Remove cells tagged instructor.

    Inputs:
    - cells: a list of notebook cells.

    Returns:
    - the other cells.
    """
    return [cell for cell in cells if role(cell) != "instructor"]
