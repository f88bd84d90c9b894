"""Tests for backprop.generate.solutions: solution blocks to stubs and back."""

import pytest

from backprop.generate import GenerationError
from backprop.generate.solutions import solution_lines, stub, unmark

CELL = '''def f(x):
    """Doubles."""
    # BEGIN SOLUTION
    # TODO: double x.
    y = 2 * x
    # END SOLUTION
    return y'''


def test_stub_keeps_todo_and_raises():
    """Does a stub keep the TODO lines, drop the solution and raise NotImplementedError naming the function?"""
    result = stub(CELL, "f")
    assert "# TODO: double x." in result
    assert "2 * x" not in result
    assert 'raise NotImplementedError("f: replace this line with your code")' in result
    namespace = {}
    exec(result, namespace)
    with pytest.raises(NotImplementedError, match="f:"):
        namespace["f"](1)


def test_unmark_keeps_solution_without_markers_or_todo():
    """Does the reference version run the solution, with no markers and no TODO left?"""
    result = unmark(CELL, "f")
    assert "BEGIN" not in result and "TODO" not in result
    namespace = {}
    exec(result, namespace)
    assert namespace["f"](3) == 6


def test_every_block_of_a_cell_is_stubbed():
    """Does a cell with a block inside an if still give valid Python?"""
    cell = CELL.replace("    return y", "    if x:\n        # BEGIN SOLUTION\n        y = 0\n        # END SOLUTION\n    return y")
    result = stub(cell, "f")
    assert result.count("raise NotImplementedError") == 2
    compile(result, "f", "exec")


@pytest.mark.parametrize("broken", [
    CELL.replace("    # END SOLUTION\n", ""),
    CELL.replace("    # BEGIN SOLUTION\n", ""),
    CELL.replace("    # END SOLUTION\n", "    # BEGIN SOLUTION\n"),
    "def f(x):\n    return x",
])
def test_malformed_blocks_are_errors(broken):
    """Is an unclosed, unopened or nested block, or a cell with no block, a GenerationError?"""
    with pytest.raises(GenerationError):
        stub(broken, "f")


def test_solution_lines_are_code_only():
    """Are solution lines the block's code lines, without comments?"""
    assert solution_lines(CELL, "f") == ["y = 2 * x"]
