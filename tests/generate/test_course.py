"""Tests for python -m backprop.generate over a course: several masters side by side, each read as data."""

import json
import shutil

import nbformat
import pytest

from backprop.generate import __main__ as generate
from backprop.generate.errors import GenerationError
from backprop.generate.outputs import render, stale_files
from conftest import COURSE, ROOT

MASTERS = sorted((COURSE / "solutions").glob("*.ipynb"))


@pytest.fixture
def course(tmp_path):
    """A copy of the fixture course's masters (and their data files) in a new repository root."""
    shutil.copytree(COURSE / "solutions", tmp_path / "solutions")
    return tmp_path


def made(root):
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                  if path.is_file() and "solutions" not in path.parts)


@pytest.mark.parametrize("master", MASTERS, ids=lambda path: path.stem)
def test_the_fixture_course_is_current(master):
    """Are the committed tests/fixtures/course/assignment/ and autograder/ what the masters generate now?"""
    assert stale_files(COURSE, master) == [], "run python -m backprop.generate --root tests/fixtures/course"


def test_two_masters_generate_side_by_side(course, capsys):
    """Does one run generate each master into assignment/<name>/ and autograder/<name>/, neither replacing the
    other, each notebook named after its master, and a second run find everything current?"""
    assert generate.main(["--root", str(course)]) == 0
    files = made(course)
    for name in ("tiny", "short_answers"):
        assert f"assignment/{name}/{name}.ipynb" in files and f"autograder/{name}/assignment.json" in files
    assert "assignment/short_answers/data/points.csv" in files and "autograder/short_answers/data/points.csv" in files
    assert not any(path.startswith(("assignment/tests", "autograder/tests")) for path in files)
    capsys.readouterr()
    assert generate.main(["--root", str(course)]) == 0
    assert capsys.readouterr().out.count("every generated file is current") == 2


def test_one_assignment_is_generated_alone(course):
    """Does --assignment NAME generate that master only, and an unknown name stop with the names there are?"""
    assert generate.main(["--root", str(course), "--assignment", "tiny"]) == 0
    assert {path.split("/")[1] for path in made(course)} == {"tiny"}
    with pytest.raises(SystemExit) as stop:
        generate.main(["--root", str(course), "--assignment", "nope"])
    assert stop.value.code == 2


def test_a_generated_folder_without_its_master_is_reported(course, capsys):
    """When a master is deleted, does --check fail naming its folders, and make assign leave them (it deletes
    nothing it cannot regenerate) but say so?"""
    assert generate.main(["--root", str(course)]) == 0
    (course / "solutions" / "tiny.ipynb").unlink()
    capsys.readouterr()
    assert generate.main(["--root", str(course), "--check"]) == 1
    assert "stale: assignment/tiny/ has no master" in capsys.readouterr().err
    assert generate.main(["--root", str(course)]) == 0
    assert "autograder/tiny/ has no master" in capsys.readouterr().err
    assert (course / "assignment" / "tiny" / "tiny.ipynb").is_file()


def write_master(root, name, edit):
    """The tiny master, edited by edit(notebook), saved as solutions/<name>.ipynb under root."""
    notebook = nbformat.read(COURSE / "solutions" / "tiny.ipynb", as_version=4)
    edit(notebook)
    path = root / "solutions" / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_the_name_title_requirements_and_settings_come_from_the_master(tmp_path):
    """Do metadata backprop.name, .requirements and .gradescope reach the files, with every requirement pinned to
    the grader's own version?"""
    def edit(notebook):
        notebook.metadata["backprop"] = {"name": "week_1", "requirements": ["matplotlib"],
                                         "gradescope": {"submission_seconds": 90}}

    files = render(write_master(tmp_path, "draft", edit))
    description = json.loads(files["autograder/week_1/assignment.json"])
    assert description["name"] == "week_1" and description["title"] == "A tiny assignment"
    assert description["gradescope"] == {"submission_seconds": 90} and description["total"] == 2
    pins = files["assignment/week_1/requirements.txt"].splitlines()[1:]
    grader = (ROOT / "requirements.txt").read_text().splitlines()
    assert [pin.split("==")[0] for pin in pins] == ["numpy", "otter-grader", "jupyterlab", "matplotlib"]
    assert all(pin in grader for pin in pins)


@pytest.mark.parametrize("metadata, words", [
    ({"name": "Week 1"}, "assignment name 'Week 1'"),
    ({"requirements": ["tensorflow"]}, "student requirement 'tensorflow'"),
    ({"gradescope": {"max_files": 0}}, "metadata backprop.gradescope: 'max_files' = 0"),
    ({"gradescope": {"memory": 100}}, "'memory' = 100"),
    ({"files": ["missing.csv"]}, "data file 'missing.csv'"),
    ([], "metadata backprop must be a dict"),
])
def test_bad_settings_in_the_master_stop_generation(tmp_path, metadata, words):
    """Does each unusable setting in the master's metadata stop generation with a message naming it?"""
    def edit(notebook):
        notebook.metadata["backprop"] = metadata

    with pytest.raises(GenerationError, match=words.replace("(", r"\(")):
        render(write_master(tmp_path, "draft", edit))


def test_a_value_question_becomes_a_blank_to_fill_in(course):
    """Is a value question's solution replaced by its TODO and `name = None`, and its answer kept out?"""
    files = render(course / "solutions" / "short_answers.ipynb")
    notebook = nbformat.reads(files["assignment/short_answers/short_answers.ipynb"], as_version=4)
    cell = next(cell for cell in notebook.cells if "best_choice = " in cell.source)
    assert cell.source == ('# TODO: set best_choice to "a", "b" or "c".\n'
                           "best_choice = None  # your answer here, in place of None")
    assert 'best_choice = "b"' in files["autograder/short_answers/reference.py"]
