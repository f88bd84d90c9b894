"""Tests for backprop.grade.submission: reading a submitted file, and refusing what is not this assignment."""

import io
import zipfile

import pytest

from backprop.grade.submission import InvalidSubmission, check_assignment, read_notebook
from conftest import COURSE_SAMPLES, SHORT_ANSWERS, questions_of

# The fixture course's short_answers assignment and its samples (tests/fixtures/course/samples).
SAMPLES = COURSE_SAMPLES
ASKED = questions_of(SHORT_ANSWERS)  # short_answers' questions, in notebook order


@pytest.mark.parametrize("name, words", [
    ("empty.ipynb", "empty"),
    ("truncated.ipynb", "not valid notebook JSON"),
    ("corrupt_export.zip", "not a readable zip"),
])
def test_unreadable_files_say_why(name, words):
    """Do an empty file, cut-off JSON and a broken zip each raise InvalidSubmission with a plain reason?"""
    with pytest.raises(InvalidSubmission, match=words):
        read_notebook(SAMPLES / name)


@pytest.mark.parametrize("name, words", [
    ("encrypted_export.zip", "is encrypted"),
    ("bad_deflate_export.zip", "invalid block type"),
])
def test_zips_that_fail_while_unpacking_are_invalid_files(name, words):
    """Do an encrypted zip and a corrupt compressed stream say the zip cannot be read (not 'the grader failed')?"""
    with pytest.raises(InvalidSubmission, match=f"not a readable zip.*{words}"):
        read_notebook(SAMPLES / name)


def test_a_symbolic_link_is_not_followed(tmp_path):
    """Is a link named like a notebook refused, whatever it points to (the grader may read what the student cannot)?"""
    link = tmp_path / "short_answers.ipynb"
    link.symlink_to(SAMPLES / "solved.ipynb")
    with pytest.raises(InvalidSubmission, match="symbolic link"):
        read_notebook(link)


def test_the_notebook_inside_an_export_zip_is_read():
    """Is the notebook in otter's export zip (next to .OTTER_LOG and __zip_filename__) the one read?"""
    notebook = read_notebook(SAMPLES / "loops_export.zip")
    assert any("for point in points:" in cell.source for cell in notebook.cells)


def make_zip(tmp_path, names):
    """A zip holding a minimal notebook under each name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, (SAMPLES / "no_code.ipynb").read_text())
    path = tmp_path / "upload.zip"
    path.write_bytes(buffer.getvalue())
    return path


def test_zips_with_no_or_several_notebooks_are_refused_unless_one_is_the_assignments(tmp_path):
    """Is a zip with no notebook, or with several and none named as the assignment's notebook, refused by name?"""
    with pytest.raises(InvalidSubmission, match="no .ipynb"):
        read_notebook(make_zip(tmp_path, ["notes.txt"]))
    with pytest.raises(InvalidSubmission, match="several notebooks"):
        read_notebook(make_zip(tmp_path, ["a.ipynb", "b.ipynb"]))
    with pytest.raises(InvalidSubmission, match="several notebooks"):
        read_notebook(make_zip(tmp_path, ["old/scratch.ipynb", "tiny.ipynb"]))
    assert read_notebook(make_zip(tmp_path, ["old/scratch.ipynb", "tiny.ipynb"]), "tiny.ipynb").cells


@pytest.mark.parametrize("text, words", [
    ('{"cells": []}', "not a Jupyter notebook"),
    ("[1, 2, 3]", "not a Jupyter notebook"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}', "cannot be read"),
    ('{"nbformat": 3, "worksheets": {"cells": []}}', "not a Jupyter notebook"),
    ('{"nbformat": 3, "worksheets": [{"cells": 5}]}', "not a Jupyter notebook"),
    ('{"nbformat": 3, "worksheets": [7]}', "not a Jupyter notebook"),
])
def test_json_that_is_not_a_notebook_is_refused(tmp_path, text, words):
    """Is JSON without a notebook's structure refused with a message, not a traceback?"""
    path = tmp_path / "x.ipynb"
    path.write_text(text)
    with pytest.raises(InvalidSubmission, match=words):
        read_notebook(path)


def test_an_nbformat_3_notebook_is_read_as_version_4():
    """Is a notebook in the old format (worksheets, code in "input") converted, its cells and tags kept?"""
    notebook = read_notebook(SAMPLES / "solved.nbformat3.ipynb")
    reference = read_notebook(SAMPLES / "solved.ipynb")
    assert notebook.nbformat == 4 and [c.source for c in notebook.cells] == [c.source for c in reference.cells]
    assert [c.metadata.get("tags") for c in notebook.cells] == [c.metadata.get("tags") for c in reference.cells]


@pytest.mark.parametrize("version", [1, 2])
def test_nbformat_1_and_2_notebooks_are_read_as_version_4(version):
    """Are the oldest formats (code in "code", or in worksheets' "input") converted to version 4, code kept?"""
    notebook = read_notebook(SAMPLES / f"tiny.nbformat{version}.ipynb")
    assert notebook.nbformat == 4 and [c.source for c in notebook.cells] == ["def double(x):\n    return 2 * x"]


def test_other_file_types_and_binary_content_are_refused(tmp_path):
    """Are a .pdf and binary bytes named .ipynb refused?"""
    pdf = tmp_path / "answers.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    with pytest.raises(InvalidSubmission, match="not a .ipynb"):
        read_notebook(pdf)
    binary = tmp_path / "x.ipynb"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(InvalidSubmission, match="not text"):
        read_notebook(binary)


def test_a_notebook_without_code_or_of_another_assignment_is_refused():
    """Are no code cells, and code that defines none of the assignment's functions, refused?"""
    with pytest.raises(InvalidSubmission, match="no code cells"):
        check_assignment([(0, "   ")], ASKED)
    with pytest.raises(InvalidSubmission, match="defines none"):
        check_assignment([(0, "def fit_line(x, y):\n    pass"), (1, "this is ( not python")], ASKED)
    check_assignment([(0, "def centroid(points):\n    pass")], ASKED)
    check_assignment([(0, "point_count = 4")], ASKED)  # a value question's answer counts too


@pytest.mark.parametrize("text, words", [
    ('{"nbformat": 4, "cells": [], "x": ' + "9" * 5000 + "}", "could have written"),
    ('{"nbformat": 4, "cells": [], "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "could have written"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
     + ", ".join(['{"cell_type": "markdown", "metadata": {}, "source": ""}'] * 2001) + "]}", "more than the 2000"),
])
def test_absurd_json_is_invalid_not_a_grader_failure(tmp_path, text, words):
    """Are a 5000-digit number, 100000-deep nesting and 2001 cells refused as invalid, with a reason?"""
    path = tmp_path / "x.ipynb"
    path.write_text(text)
    with pytest.raises(InvalidSubmission, match=words):
        read_notebook(path)


def test_code_python_cannot_parse_does_not_crash_the_assignment_check():
    """Does a cell too deep for Python's parser count as defining nothing, without raising?"""
    with pytest.raises(InvalidSubmission, match="defines none"):
        check_assignment([(0, "-" * 200_000 + "1")], ASKED)
