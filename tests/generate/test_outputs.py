"""Tests for backprop.generate.outputs: each master's generated files, where they go, and what they must not contain."""

import json
import pathlib
import re

import nbformat
import pytest

from backprop.generate import render, stale_files, write
from backprop.generate.errors import GenerationError
from backprop.generate.master import questions, read
from backprop.generate.solutions import solution_lines
from conftest import COURSE, ROOT

TINY = COURSE / "solutions" / "tiny.ipynb"


MASTERS = sorted((ROOT / "solutions").glob("*.ipynb"))  # the course's assignments, whatever they are


def ids(path):
    return path.stem


@pytest.mark.parametrize("master", MASTERS, ids=ids)
def test_generated_files_are_current(master):
    """Are each master's committed assignment/<name>/ and autograder/<name>/ exactly what it generates now?"""
    assert stale_files(ROOT, master) == [], "run `make assign` and commit the result"


def test_stale_and_leftover_files_are_reported_and_fixed(tmp_path):
    """Does the staleness check see an edited, a missing and a leftover file, and does write fix all three?"""
    write(tmp_path, TINY)
    (tmp_path / "assignment" / "tiny" / "feedback.py").write_text("# edited\n")
    (tmp_path / "autograder" / "tiny" / "reference.py").unlink()
    (tmp_path / "autograder" / "tiny" / "tests" / "old_question.py").write_text("")
    assert stale_files(tmp_path, TINY) == [
        "assignment/tiny/feedback.py", "autograder/tiny/reference.py", "autograder/tiny/tests/old_question.py"]
    write(tmp_path, TINY)
    assert stale_files(tmp_path, TINY) == []


@pytest.mark.parametrize("master", MASTERS, ids=ids)
def test_generation_is_deterministic(master):
    """Does rendering twice give the same bytes (no timestamps, random ids)?"""
    assert render(master) == render(master)


def handout_texts(name):
    """Every file students get of one assignment, as (path, text)."""
    return [(path, path.read_text(errors="replace")) for path in sorted((ROOT / "assignment" / name).rglob("*"))
            if path.is_file()]


@pytest.mark.parametrize("master", MASTERS, ids=ids)
def test_no_solution_code_reaches_students(master):
    """Does no line of any solution block appear in any file under assignment/<name>/?"""
    texts = handout_texts(master.stem)
    for question in questions(read(master)):
        for line in solution_lines(question.solution_source, question.name):
            leaks = [str(path) for path, text in texts if line in text]
            assert not leaks, f"solution line {line!r} of {question.name} found in {leaks}"


@pytest.mark.parametrize("master", MASTERS, ids=ids)
def test_no_hidden_test_reaches_students(master):
    """Do the student's test files hold no hidden case, no reference import and no hidden test's name?"""
    handout = ROOT / "assignment" / master.stem
    for question in questions(read(master)):
        public = (handout / "tests" / f"{question.name}.py").read_text()
        assert "hidden=True" not in public
        assert not re.search(r"^\s*(import reference|from (reference|trusted) import)", public, re.M)
        hidden_names = re.findall(r'@test_case\(name="([^"]+)"[^)]*hidden=True', question.tests_source)
        assert hidden_names, f"{question.name} has no hidden test"
        for hidden_name in hidden_names:
            assert hidden_name not in public
    assert not (handout / "reference.py").exists()
    assert not (handout / "assignment.json").exists()


@pytest.mark.parametrize("master", MASTERS, ids=ids)
def test_student_notebook_has_stubs_checks_and_no_outputs(master):
    """Is every question cell a stub (a raise, or a value set to None), followed by its grader.check, with no output,
    and does the notebook say which assignment it is?"""
    notebook = nbformat.read(ROOT / "assignment" / master.stem / f"{master.stem}.ipynb", as_version=4)
    assert notebook.metadata["backprop"] == {"assignment": master.stem}
    sources = [cell.source for cell in notebook.cells]
    order = json.loads((ROOT / "autograder" / master.stem / "assignment.json").read_text())["questions"]
    for name in order:
        definition = next(i for i, s in enumerate(sources) if s.startswith(f"def {name}(")
                          or re.search(rf"^{name} = None  #", s, re.M))
        assert "raise NotImplementedError" in sources[definition] or f"{name} = None" in sources[definition]
        assert sources[definition + 1] == f'grader.check("{name}")'
    assert all(not cell.get("outputs") and cell.get("execution_count") is None
               for cell in notebook.cells if cell.cell_type == "code")
    assert not any("BEGIN SOLUTION" in s or "BEGIN TESTS" in s for s in sources)




def test_make_assign_says_what_it_wrote_changed_and_removed(tmp_path):
    """Does write report new files as wrote, edited ones as changed and a generated file no longer made as removed?"""
    first = write(tmp_path, TINY)
    assert {action for action, _ in first} == {"wrote"} and ("wrote", "autograder/tiny/tests/double.py") in first
    assert ("wrote", "assignment/tiny/tiny.ipynb") in first  # named after its master, like every header
    assert "from solutions/tiny.ipynb" in (tmp_path / "autograder" / "tiny" / "tests" / "double.py").read_text()
    (tmp_path / "assignment" / "tiny" / "feedback.py").write_text("# edited\n")
    (tmp_path / "autograder" / "tiny" / "tests" / "old_question.py").write_text("")
    assert write(tmp_path, TINY) == [("changed", "assignment/tiny/feedback.py"),
                                     ("removed", "autograder/tiny/tests/old_question.py")]
    assert write(tmp_path, TINY) == []


def test_a_file_the_master_does_not_make_is_never_deleted(tmp_path):
    """Does a data file put in assignment/ by hand stop make assign, kept, with nothing written?"""
    write(tmp_path, TINY)
    (tmp_path / "assignment" / "tiny" / "digits.csv").write_text("1,2,3\n")
    (tmp_path / "assignment" / "tiny" / "feedback.py").write_text("# edited\n")
    with pytest.raises(GenerationError, match="digits.csv: not made by the master"):
        write(tmp_path, TINY)
    assert (tmp_path / "assignment" / "tiny" / "digits.csv").read_text() == "1,2,3\n"
    assert (tmp_path / "assignment" / "tiny" / "feedback.py").read_text() == "# edited\n"


def test_declared_data_files_reach_students_and_the_autograder(tmp_path):
    """Is a file the master lists in its metadata (backprop.files) copied, byte for byte, to both folders?"""
    folder = tmp_path / "solutions"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "points.npy").write_bytes(b"\x93NUMPY\x00\xff")
    notebook = nbformat.read(TINY, as_version=4)
    notebook.metadata["backprop"] = {"files": ["data/points.npy"]}
    nbformat.write(notebook, folder / "tiny.ipynb")
    assert ("wrote", "assignment/tiny/data/points.npy") in write(tmp_path, folder / "tiny.ipynb")
    assert (tmp_path / "autograder" / "tiny" / "data" / "points.npy").read_bytes() == b"\x93NUMPY\x00\xff"
    notebook.metadata["backprop"] = {"files": ["../outside.txt"]}
    nbformat.write(notebook, folder / "tiny.ipynb")
    with pytest.raises(GenerationError, match="is missing: it must be a file under"):
        write(tmp_path, folder / "tiny.ipynb")
