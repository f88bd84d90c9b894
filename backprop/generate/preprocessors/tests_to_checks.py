"""Replace each tests cell with the student's grader.check cell for that question."""

from nbformat.v4 import new_code_cell

from ..master import role, tests_name


def check_cell(question):
    """
    The cell that runs a question's public tests in the student's notebook.

    Inputs:
    - question: the question's name.

    Returns:
    - a code cell tagged check, with a stable id.
    """
    cell = new_code_cell(f'grader.check("{question}")')
    cell.id = f"check-{question}"
    cell.metadata["tags"] = ["check"]
    return cell


def tests_to_checks(cells):
    """
    Swap tests cells for check cells.

    Inputs:
    - cells: a list of notebook cells.

    Returns:
    - the cells, each tests cell replaced by its check cell.
    """
    return [check_cell(tests_name(cell.source, cell.id)) if role(cell) == "tests" else cell
            for cell in cells]
