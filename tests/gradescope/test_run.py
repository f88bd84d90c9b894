"""Tests for run_autograder and backprop.gradescope.run: the zip unpacked into a temporary root, as on Gradescope.

Each run unzips autograder.zip into <root>/source, copies the uploads into
<root>/submission and runs run_autograder with AUTOGRADER_ROOT=<root>. When
the tests run as root, student code runs as nobody, as Gradescope's runs as
the user setup.sh creates.
"""

import io
import json
import shutil

import pytest

from backprop.grade import grade_file
from backprop.grade.assignments import describe
from backprop.gradescope.run import ranked
from conftest import COURSE, Run, as_user, run

# The fixture course's tiny assignment (one question, double) and its submissions (see tests/grade/test_batch.py).
TINY = COURSE / "autograder" / "tiny"
BATCH = COURSE / "batch"
TOTAL = describe(TINY)["total"]


def test_the_assignment_s_own_files_are_graded_first():
    """Are files named like the assignment, then zips, ranked before the rest (only the first 3 are graded)?"""
    names = ["notes/scratch.ipynb", "a.zip", "tiny.ipynb", "tiny_2026_11_22.zip", "b.ipynb"]
    assert ranked(names, "tiny.ipynb") == ["tiny_2026_11_22.zip", "tiny.ipynb", "a.zip", "b.ipynb",
                                           "notes/scratch.ipynb"]


def test_several_uploads_are_graded_up_to_three_and_the_best_counts(account):
    """With four notebooks uploaded, are the first three graded, does the best count, and does the output say so?"""
    uploads = [BATCH / name for name in ("stub.ipynb", "export.zip", "wrong.ipynb", "solved.ipynb")]
    output = run(account, uploads).document
    assert output["score"] == TOTAL and "3 files were graded" in output["output"]
    assert f"solved.ipynb {TOTAL:g}/{TOTAL:g}" in output["output"] and f"stub.ipynb 0/{TOTAL:g}" in output["output"]
    assert "the best counts: export.zip" in output["output"] and "not graded: wrong.ipynb" in output["output"]


def test_an_upload_without_a_notebook_says_what_to_upload(account, tmp_path):
    """Does a PDF alone get 0 with an output naming it and the file to upload instead?"""
    (tmp_path / "answers.pdf").write_bytes(b"%PDF-1.4")
    document = run(account, [tmp_path / "answers.pdf"]).document
    assert document["score"] == 0 and "answers.pdf" in document["output"] and "tiny.ipynb" in document["output"]
    assert document["tests"] and all(entry["score"] == 0 for entry in document["tests"])


def test_relative_paths_work_as_typed(account):
    """Do a relative AUTOGRADER_ROOT and BACKPROP_PYTHON (as in the README's local try) keep their meaning?"""
    done = run(account, [BATCH / "solved.ipynb"], relative=True)
    assert done.document["score"] == TOTAL


def test_a_missing_python_still_writes_a_results_json(account):
    """When the grader cannot even start, does run_autograder write a valid results.json that says so?"""
    document = run(account, [BATCH / "solved.ipynb"], BACKPROP_PYTHON="/nonexistent/python").document
    assert document["score"] == 0 and "exit code 127" in document["output"]
    assert "not a verdict on your work" in document["output"]


def test_a_broken_autograder_still_writes_a_results_json(account):
    """When grading raises (here: assignment.json is gone), is the failure written as a valid results.json?"""
    document = run(account, [BATCH / "solved.ipynb"],
                   prepare=lambda root: (root / "source" / "autograder" / "assignment.json").unlink()).document
    assert document["score"] == 0 and "FileNotFoundError" in document["output"]


def test_the_time_limit_still_writes_a_results_json(account):
    """When the run's time limit ends grading (a cell sleeps), is a valid results.json written that says so?"""
    document = run(account, [BATCH / "sleeps.ipynb"], BACKPROP_TIME_LIMIT="3").document
    # the grader says so itself, or (on a loaded machine, killed before it could) run_autograder does
    assert document["score"] == 0 and ("time limit" in document["output"] or "ran out of time" in document["output"])


def test_the_source_is_unreadable_to_the_sandbox_user(unprivileged):
    """After run_autograder, can the user student code runs as no longer read the hidden tests (it could before)?"""
    done = Run(unprivileged, [BATCH / "solved.ipynb"])
    try:
        hidden = done.root / "source" / "autograder" / "tests" / "double.py"
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
    shutil.copytree(TINY, tmp_path / "source" / "autograder")
    shutil.copy(BATCH / "solved.ipynb", tmp_path / "submission" / "tiny.ipynb")
    failed = SubmissionResult("tiny.ipynb", "error", f"{GRADER_FAILED}: its sandbox could not start (x)", ())
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
    shutil.copytree(TINY, tmp_path / "source" / "autograder")
    shutil.copy(BATCH / "solved.ipynb", tmp_path / "submission" / "tiny.ipynb")
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
