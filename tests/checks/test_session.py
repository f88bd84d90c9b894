"""Tests for backprop.checks.session: the student's checks (quiet, names known) and a submission that packs exactly
the notebook worked in. Notebooks of the fixture course's tiny assignment run for real, with nbclient."""

import contextlib
import io
import json
import shutil
import zipfile

import nbformat
import pytest
from nbclient import NotebookClient

from backprop.checks.session import Checks
from backprop.grade import grade_file
from conftest import COURSE

TINY = COURSE / "assignment" / "tiny"
SOLVED = (COURSE / "implementations" / "tiny_double.py").read_text()


def checks(monkeypatch):
    """The tiny assignment's checks in this process, as its set-up cell starts them in a kernel."""
    monkeypatch.syspath_prepend(str(TINY))
    monkeypatch.delitem(__import__("sys").modules, "feedback", raising=False)
    return Checks("tiny", ["double"], tests_dir=TINY / "tests")


def test_a_misspelled_question_names_the_questions(monkeypatch):
    """Does a question name that is not one say so, suggest the closest, and list them all?"""
    with pytest.raises(ValueError, match=r"no question named 'dubble' \(did you mean 'double'\?\); the questions "
                                         r"are: double"):
        checks(monkeypatch).check("dubble", {})


def test_what_a_checked_function_prints_is_capped(monkeypatch):
    """Does a function that prints 500 lines during a check show the first lines, then how many were cut, and still
    get its verdict?"""
    def double(x):
        for line in range(500):
            print("debugging", line)
        return 2 * x

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = checks(monkeypatch).check("double", {"double": double})
    lines = printed.getvalue().splitlines()
    assert lines[0] == "debugging 0" and len(lines) <= 22
    assert "more printed lines cut" in lines[-1] and "480" in lines[-1]
    assert "All test cases passed" in repr(result)


def student_notebook(solved=True):
    """The tiny student notebook as generated, its question solved or not."""
    notebook = nbformat.read(TINY / "tiny.ipynb", as_version=4)
    if solved:
        cell = next(cell for cell in notebook.cells if cell.source.startswith("def double("))
        cell.source = SOLVED.strip()
    return notebook


def execute(notebook, folder):
    """Run a notebook in a folder with a real kernel; the text of its last cell's outputs (the submit cell)."""
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    outputs = next(cell for cell in notebook.cells if cell.source.startswith("grader.export(")).outputs
    return "".join(output.get("text", "") or output.get("evalue", "") for output in outputs)


def packed(folder):
    """The notebooks inside the zips the submit cell made in a folder."""
    found = []
    for path in folder.glob("tiny_*.zip"):
        with zipfile.ZipFile(path) as archive:
            found += [json.loads(archive.read(name)) for name in archive.namelist()]
    return found


def test_the_notebook_alone_in_an_empty_folder_checks_and_submits(tmp_path):
    """Does the solved notebook, alone in an empty folder, pass its checks (its set-up cell unpacks them) and pack
    itself into a zip that the grader gives full marks?"""
    notebook = student_notebook()
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    text = execute(notebook, tmp_path)
    assert "Your submission is packed" in text
    check = next(cell for cell in notebook.cells if cell.source == 'grader.check("double")')
    assert "All test cases passed" in json.dumps(check.outputs)
    [zipped] = list(tmp_path.glob("tiny_*.zip"))
    assert grade_file(zipped, COURSE / "autograder" / "tiny").score == 2


def test_a_renamed_copy_is_submitted_not_the_original_beside_it(tmp_path):
    """With the untouched original beside a renamed copy ("Make a Copy") holding the work, does the copy's submit
    cell pack the copy?"""
    nbformat.write(student_notebook(solved=False), tmp_path / "tiny.ipynb")
    copy = student_notebook()
    nbformat.write(copy, tmp_path / "tiny-Copy1.ipynb")
    text = execute(copy, tmp_path)
    assert "made from" in text and "tiny-Copy1.ipynb" in text
    [notebook] = packed(tmp_path)
    assert any(SOLVED.strip() in "".join(cell["source"]) for cell in notebook["cells"])


def test_unsaved_edits_are_refused_with_what_to_do(tmp_path):
    """When the kernel ran code the saved file does not hold (edits not saved), is nothing packed, and does the
    cell say why and what to do?"""
    nbformat.write(student_notebook(solved=False), tmp_path / "tiny.ipynb")
    text = execute(student_notebook(), tmp_path)  # what runs is solved; what is saved is not
    assert "NOT SUBMITTED" in text and "holds the code you ran" in text and "Save" in text
    assert packed(tmp_path) == []


def test_a_notebook_without_work_is_never_sent(tmp_path):
    """Does the untouched notebook, run and saved as handed out, refuse to pack, saying it holds no work?"""
    notebook = student_notebook(solved=False)
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    assert "holds none of your work" in execute(notebook, tmp_path)
    assert packed(tmp_path) == []


def test_the_set_up_cell_is_never_run_by_the_grader(tmp_path):
    """Is the set-up cell (it installs and unpacks) skipped when grading, even with its tags lost?"""
    notebook = student_notebook()
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    result = grade_file(tmp_path / "tiny.ipynb", COURSE / "autograder" / "tiny")
    assert result.score == 2 and result.cell_errors == ()
    shutil.rmtree(tmp_path)
