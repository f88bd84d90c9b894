"""Show each question's points in its heading, and the total where the text asks for it.

The points are read from the tests cells, so the notebook can never
disagree with the grade: the heading above a question cell gets
"(N points)", and `{{ total_points }}` in any markdown cell becomes the sum.
"""

import ast
import copy

from ..errors import GenerationError
from ..master import question_name, role, tests_name

TOTAL = "{{ total_points }}"


def case_points(source, cell_id):
    """
    The points of every test case a tests cell defines, summed.

    Inputs:
    - source: the tests cell; cell_id: for errors.

    Returns:
    - the sum of the cases' points= (an int when every case's is).
    """
    total = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "test_case":
            points = [k.value for k in node.keywords if k.arg == "points"]
            if not points or not isinstance(points[0], ast.Constant) or not isinstance(points[0].value, (int, float)):
                raise GenerationError(f"tests cell {cell_id}: every test_case needs points=<a number>")
            total += points[0].value
    return total


def _with_points(cell, points):
    """A heading cell whose first line ends with its question's points."""
    cell = copy.deepcopy(cell)
    first, _, rest = cell.source.partition("\n")
    cell.source = f"{first.rstrip()} ({points:g} points)" + (f"\n{rest}" if rest else "")
    return cell


def show_points(cells):
    """
    Put the points into the headings and the total into the text.

    Inputs:
    - cells: a list of notebook cells, tests cells included.

    Returns:
    - the cells, headings and totals filled in.
    """
    points = {tests_name(cell.source, cell.get("id")): case_points(cell.source, cell.get("id"))
              for cell in cells if role(cell) == "tests"}
    out = list(cells)
    heading = None
    for index, cell in enumerate(out):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            heading = index
        elif role(cell) == "question" and heading is not None:
            name = question_name(cell.source)
            if name in points:
                out[heading] = _with_points(out[heading], points[name])
            heading = None
    total = f"{sum(points.values()):g}"
    for index, cell in enumerate(out):
        if cell.cell_type == "markdown" and TOTAL in cell.source:
            out[index] = copy.deepcopy(cell)
            out[index].source = cell.source.replace(TOTAL, total)
    return out
