"""Tests for run_autograder and backprop.gradescope.run: the zip unpacked into a temporary root, as on Gradescope.

Each run unzips autograder.zip into <root>/source, copies the uploads into
<root>/submission and runs run_autograder with AUTOGRADER_ROOT=<root>. When
the tests run as root, student code runs as nobody, as Gradescope's runs as
the user setup.sh creates.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import types
import zipfile

import jsonschema
import pytest

from backprop.grade import grade_file
from backprop.gradescope.build import zip_bytes
from backprop.gradescope.run import ranked
from backprop.report.gradescope import results_json
from conftest import AUTOGRADER, FIXTURES, SUBMISSIONS, TAMPERING, TOTAL, as_user, possible, world_readable_folder

SCHEMA = json.loads((FIXTURES / "gradescope_results.schema.json").read_text())
SAMPLES = {"reference": SUBMISSIONS / "reference.ipynb", "skeleton": SUBMISSIONS / "skeleton.ipynb",
           "buggy": SUBMISSIONS / "buggy_affine_forward_no_bias.ipynb", "broken": SUBMISSIONS / "wrong_signatures.ipynb",
           "tampering": TAMPERING / "read_hidden_tests.ipynb", "export": SUBMISSIONS / "loops_export.zip",
           "truncated": SUBMISSIONS / "truncated.ipynb"}
# The no-bias bug is charged once: it loses affine_forward, and the later questions, checked with the reference's
# affine_forward in its place, keep their points.
NO_BIAS = TOTAL - possible("affine_forward")
# half_done implements the four layers (and leaves the rest as the skeleton has it)
HALF_DONE = possible("affine_forward", "affine_backward", "relu_forward", "relu_backward")


@pytest.fixture(scope="module")
def account(request):
    """The Python and the user for run_autograder: nobody when the tests run as root, else the tests' own."""
    try:
        return request.getfixturevalue("unprivileged")
    except pytest.skip.Exception:
        return types.SimpleNamespace(user="", python=sys.executable)


class Run:
    """One run_autograder in a new root: document (results.json, validated), log (its stdout) and root."""

    def __init__(self, account, uploads, prepare=lambda root: None, relative=False, **settings):
        self.root = world_readable_folder("gradescope-root-")
        zipfile.ZipFile(io.BytesIO(zip_bytes(AUTOGRADER.name))).extractall(self.root / "source")
        (self.root / "submission").mkdir()
        for upload in uploads:
            shutil.copy(upload, self.root / "submission")
        prepare(self.root)
        cwd = self.root.parent  # paths relative to it when relative=True, as an instructor may type them
        root, python = ((self.root.name, os.path.relpath(account.python, cwd)) if relative
                        else (str(self.root), account.python))
        env = {"PATH": "/usr/bin:/bin", "AUTOGRADER_ROOT": root, "BACKPROP_PYTHON": python,
               "BACKPROP_SANDBOX_USER": account.user, **settings}
        done = subprocess.run(["bash", str(self.root / "source" / "run_autograder")], env=env, capture_output=True,
                              text=True, timeout=300, cwd=cwd)
        assert done.returncode == 0, done.stderr
        self.log = done.stdout + done.stderr
        self.document = json.loads((self.root / "results" / "results.json").read_text())
        jsonschema.validate(self.document, SCHEMA)

    def remove(self):
        """Delete the root."""
        shutil.rmtree(self.root)


def run(account, uploads, **options):
    """Run run_autograder on uploads in a new root, delete the root; returns the Run."""
    done = Run(account, uploads, **options)
    done.remove()
    return done


@pytest.fixture(scope="module")
def graded(account):
    """Each sample uploaded alone: name -> results.json (a dict)."""
    return {name: run(account, [path]).document for name, path in SAMPLES.items()}


def without_time(document):
    """A results.json without its execution time (the one field two runs may not share)."""
    return {key: value for key, value in document.items() if key != "execution_time"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_gradescope_gives_what_make_grade_gives(graded, name):
    """Is each sample's results.json, schema-valid, the very one make grade writes for it (scores, messages, visibility)?"""
    expected = json.loads(results_json(grade_file(SAMPLES[name], AUTOGRADER)))
    assert without_time(graded[name]) == without_time(expected)


def test_scores_run_from_zero_to_full_marks_and_tampering_gains_nothing(graded):
    """Do the reference and the export score full marks, the skeleton 0, and hunting for the hidden tests what the bug
    scores?"""
    scores = {name: document["score"] for name, document in graded.items()}
    assert scores["reference"] == scores["export"] == TOTAL and scores["skeleton"] == scores["truncated"] == 0
    assert scores["tampering"] == scores["buggy"] == NO_BIAS and 0 < scores["broken"] < TOTAL


def test_students_see_public_checks_now_and_hidden_ones_after_publication(graded):
    """Are public checks visible, hidden ones after_published, stdout hidden, and does the summary name the first failure?"""
    document = graded["skeleton"]
    assert {entry["visibility"] for entry in document["tests"] if "(public" in entry["name"]} == {"visible"}
    assert {entry["visibility"] for entry in document["tests"] if "(hidden" in entry["name"]} == {"after_published"}
    assert document["stdout_visibility"] == "hidden"
    assert "First failed check: affine_forward" in document["output"] and "NotImplementedError" in document["output"]
    assert "invalid" in graded["truncated"]["output"]


def test_the_assignment_s_own_files_are_graded_first():
    """Are files named like the assignment, then zips, ranked before the rest (only the first 3 are graded)?"""
    names = ["notes/scratch.ipynb", "a.zip", "tiny.ipynb", "tiny_2026_11_22.zip", "b.ipynb"]
    assert ranked(names, "tiny.ipynb") == ["tiny_2026_11_22.zip", "tiny.ipynb", "a.zip", "b.ipynb",
                                           "notes/scratch.ipynb"]


def test_several_uploads_are_graded_up_to_three_and_the_best_counts(account):
    """With four notebooks uploaded, are the first three graded, does the best count, and does the output say so?"""
    uploads = [SUBMISSIONS / name for name in ("skeleton.ipynb", "loops_export.zip", "half_done.ipynb",
                                               "buggy_affine_forward_no_bias.ipynb")]
    output = run(account, uploads).document
    assert output["score"] == TOTAL and "3 files were graded" in output["output"]
    assert f"buggy_affine_forward_no_bias.ipynb {NO_BIAS:g}/{TOTAL:g}" in output["output"]
    assert f"half_done.ipynb {HALF_DONE:g}/{TOTAL:g}" in output["output"]
    assert "the best counts: loops_export.zip" in output["output"] and "not graded: skeleton.ipynb" in output["output"]


def test_an_upload_without_a_notebook_says_what_to_upload(account, tmp_path):
    """Does a PDF alone get 0 with an output naming it and the file to upload instead?"""
    (tmp_path / "answers.pdf").write_bytes(b"%PDF-1.4")
    document = run(account, [tmp_path / "answers.pdf"]).document
    assert document["score"] == 0 and "answers.pdf" in document["output"] and "two_layer_net.ipynb" in document["output"]
    assert document["tests"] and all(entry["score"] == 0 for entry in document["tests"])


def test_relative_paths_work_as_typed(account):
    """Do a relative AUTOGRADER_ROOT and BACKPROP_PYTHON (as in the README's local try) keep their meaning?"""
    done = run(account, [SAMPLES["reference"]], relative=True)
    assert done.document["score"] == TOTAL


def test_a_missing_python_still_writes_a_results_json(account):
    """When the grader cannot even start, does run_autograder write a valid results.json that says so?"""
    document = run(account, [SAMPLES["reference"]], BACKPROP_PYTHON="/nonexistent/python").document
    assert document["score"] == 0 and "exit code 127" in document["output"]
    assert "not a verdict on your work" in document["output"]


def test_a_broken_autograder_still_writes_a_results_json(account):
    """When grading raises (here: assignment.json is gone), is the failure written as a valid results.json?"""
    document = run(account, [SAMPLES["reference"]],
                   prepare=lambda root: (root / "source" / "autograder" / "assignment.json").unlink()).document
    assert document["score"] == 0 and "FileNotFoundError" in document["output"]


def test_the_time_limit_still_writes_a_results_json(account):
    """When the run's time limit ends grading (a cell sleeps), is a valid results.json written that says so?"""
    document = run(account, [TAMPERING / "long_sleep_in_cell.ipynb"], BACKPROP_TIME_LIMIT="3").document
    assert document["score"] == 0 and "time limit" in document["output"]


def test_the_source_is_unreadable_to_the_sandbox_user(unprivileged):
    """After run_autograder, can the user student code runs as no longer read the hidden tests (it could before)?"""
    done = Run(unprivileged, [SAMPLES["reference"]])
    try:
        hidden = done.root / "source" / "autograder" / "tests" / "affine_forward.py"
        assert as_user(unprivileged.user, ["test", "-r", str(hidden)]) == 1
        hidden.chmod(0o644)
        for folder in (hidden.parent, hidden.parent.parent, hidden.parent.parent.parent):
            folder.chmod(0o755)
        assert as_user(unprivileged.user, ["test", "-r", str(hidden)]) == 0  # the check itself can tell
        assert f"student code runs as {unprivileged.user}" in done.log and done.document["score"] == TOTAL
    finally:
        done.remove()


def test_a_grader_that_cannot_start_its_sandbox_gives_no_score_as_a_verdict(tmp_path, monkeypatch):
    """When every uploaded file's row is the grader's own failure, does results.json say the autograder failed
    (not a verdict on the work) instead of showing a graded 0?"""
    from backprop.grade.results import GRADER_FAILED, SubmissionResult
    from backprop.gradescope import run as gradescope_run
    from backprop.sandbox.process import Limits

    (tmp_path / "submission").mkdir()
    shutil.copytree(AUTOGRADER, tmp_path / "source" / "autograder")
    shutil.copy(SUBMISSIONS / "reference.ipynb", tmp_path / "submission" / "two_layer_net.ipynb")
    failed = SubmissionResult("two_layer_net.ipynb", "error", f"{GRADER_FAILED}: its sandbox could not start (x)", ())
    monkeypatch.setattr(gradescope_run, "grade_folder", lambda *args, **kwargs: [failed])
    document = json.loads(gradescope_run.run_autograder(root=tmp_path, limits=Limits(), stream=io.StringIO()))
    assert document["score"] == 0 and "not a verdict on your work" in document["output"]
    assert GRADER_FAILED in document["output"]


def test_a_failed_preflight_grades_nothing_and_says_it_is_no_verdict(tmp_path, monkeypatch):
    """When the preflight sandbox cannot run a tiny notebook, is no file graded and does results.json say the
    autograder failed, with the reason, instead of a 0?"""
    from backprop.gradescope import run as gradescope_run
    from backprop.sandbox.process import Limits, SandboxStartError

    def fail(limits):
        raise SandboxStartError("the sandbox did not start (ChannelClosed): python: Permission denied")

    (tmp_path / "submission").mkdir()
    shutil.copytree(AUTOGRADER, tmp_path / "source" / "autograder")
    shutil.copy(SUBMISSIONS / "reference.ipynb", tmp_path / "submission" / "two_layer_net.ipynb")
    monkeypatch.setattr(gradescope_run, "preflight", fail)
    monkeypatch.setattr(gradescope_run, "grade_folder", lambda *args, **kwargs: pytest.fail("graded anyway"))
    document = json.loads(gradescope_run.run_autograder(root=tmp_path, limits=Limits(), stream=io.StringIO()))
    assert document["score"] == 0 and "not a verdict on your work" in document["output"]
    assert "Permission denied" in document["output"]


def test_the_assignment_s_settings_and_notebook_name_come_from_its_description(tmp_path, monkeypatch):
    """Does the run take its notebook name, its file count and its limits from assignment.json (here the fixture
    course's short_answers: at most 2 files, 5 s per call), whatever the assignment?"""
    from backprop.gradescope import run as gradescope_run
    from backprop.sandbox.process import Limits
    from conftest import COURSE

    (tmp_path / "submission").mkdir()
    shutil.copytree(COURSE / "autograder" / "short_answers", tmp_path / "source" / "autograder")
    for name in ("a.ipynb", "short_answers.ipynb", "b.ipynb"):
        shutil.copy(COURSE / "submissions" / "short_answers.ipynb", tmp_path / "submission" / name)
    seen = {}

    def grade_folder(folder, store, autograder, limits, **options):
        seen.update(names=options["names"], limits=limits)
        return [grade_file(folder / name, autograder, limits) for name in options["names"]]

    monkeypatch.setattr(gradescope_run, "preflight", lambda limits: None)
    monkeypatch.setattr(gradescope_run, "grade_folder", grade_folder)
    document = json.loads(gradescope_run.run_autograder(root=tmp_path, limits=Limits(), stream=io.StringIO()))
    assert seen["names"] == ["short_answers.ipynb", "a.ipynb"] and seen["limits"].call_seconds == 5
    assert document["score"] == 8 and "Only 2 files are graded; not graded: b.ipynb" in document["output"]
