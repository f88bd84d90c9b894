"""Tests for backprop.generate.scaffold: make new-assignment NAME=<name> starts a master that generates as it is."""

import json

import nbformat
import pytest

from backprop.generate import __main__ as generate
from backprop.generate import scaffold
from backprop.generate.master import questions, read, role


def test_a_new_master_generates_grades_and_verifies(tmp_path, capsys):
    """Does the scaffolded master have a function question and a short-answer question with public and hidden
    tests, every code cell tagged, and does make assign accept it (solution full marks, stubs not implemented)?"""
    assert scaffold.main(["linear_fit", "--root", str(tmp_path)]) == 0
    master = read(tmp_path / "solutions" / "linear_fit.ipynb")
    assert all(role(cell) for cell in master.cells if cell.cell_type == "code")
    found = questions(master)
    assert len(found) == 2 and all("hidden=True" in question.tests_source for question in found)
    text = "\n".join(cell.source for cell in master.cells)
    assert "ASSIGNMENT_" not in text and 'otter.Notebook("linear_fit.ipynb")' in text
    assert generate.main(["--root", str(tmp_path), "--assignment", "linear_fit"]) == 0
    description = json.loads((tmp_path / "autograder" / "linear_fit" / "assignment.json").read_text())
    assert description["title"] == "Linear fit" and description["total"] == 6
    student = nbformat.read(tmp_path / "assignment" / "linear_fit" / "linear_fit.ipynb", as_version=4)
    assert any("= None  # your answer here" in cell.source for cell in student.cells)


def test_two_scaffolds_get_distinct_cell_ids(tmp_path):
    """Are cell ids fresh per master, as Jupyter makes them, so that two masters never share one?"""
    scaffold.scaffold(root=tmp_path, name="a")
    scaffold.scaffold(root=tmp_path, name="b")
    ids = [{cell.id for cell in read(tmp_path / "solutions" / f"{name}.ipynb").cells} for name in "ab"]
    assert not ids[0] & ids[1]


@pytest.mark.parametrize("name, words", [("Linear Fit", "lowercase letters"), ("2d", "lowercase letters"),
                                         ("a" * 300, "at most 64"), ("", "name the assignment")])
def test_an_unusable_name_is_refused(tmp_path, capsys, name, words):
    """Is a name that cannot name a folder and a notebook refused with what to use?"""
    try:
        status = scaffold.main([name, "--root", str(tmp_path)] if name else ["--root", str(tmp_path)])
    except SystemExit as stop:
        status = stop.code
    assert status != 0 and words in capsys.readouterr().err
    assert not (tmp_path / "solutions").exists() or not list((tmp_path / "solutions").iterdir())


def test_an_existing_master_is_never_overwritten(tmp_path, capsys):
    """Does scaffolding a name that has a master already stop, leaving the master as it was?"""
    path = scaffold.scaffold(root=tmp_path, name="a")
    path.write_text("{}")
    assert scaffold.main(["a", "--root", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err and path.read_text() == "{}"
