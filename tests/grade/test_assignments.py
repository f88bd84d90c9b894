"""Tests for backprop.grade.assignments: the assignments of a course, and which one a submitted notebook is."""

import csv
import shutil
import subprocess
import sys

import nbformat
import pytest

from backprop.grade.assignments import course, describe, recognize, sort_files
from backprop.grade.submission import InvalidSubmission
from conftest import COURSE, ROOT

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
    """Is a notebook without metadata named after an assignment that assignment's, the longest name winning?"""
    notebook = read("untitled.ipynb")
    assert recognize(notebook, "short_answers_final.ipynb", DESCRIPTIONS) == "short_answers"
    names = {"tiny": DESCRIPTIONS["tiny"], "tiny_two": {**DESCRIPTIONS["tiny"], "name": "tiny_two"}}
    assert recognize(notebook, "tiny_two-Copy1.ipynb", names) == "tiny_two"


def test_a_notebook_of_no_assignment_or_of_two_is_refused_with_the_reason():
    """Does a notebook defining none of the questions, or as many of two assignments', get a reason, not a guess?"""
    with pytest.raises(InvalidSubmission, match="none of the assignments"):
        recognize(read("notes.ipynb"), "notes.ipynb", DESCRIPTIONS)
    both = {"a": {"questions": ["double"]}, "b": {"questions": ["double", "half"]}}
    with pytest.raises(InvalidSubmission, match="could be a or b"):
        recognize(read("untitled.ipynb"), "untitled.ipynb", both)


def test_files_are_sorted_by_assignment_and_nothing_is_lost():
    """Does every file land in its assignment, in the unrecognized list with a reason, or (when one assignment is
    asked for) with that one unless it is another's?"""
    names = sorted(path.name for path in SUBMITTED.iterdir())
    every = list(DESCRIPTIONS)
    by_assignment, unrecognized, others = sort_files(SUBMITTED, names, DESCRIPTIONS, every)
    assert by_assignment == {"short_answers": ["sa_wrong_values.ipynb", "short_answers.ipynb"],
                             "tiny": ["homework (1).ipynb", "untitled.ipynb"]}
    assert [name for name, _ in unrecognized] == ["notes.ipynb"] and others == []
    by_assignment, unrecognized, others = sort_files(SUBMITTED, names, DESCRIPTIONS, ["tiny"])
    assert by_assignment == {"tiny": ["homework (1).ipynb", "notes.ipynb", "untitled.ipynb"]}
    assert unrecognized == [] and others == ["sa_wrong_values.ipynb", "short_answers.ipynb"]


def rows(path):
    with open(path, newline="") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def test_one_folder_of_two_assignments_is_graded_into_one_results_folder_each(tmp_path):
    """Does the command grade each file as the assignment it is, into RESULTS/<name>/, list the file that is none
    in unrecognized.csv, and grade values (an array, a choice, a number) and a data file read by a setup cell?"""
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
    assert "notes.ipynb" in (results / "unrecognized.csv").read_text()
    assert "1 files are none of the assignments" in done.stderr
    only = subprocess.run([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADERS),
                           "--assignment", "tiny", "--results", str(tmp_path / "only")], cwd=ROOT,
                          capture_output=True, text=True)
    assert only.returncode == 0, only.stderr
    assert list(rows(tmp_path / "only" / "tiny" / "grades.csv")) == ["homework (1).ipynb", "notes.ipynb",
                                                                     "untitled.ipynb"]
    assert not (tmp_path / "only" / "short_answers").exists() and "left for them" in only.stderr


def test_an_unknown_assignment_is_a_usage_error(tmp_path):
    """Does --assignment with a name the course does not have stop the command, naming the ones it has?"""
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(SUBMITTED), "--autograder", str(AUTOGRADERS),
                           "--assignment", "nope", "--results", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "no assignment 'nope'" in done.stderr and "short_answers, tiny" in done.stderr
