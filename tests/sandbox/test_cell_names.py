"""Tests for backprop.sandbox.cell_names: how a message names a notebook cell, by its first line of code."""

import pytest

from backprop.sandbox.cell_names import cell_name


@pytest.mark.parametrize("source, name", [
    ("# Train the network\n\n   \n  import numpy as np\nx = 1", "import numpy as np"),
    ("print(`1`)", "print('1')"),
    ("", "(empty)"),
])
def test_a_cell_is_named_by_its_first_line_of_code(source, name):
    """Is a cell named by its first line that is not blank or a comment, with backticks made quotes (the name
    sits between backticks)?"""
    assert cell_name(source) == f"the cell that starts `{name}`"


def test_a_long_first_line_is_cut():
    """Is a first line longer than 60 characters cut to 60, saying so with an ellipsis?"""
    line = "def f(x): return " + "x + " * 40 + "x"
    quoted = cell_name(line + "\n    pass\n").removeprefix("the cell that starts `").removesuffix("`")
    assert len(quoted) == 60 and quoted.endswith("...") and line.startswith(quoted[:-3])


def test_a_name_holds_no_control_characters():
    """Are terminal escapes and line breaks (a cell of comments only is named by its text) kept out of a name?"""
    for source in ("print('\x1b[2J')", "# only\n# comments"):
        assert all(ord(character) >= 32 for character in cell_name(source))
