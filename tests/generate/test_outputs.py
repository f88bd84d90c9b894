"""Tests for backprop.generate.outputs: the committed generated files and what they must not contain."""

import json
import pathlib
import re

import nbformat
import pytest

from backprop.generate import render, stale_files, write
from backprop.generate.errors import GenerationError
from backprop.generate.master import questions, read
from backprop.generate.solutions import solution_lines
from conftest import MASTER, ROOT


def test_generated_files_are_current():
    """Are the committed assignment/ and autograder/ exactly what the master generates now?"""
    assert stale_files(ROOT, MASTER) == [], "run `make assign` and commit the result"


def test_stale_and_leftover_files_are_reported_and_fixed(tmp_path):
    """Does the staleness check see an edited, a missing and a leftover file, and does write fix all three?"""
    write(tmp_path, MASTER)
    (tmp_path / "assignment" / "feedback.py").write_text("# edited\n")
    (tmp_path / "autograder" / "reference.py").unlink()
    (tmp_path / "autograder" / "tests" / "old_question.py").write_text("")
    assert stale_files(tmp_path, MASTER) == [
        "assignment/feedback.py", "autograder/reference.py", "autograder/tests/old_question.py"]
    write(tmp_path, MASTER)
    assert stale_files(tmp_path, MASTER) == []


def test_generation_is_deterministic():
    """Does rendering twice give the same bytes (no timestamps, random ids)?"""
    assert render(MASTER) == render(MASTER)


def assignment_texts():
    """Every file students get, as (path, text)."""
    return [(path, path.read_text()) for path in sorted((ROOT / "assignment").rglob("*")) if path.is_file()]


def test_no_solution_code_reaches_students():
    """Does no line of any solution block appear in any file under assignment/?"""
    master = read(MASTER)
    texts = assignment_texts()
    for question in questions(master):
        for line in solution_lines(question.solution_source, question.name):
            leaks = [str(path) for path, text in texts if line in text]
            assert not leaks, f"solution line {line!r} of {question.name} found in {leaks}"


def test_no_hidden_test_reaches_students():
    """Do the student's test files hold no hidden case, no reference import and no hidden test's name?"""
    master = read(MASTER)
    for question in questions(master):
        public = (ROOT / "assignment" / "tests" / f"{question.name}.py").read_text()
        assert "hidden=True" not in public
        assert not re.search(r"^\s*(import reference|from (reference|trusted) import)", public, re.M)
        hidden_names = re.findall(r'@test_case\(name="([^"]+)"[^)]*hidden=True', question.tests_source)
        assert hidden_names, f"{question.name} has no hidden test"
        for hidden_name in hidden_names:
            assert hidden_name not in public
    assert not (ROOT / "assignment" / "reference.py").exists()
    assert not (ROOT / "assignment" / "trusted.py").exists()


def test_student_notebook_has_stubs_checks_and_no_outputs():
    """Does every question cell raise NotImplementedError, follow with its grader.check, and carry no output?"""
    notebook = nbformat.read(ROOT / "assignment" / "two_layer_net.ipynb", as_version=4)
    sources = [cell.source for cell in notebook.cells]
    order = json.loads((ROOT / "autograder" / "questions.json").read_text())
    for name in order:
        definition = next(i for i, s in enumerate(sources) if s.startswith(f"def {name}("))
        assert "raise NotImplementedError" in sources[definition]
        assert sources[definition + 1] == f'grader.check("{name}")'
    assert all(not cell.get("outputs") and cell.get("execution_count") is None
               for cell in notebook.cells if cell.cell_type == "code")
    assert not any("BEGIN SOLUTION" in s or "BEGIN TESTS" in s for s in sources)


def test_questions_follow_the_issue_api():
    """Is there one question per function of the student API, in notebook order?"""
    assert [q.name for q in questions(read(MASTER))] == [
        "affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss",
        "two_layer_net_loss", "numerical_gradient", "predict"]
    assert pathlib.Path(ROOT / "autograder" / "tests").is_dir()


TINY = ROOT / "tests" / "fixtures" / "masters" / "tiny.ipynb"


def test_make_assign_says_what_it_wrote_changed_and_removed(tmp_path):
    """Does write report new files as wrote, edited ones as changed and a generated file no longer made as removed?"""
    first = write(tmp_path, TINY)
    assert {action for action, _ in first} == {"wrote"} and ("wrote", "autograder/tests/double.py") in first
    assert ("wrote", "assignment/tiny.ipynb") in first  # named after its master, like every header
    assert "from solutions/tiny.ipynb" in (tmp_path / "autograder" / "tests" / "double.py").read_text()
    (tmp_path / "assignment" / "feedback.py").write_text("# edited\n")
    (tmp_path / "autograder" / "tests" / "old_question.py").write_text("")
    assert write(tmp_path, TINY) == [("changed", "assignment/feedback.py"), ("removed", "autograder/tests/old_question.py")]
    assert write(tmp_path, TINY) == []


def test_a_file_the_master_does_not_make_is_never_deleted(tmp_path):
    """Does a data file put in assignment/ by hand stop make assign, kept, with nothing written?"""
    write(tmp_path, TINY)
    (tmp_path / "assignment" / "digits.csv").write_text("1,2,3\n")
    (tmp_path / "assignment" / "feedback.py").write_text("# edited\n")
    with pytest.raises(GenerationError, match="digits.csv: not made by the master"):
        write(tmp_path, TINY)
    assert (tmp_path / "assignment" / "digits.csv").read_text() == "1,2,3\n"
    assert (tmp_path / "assignment" / "feedback.py").read_text() == "# edited\n"


def test_declared_data_files_reach_students_and_the_autograder(tmp_path):
    """Is a file the master lists in its metadata (backprop.files) copied, byte for byte, to both folders?"""
    import nbformat

    folder = tmp_path / "solutions"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "points.npy").write_bytes(b"\x93NUMPY\x00\xff")
    notebook = nbformat.read(TINY, as_version=4)
    notebook.metadata["backprop"] = {"files": ["data/points.npy"]}
    nbformat.write(notebook, folder / "tiny.ipynb")
    assert ("wrote", "assignment/data/points.npy") in write(tmp_path, folder / "tiny.ipynb")
    assert (tmp_path / "autograder" / "data" / "points.npy").read_bytes() == b"\x93NUMPY\x00\xff"
    notebook.metadata["backprop"] = {"files": ["../outside.txt"]}
    nbformat.write(notebook, folder / "tiny.ipynb")
    with pytest.raises(GenerationError, match="must be a file under"):
        write(tmp_path, folder / "tiny.ipynb")
