"""The student notebook run as a student would: in Jupyter's kernel, with otter's grader.check."""

import re
import shutil
import time

import nbformat
import pytest
from nbclient import NotebookClient

from backprop.generate.outputs import solved_notebook
from backprop.grade import grade_file
from conftest import (AUTOGRADER, FAST, HANDOUT, MASTER, QUESTIONS, ROOT, STUDENT, SUBMISSIONS, TOTAL,
                      assert_public_verdicts_agree)


def run(tmp_path, text, alone=True):
    """
    Execute notebook text, continuing past errors: alone in an empty folder (as in Colab, or after a download: its
    set-up cell unpacks its checks), or in a copy of the student folder (a sample submission has the master's
    grader cell, not the set-up cell); returns (notebook, seconds, folder).
    """
    folder = tmp_path / "alone"
    if alone:
        folder.mkdir()
    else:
        shutil.copytree(HANDOUT, folder, ignore=shutil.ignore_patterns("__pycache__", ".OTTER_LOG"))
    (folder / STUDENT.name).write_text(text)
    nb = nbformat.reads(text, as_version=4)
    start = time.perf_counter()
    execute(nb, folder)
    return nb, time.perf_counter() - start, folder


def execute(nb, folder):
    """Run every cell of nb in Jupyter's python3 kernel, with folder as the working directory."""
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()


def errors(nb):
    """The text of every cell that ended in an error."""
    return [output_text(c) for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]


def output_text(cell):
    """All text a cell showed: streams, results and errors."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
        parts.append(" ".join(output.get("traceback", [])) + output.get("evalue", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The student notebook with the reference filled in, executed once."""
    return run(tmp_path_factory.mktemp("solved"), solved_notebook(MASTER))


def test_solved_notebook_runs_top_to_bottom_within_a_minute(solved):
    """With the reference filled in, does every cell run without error, in under 60 s?"""
    nb, seconds, _ = solved
    assert errors(nb) == []
    assert seconds < 60


def test_solved_notebook_passes_every_public_check(solved):
    """Does each grader.check cell report that all of its test cases passed?"""
    checks = {c.id: output_text(c) for c in solved[0].cells if "check" in c.metadata.get("tags", []) and c.id.startswith("check-")}
    assert sorted(checks) == sorted(f"check-{q}" for q in QUESTIONS)
    for cell_id, text in checks.items():
        assert "All test cases passed" in text or "passed!" in text, (cell_id, text)


def test_solved_notebook_learns_the_digits(solved):
    """Does training reach at least 95% validation accuracy, with small gradient-check errors and its three figures?"""
    text = "\n".join(output_text(c) for c in solved[0].cells)
    accuracy = float(re.search(r"final validation accuracy: ([0-9.]+)", text).group(1))
    assert accuracy >= 0.95
    errors = [float(e) for e in re.findall(r"relative error ([0-9.e+-]+)", text)]
    assert len(errors) == 8 and max(errors) < 1e-6
    images = [o for c in solved[0].cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 3  # training curves, first-layer weights, confusion matrix and mistakes


def test_untouched_notebook_checks_say_not_implemented(tmp_path):
    """Does each grader.check of the skeleton show a failure that says NotImplementedError, without crashing?"""
    nb, _, _ = run(tmp_path, (STUDENT).read_text())
    for cell in nb.cells:
        if cell.id.startswith("check-"):
            text = output_text(cell)
            assert ("NotImplementedError" in text or "not answered yet" in text) and "Traceback" not in text, (
                cell.id, text)


def test_the_last_cell_exports_a_zip_that_grades_full_marks(solved):
    """Does the export cell pack the saved notebook into one zip, named in its output, that make grade scores full
    marks?"""
    nb, _, folder = solved
    exports = list(folder.glob("two_layer_net_*.zip"))
    shown = output_text(next(cell for cell in nb.cells if cell.source.startswith("grader.export(")))
    assert len(exports) == 1 and exports[0].name in shown and "Your submission is packed" in shown
    result = grade_file(exports[0], AUTOGRADER, FAST)
    assert (result.score, result.possible, result.status) == (TOTAL, TOTAL, "graded")


def test_master_notebook_runs_top_to_bottom(tmp_path):
    """Can an instructor run the master as it is, tests cells included, without an error (in a copy: it exports)?"""
    for folder in ("solutions", "autograder"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "*.zip"))
    nb = nbformat.read(MASTER, as_version=4)
    execute(nb, tmp_path / "solutions")
    assert errors(nb) == []


CASE = re.compile(r"^    (?P<name>\S.*?) result:\n        (?P<mark>✅|❌)(?P<body>.*?)(?=^    \S|\Z)", re.M | re.S)


def check_verdicts(nb, question):
    """
    What grader.check printed for one question: "all passed", or (case name, passed, text) per case.

    Returns:
    - True when otter said all test cases passed, else a list of (case name, passed, text shown).
    """
    cell = next(c for c in nb.cells if c.get("id") == f"check-{question}")
    text = output_text(cell)
    if "All test cases passed" in text:
        return True
    return [(m["name"], m["mark"] == "✅", " ".join(m["body"].split())) for m in CASE.finditer(text)]


@pytest.mark.parametrize("name", ["bad_return_values", "buggy_relu_forward_in_place"])
def test_grader_check_in_jupyter_agrees_with_make_grade(tmp_path, name):
    """Does every public check pass or fail in the student's Jupyter kernel as make grade says, same message (each
    bug charged once: a check may also fail in the notebook for an earlier wrong function, which it names)?"""
    nb, _, _ = run(tmp_path, (SUBMISSIONS / f"{name}.ipynb").read_text(), alone=False)
    graded = grade_file(SUBMISSIONS / f"{name}.ipynb", AUTOGRADER, FAST)
    assert_public_verdicts_agree(graded.questions, {q.name: check_verdicts(nb, q.name) for q in graded.questions})

