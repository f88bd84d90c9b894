"""Tests for backprop.grade.assignments: the assignments of a course, and which one a submitted notebook is."""

import csv
import shutil
import subprocess
import sys

import nbformat
import pytest

from backprop.grade.assignments import course, describe, read_any, recognize
from backprop.grade.sorting import sort_files
from backprop.grade.submission import InvalidSubmission
from conftest import COURSE, FAST, ROOT

AUTOGRADERS = COURSE / "autograder"
SUBMITTED = COURSE / "submissions"
DESCRIPTIONS = {name: describe(folder) for name, folder in course(AUTOGRADERS).items()}


def test_a_course_lists_its_assignments_and_one_folder_is_one_assignment():
    """Does autograder/ give every assignment by name, autograder/<name> just that one, and an unknown name or an
    empty folder a message naming what there is?"""
    assert list(course(AUTOGRADERS)) == ["short_answers", "tiny"]
    assert course(AUTOGRADERS / "tiny") == {"tiny": (AUTOGRADERS / "tiny").resolve()}
    assert list(course(AUTOGRADERS, ["tiny"])) == ["tiny"]
    with pytest.raises(ValueError, match="no assignment 'nope'.*short_answers, tiny"):
        course(AUTOGRADERS, ["nope"])
    with pytest.raises(ValueError, match="run `make assign` first"):
        course(ROOT / "tests" / "fixtures" / "formats")


def test_the_description_is_read_from_the_master():
    """Does assignment.json carry the name, the first heading as title, the notebook, the questions in order with
    their points and total, the data files and the Gradescope settings, all from the master?"""
    short = DESCRIPTIONS["short_answers"]
    assert (short["name"], short["title"], short["notebook"]) == ("short_answers", "Short answers", "short_answers.ipynb")
    assert short["questions"] == ["centroid", "points_center", "best_choice", "point_count"]
    assert short["points"] == {"centroid": 2, "points_center": 2, "best_choice": 2, "point_count": 2}
    assert short["total"] == 8 and short["files"] == ["data/points.csv"]
    assert short["gradescope"] == {"max_files": 2, "call_seconds": 5}


def read(name):
    return nbformat.read(SUBMITTED / name, as_version=4)


@pytest.mark.parametrize("file, assignment", [
    ("homework (1).ipynb", "tiny"),  # renamed by the student: its metadata says which
    ("untitled.ipynb", "tiny"),  # no metadata, another name: what it defines says which
    ("sa_wrong_values.ipynb", "short_answers"),
])
def test_a_notebook_is_recognized_whatever_its_name(file, assignment):
    """Is a submitted notebook matched to its assignment by its metadata, else its file name, else its questions?"""
    assert recognize(read(file), file, DESCRIPTIONS) == assignment


def test_the_file_name_decides_when_the_metadata_is_gone():
    """Is a notebook without metadata named after an assignment that assignment's (when what it defines says
    nothing against it: here, none of any assignment's questions), the longest name winning?"""
    assert recognize(read("notes.ipynb"), "short_answers_final.ipynb", DESCRIPTIONS) == "short_answers"
    names = {"tiny": DESCRIPTIONS["tiny"], "tiny_two": {**DESCRIPTIONS["tiny"], "name": "tiny_two"}}
    assert recognize(read("untitled.ipynb"), "tiny_two-Copy1.ipynb", names) == "tiny_two"


def test_a_notebook_of_no_assignment_or_of_two_is_refused_with_the_reason():
    """Does a notebook defining none of the questions, or as many of two assignments', get a reason, not a guess?"""
    with pytest.raises(InvalidSubmission, match="none of the assignments"):
        recognize(read("notes.ipynb"), "notes.ipynb", DESCRIPTIONS)
    both = {"a": {"questions": ["double"]}, "b": {"questions": ["double", "half"]}}
    with pytest.raises(InvalidSubmission, match="could be a or b"):
        recognize(read("untitled.ipynb"), "untitled.ipynb", both)


def test_a_claim_yields_to_the_questions_defined():
    """Does a notebook whose metadata (or name) claims one assignment, but which defines none of its questions and
    some of another's, go to the other (metadata copied from the wrong file)?"""
    notebook = read("homework (1).ipynb")
    notebook.metadata["backprop"]["assignment"] = "short_answers"
    assert recognize(notebook, "short_answers_final.ipynb", DESCRIPTIONS) == "tiny"


def test_a_zip_of_several_notebooks_is_read_for_the_assignment_s_own(tmp_path):
    """Is a zip holding scratch.ipynb beside tiny.ipynb read as tiny.ipynb when sorting, as grading reads it?"""
    import zipfile

    with zipfile.ZipFile(tmp_path / "export.zip", "w") as archive:
        archive.writestr("scratch.ipynb", (SUBMITTED / "notes.ipynb").read_text())
        archive.writestr("tiny.ipynb", (SUBMITTED / "untitled.ipynb").read_text())
    assert recognize(read_any(tmp_path / "export.zip", DESCRIPTIONS), "export.zip", DESCRIPTIONS) == "tiny"


def test_two_folders_of_one_assignment_are_refused(tmp_path):
    """Does a backup copy of an assignment's folder (same name in assignment.json) stop grading, naming both?"""
    shutil.copytree(AUTOGRADERS / "tiny", tmp_path / "tiny")
    shutil.copytree(AUTOGRADERS / "tiny", tmp_path / "tiny.bak")
    with pytest.raises(ValueError, match="two folders describe the assignment 'tiny'"):
        course(tmp_path)


def test_files_are_sorted_by_assignment_and_nothing_is_lost():
    """Does every file land in its assignment, or in the not-graded list with a reason (none of the assignments, or
    another assignment's when one is asked for), a file that fits none going to the one assignment asked for?"""
    names = sorted(path.name for path in SUBMITTED.iterdir())
    every = list(DESCRIPTIONS)
    by_assignment, not_graded = sort_files(SUBMITTED, names, DESCRIPTIONS, every, FAST, jobs=2)
    assert by_assignment == {"short_answers": ["sa_wrong_values.ipynb", "short_answers.ipynb"],
                             "tiny": ["homework (1).ipynb", "untitled.ipynb"]}
    assert [name for name, _ in not_graded] == ["notes.ipynb"]
    by_assignment, not_graded = sort_files(SUBMITTED, names, DESCRIPTIONS, ["tiny"], FAST)
    assert by_assignment == {"tiny": ["homework (1).ipynb", "notes.ipynb", "untitled.ipynb"]}
    assert [(name, reason.split(",")[0]) for name, reason in not_graded] == [
        ("sa_wrong_values.ipynb", "a notebook of short_answers"), ("short_answers.ipynb", "a notebook of short_answers")]


def test_a_file_too_costly_to_read_fits_no_assignment_and_costs_nothing_else(tmp_path):
    """Does a notebook whose one cell takes long to parse (many statements) get a row saying why, within the time
    limit and in a worker, while the other files are sorted?"""
    import nbformat

    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(SUBMITTED / "untitled.ipynb", folder / "untitled.ipynb")
    heavy = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("+1\n" * 300_000)])
    nbformat.write(heavy, folder / "heavy.ipynb")
    limits = FAST.__class__(call_seconds=1.0, submission_seconds=60.0)
    by_assignment, not_graded = sort_files(folder, ["heavy.ipynb", "untitled.ipynb"], DESCRIPTIONS,
                                           list(DESCRIPTIONS), limits)
    assert by_assignment["tiny"] == ["untitled.ipynb"], (by_assignment, not_graded)
    assert [name for name, _ in not_graded] == ["heavy.ipynb"], not_graded
    assert any(words in not_graded[0][1] for words in ("took", "memory")), not_graded


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def test_one_folder_of_two_assignments_is_graded_into_one_results_folder_each(tmp_path):
    """Does the command grade each file as the assignment it is, into RESULTS/<name>/, list the file that is none
    in not_graded.csv, and grade values (an array, a choice, a number) and a data file read by a setup cell?"""
    folder = tmp_path / "class"
    shutil.copytree(SUBMITTED, folder)
    results = tmp_path / "results"
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADERS),
                           "--results", str(results), "--jobs", "2"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    short, tiny = rows(results / "short_answers" / "grades.csv"), rows(results / "tiny" / "grades.csv")
    assert {name: row["score"] for name, row in tiny.items()} == {"homework (1).ipynb": "2", "untitled.ipynb": "2"}
    assert short["short_answers.ipynb"]["score"] == "8" and short["short_answers.ipynb"]["message"] == ""
    wrong = short["sa_wrong_values.ipynb"]  # right kinds earn the public point only; "4" is not a number
    assert [wrong[q] for q in DESCRIPTIONS["short_answers"]["questions"]] == ["0", "1", "1", "0"]
    assert "notes.ipynb" in (results / "not_graded.csv").read_text(encoding="utf-8-sig")
    assert "1 files were not graded" in done.stderr
    only = subprocess.run([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADERS),
                           "--assignment", "tiny", "--results", str(tmp_path / "only")], cwd=ROOT,
                          capture_output=True, text=True)
    assert only.returncode == 0, only.stderr
    assert list(rows(tmp_path / "only" / "tiny" / "grades.csv")) == ["homework (1).ipynb", "notes.ipynb",
                                                                     "untitled.ipynb"]
    assert not (tmp_path / "only" / "short_answers").exists()
    assert "a notebook of short_answers" in (tmp_path / "only" / "not_graded.csv").read_text(encoding="utf-8-sig")


def test_a_rerun_leaves_no_stale_row(tmp_path):
    """When a file is gone, or moved to another assignment, does the next run's grades.csv drop it, and its
    not_graded.csv list only this run's files (or go away)?"""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(SUBMITTED / "untitled.ipynb", folder / "alice.ipynb")
    shutil.copy(SUBMITTED / "notes.ipynb", folder / "notes.ipynb")
    results = tmp_path / "results"
    command = [sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADERS), "--results",
               str(results), "--jobs", "1"]
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    assert list(rows(results / "tiny" / "grades.csv")) == ["alice.ipynb"] and (results / "not_graded.csv").exists()
    (folder / "alice.ipynb").unlink()
    (folder / "notes.ipynb").unlink()
    shutil.copy(SUBMITTED / "short_answers.ipynb", folder / "bob.ipynb")
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    assert list(rows(results / "tiny" / "grades.csv")) == [] and not (results / "not_graded.csv").exists()
    assert list(rows(results / "short_answers" / "grades.csv")) == ["bob.ipynb"]


def test_an_unknown_assignment_is_a_usage_error(tmp_path):
    """Does --assignment with a name the course does not have stop the command, naming the ones it has?"""
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(SUBMITTED), "--autograder", str(AUTOGRADERS),
                           "--assignment", "nope", "--results", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "no assignment 'nope'" in done.stderr and "short_answers, tiny" in done.stderr
