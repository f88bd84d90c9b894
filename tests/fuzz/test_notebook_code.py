"""Fuzz backprop.grade.notebook_code: cells of any source and tags give the cells grading runs, never an exception.

An exception here would make grade_file refuse the whole notebook ("its code cannot be read") for one odd cell.
"""

import ast

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.grade.notebook_code import SKIPPED_ROLES, definition_cells, only_uses_the_grader, skipped_definitions
from conftest import FIXTURES

from .strategies import ROLES, cell_sources, examples, json_values

FOUND = FIXTURES / "fuzz" / "found"
pytestmark = pytest.mark.filterwarnings("ignore:`make_tokens_by_line`:UserWarning")  # IPython, on odd line ends


def parses(source):
    """True when a source is plain Python."""
    try:
        ast.parse(source)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


cells = st.fixed_dictionaries({
    "cell_type": st.sampled_from(["code", "code", "code", "markdown", "raw"]), "source": cell_sources,
    "metadata": st.one_of(st.fixed_dictionaries({"tags": st.lists(st.sampled_from(sorted(SKIPPED_ROLES) + ROLES),
                                                                  max_size=2)}),
                          st.fixed_dictionaries({"tags": json_values}), st.just({}))})


@settings(max_examples=examples(1.0))
@given(cells=st.lists(cells, max_size=6))
def test_cells_of_any_source_and_tags_give_the_grading_cells(cells):
    """Do cells of any source (IPython syntax, bad indentation, unclosed strings) and any tags give exactly the untagged
    code cells that do more than use otter's grader, in order, each as text (unchanged when it is plain Python)?"""
    notebook = nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
    found = definition_cells(notebook)
    expected = [index for index, cell in enumerate(cells) if cell["cell_type"] == "code"
                and not (isinstance(cell["metadata"].get("tags"), list) and SKIPPED_ROLES.intersection(
                    tag for tag in cell["metadata"]["tags"] if isinstance(tag, str)))
                and not only_uses_the_grader(cell["source"])]
    assert [index for index, _ in found] == expected
    for index, source in found:
        assert isinstance(source, str)
        assert source == cells[index]["source"] or not parses(cells[index]["source"])
    assert all(isinstance(name, str) and isinstance(text, str) for name, text in skipped_definitions(notebook).items())


def test_a_cell_ipython_cannot_translate_is_kept_as_it_is():
    """Is a cell whose dedent matches no block (IPython's tokenizer raises IndentationError) kept as it is, to fail
    alone when it runs, rather than making every cell of the notebook unreadable?"""
    notebook = nbformat.read(FOUND / "dedent_matches_no_block.ipynb", as_version=4)
    assert definition_cells(notebook) == [(0, notebook.cells[0].source), (1, notebook.cells[1].source)]
