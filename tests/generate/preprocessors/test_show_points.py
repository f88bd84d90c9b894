"""Tests for backprop.generate.preprocessors.show_points: points in headings and the total, read off the tests."""

import nbformat.v4 as nbf
import pytest

from backprop.generate import GenerationError
from backprop.generate.preprocessors.show_points import show_points


def question_cell(source):
    return nbf.new_code_cell(source, metadata={"tags": ["question"]})


def cell_of_tests(name, *points):
    """A tests cell for a question, one test_case per entry of points (a literal, as written in the cell)."""
    cases = "".join(f"\n@test_case(points={p})\ndef case_{i}({name}):\n    pass\n" for i, p in enumerate(points))
    return nbf.new_code_cell(f'from otter.test_files import test_case\nname = "{name}"\n{cases}',
                             metadata={"tags": ["tests"]})


def notebook():
    """Two questions under their headings, a third right after the second, and a question without tests."""
    return [
        nbf.new_markdown_cell("# Tiny homework\n\nWorth {{ total_points }} points in all."),
        nbf.new_markdown_cell("## Double\n\nMultiply by two."),
        nbf.new_markdown_cell("Some words between the heading and the code."),
        question_cell("def double(x):\n    return 2 * x"),
        cell_of_tests("double", 1, 2),
        nbf.new_markdown_cell("## Quadruple"),
        question_cell("def quadruple(x):\n    return double(double(x))"),
        cell_of_tests("quadruple", 1.5),
        question_cell("def halve(x):\n    return x / 2"),
        cell_of_tests("halve", 2),
        nbf.new_markdown_cell("## Ungraded"),
        question_cell("def triple(x):\n    return 3 * x"),
    ]


def test_headings_above_question_cells_get_their_points():
    """Does the heading above each question cell get its tests' points on its first line, the rest kept, once
    (a question right after another adds nothing to it), while a question without tests leaves its heading
    alone?"""
    cells = show_points(notebook())
    assert cells[1].source == "## Double (3 points)\n\nMultiply by two."
    assert cells[5].source == "## Quadruple (1.5 points)"
    assert cells[10].source == "## Ungraded"
    assert cells[2].source == "Some words between the heading and the code."


def test_the_total_is_the_sum_of_every_test_case():
    """Is {{ total_points }} replaced by the sum of every tests cell's points?"""
    assert show_points(notebook())[0].source == "# Tiny homework\n\nWorth 6.5 points in all."


def test_the_input_cells_are_left_alone():
    """Are the cells given unchanged (new cells are returned)?"""
    cells = notebook()
    show_points(cells)
    assert cells[1].source == "## Double\n\nMultiply by two." and "{{ total_points }}" in cells[0].source


@pytest.mark.parametrize("points", ["None", '"2"', "n"])
def test_a_test_case_without_numeric_points_is_an_error(points):
    """Is a test_case whose points= is missing or not a number a GenerationError?"""
    cells = notebook()
    cells[4] = cell_of_tests("double", 1, points)
    cells[4].source = cells[4].source.replace("points=None", "")
    with pytest.raises(GenerationError, match="every test_case needs points=<a number>"):
        show_points(cells)
