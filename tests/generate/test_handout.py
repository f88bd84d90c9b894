"""Tests for backprop.generate.handout: make handout writes the zip students get, and nothing else."""

import io
import shutil
import zipfile

import pytest

from backprop.generate import handout
from conftest import COURSE


def test_the_handout_holds_the_student_folder_only(tmp_path):
    """Does the zip hold the student folder under <name>/ (notebook, public tests, helpers, README, data), and
    leave out what a trial left there: checkpoints, unpacked checks, caches, exported submissions?"""
    folder = tmp_path / "short_answers"
    shutil.copytree(COURSE / "assignment" / "short_answers", folder)
    for litter in (".ipynb_checkpoints/short_answers-checkpoint.ipynb", ".short_answers_checks/feedback.py",
                   "__pycache__/feedback.cpython-311.pyc", ".OTTER_LOG", "short_answers_2026_12_01T10_00_00.zip"):
        (folder / litter).parent.mkdir(parents=True, exist_ok=True)
        (folder / litter).write_text("x")
    names = zipfile.ZipFile(io.BytesIO(handout.handout_bytes(folder))).namelist()
    assert names == sorted(f"short_answers/{path.relative_to(COURSE / 'assignment' / 'short_answers').as_posix()}"
                           for path in (COURSE / "assignment" / "short_answers").rglob("*") if path.is_file())
    assert {"short_answers/short_answers.ipynb", "short_answers/README.md", "short_answers/requirements.txt",
            "short_answers/data/points.csv", "short_answers/tests/centroid.py"} <= set(names)


def test_the_same_folder_gives_the_same_bytes():
    """Is the handout reproducible (fixed dates), so that two builds can be compared?"""
    folder = COURSE / "assignment" / "tiny"
    assert handout.handout_bytes(folder) == handout.handout_bytes(folder)


def test_the_command_writes_one_zip_per_assignment(tmp_path, capsys):
    """Does the command write results/handout/<name>.zip for every assignment, or the one asked for, and refuse a
    name without a student folder?"""
    assert handout.main(["--root", str(COURSE), "--output", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["short_answers.zip", "tiny.zip"]
    assert handout.main(["--root", str(COURSE), "--output", str(tmp_path / "one"), "--assignment", "tiny"]) == 0
    assert [path.name for path in (tmp_path / "one").iterdir()] == ["tiny.zip"]
    assert handout.main(["--root", str(COURSE), "--output", str(tmp_path), "--assignment", "nope"]) == 1
    assert "run `make assign` first" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["tiny", "short_answers"])
def test_the_student_readme_says_how_to_work_check_and_submit(name):
    """Does assignment/<name>/README.md name the notebook, each question with its points, the total, the pinned
    requirements, and explain the public and hidden checks and the charge-once rule?"""
    import json

    readme = (COURSE / "assignment" / name / "README.md").read_text()
    about = json.loads((COURSE / "autograder" / name / "assignment.json").read_text())
    assert about["notebook"] in readme and f"worth {about['total']:g} points" in readme
    assert all(f"| `{question}` | {about['points'][question]:g} |" in readme for question in about["questions"])
    assert "jupyterlab" in readme and "Hidden checks" in readme and "charged once" in readme
    assert "grader.export()" in readme and "Restart & Run All" in readme
