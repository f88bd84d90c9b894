"""Fuzz backprop.grade.submission: any file is read as a notebook or refused with InvalidSubmission, quickly.

A notebook it accepts must also be one notebook_code can take the grading cells from: that is what grade_file
does next.
"""

import pathlib
import tempfile
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.grade.notebook_code import definition_cells, skipped_definitions
from backprop.grade.submission import InvalidSubmission, read_notebook
from conftest import FIXTURES

from .strategies import examples, json_bytes, notebook_bytes, zip_bytes

FOUND = FIXTURES / "fuzz" / "found"  # inputs the fuzzing found, each of which once crashed the reader
SECONDS = 10.0  # reading one file of at most a few MB, on a shared machine
SUFFIXES = st.sampled_from([".ipynb", ".zip", ".IPYNB", ".Zip"])
pytestmark = [pytest.mark.filterwarnings("ignore:`make_tokens_by_line`:UserWarning"),  # IPython, on odd line ends
              pytest.mark.filterwarnings("ignore::nbformat.warnings.MissingIDFieldWarning")]  # 4.5 cells without ids


def read(data, suffix):
    """
    Read bytes saved as a submitted file, checking the reader's contract.

    Returns:
    - the notebook, or None when it was refused (with a message).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / f"submission{suffix}"
        path.write_bytes(data)
        started = time.monotonic()
        try:
            notebook = read_notebook(path)
        except InvalidSubmission as reason:
            assert str(reason).strip()
            notebook = None
        assert time.monotonic() - started < SECONDS
    if notebook is not None:
        assert notebook.nbformat == 4 and isinstance(notebook.cells, list)
        assert all(isinstance(cell, dict) and isinstance(cell.get("source", ""), str) for cell in notebook.cells)
        started = time.monotonic()
        cells = definition_cells(notebook)
        elsewhere = skipped_definitions(notebook)
        assert time.monotonic() - started < SECONDS
        indices = [index for index, _ in cells]
        assert indices == sorted(set(indices)) and all(0 <= index < len(notebook.cells) for index in indices)
        assert all(isinstance(source, str) for _, source in cells)
        assert all(isinstance(name, str) and isinstance(source, str) for name, source in elsewhere.items())
    return notebook


@settings(max_examples=examples(1.0))
@given(data=st.binary(max_size=4000), suffix=SUFFIXES)
def test_any_bytes_are_a_notebook_or_invalid(data, suffix):
    """Are random bytes, saved as a .ipynb or a .zip, read as a notebook or refused, never an other exception?"""
    read(data, suffix)


@settings(max_examples=examples(1.0))
@given(data=json_bytes())
def test_any_json_is_a_notebook_or_invalid(data):
    """Is any JSON document (deep, huge numbers, odd text, BOM, UTF-16) read as a notebook or refused?"""
    read(data, ".ipynb")


@settings(max_examples=examples(1.0))
@given(data=notebook_bytes)
def test_malformed_notebooks_of_any_nbformat_are_read_or_refused(data):
    """Is a notebook of nbformat 1 to 5, real or made up, with fields missing or of the wrong type, read (and its
    grading cells found) or refused, never an other exception?"""
    read(data, ".ipynb")


@settings(max_examples=examples(0.5))
@given(data=zip_bytes())
def test_any_zip_archive_is_a_notebook_or_invalid(data):
    """Is a zip of any members, names, compression and damage read as its notebook or refused?"""
    read(data, ".zip")


@pytest.mark.parametrize("name", sorted(path.name for path in FOUND.iterdir()))
def test_inputs_the_fuzzing_found_are_read_or_refused(name):
    """Is each file that once crashed reading (zips with a corrupt LZMA or bzip2 stream, a header pointing before the
    file's start, a member name flagged UTF-8 that is not; a cell whose tags are null) now read or refused?"""
    read((FOUND / name).read_bytes(), pathlib.Path(name).suffix)


def test_a_cell_whose_tags_are_null_is_graded_as_untagged():
    """Does a code cell with "tags": null in its metadata run in grading, as a cell without tags, rather than make
    the whole notebook unreadable?"""
    notebook = read((FOUND / "tags_null.ipynb").read_bytes(), ".ipynb")
    assert definition_cells(notebook) == [(0, notebook.cells[0].source)]
