"""The two-layer net on Gradescope: each sample uploaded alone through run_autograder, as on Gradescope, gets the
results.json make grade writes for it (tests/gradescope/ tests the run itself on the fixture course)."""

import json

import pytest

from backprop.grade import grade_file
from backprop.report.gradescope import results_json
from conftest import AUTOGRADER, SUBMISSIONS, TAMPERING, TOTAL, possible, run

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
def graded(account):
    """Each sample uploaded alone: name -> results.json (a dict)."""
    return {name: run(account, [path], assignment=AUTOGRADER).document for name, path in SAMPLES.items()}


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




def test_several_uploads_are_graded_up_to_three_and_the_best_counts(account):
    """With four notebooks uploaded, are the first three graded, does the best count, and does the output say so?"""
    uploads = [SUBMISSIONS / name for name in ("skeleton.ipynb", "loops_export.zip", "half_done.ipynb",
                                               "buggy_affine_forward_no_bias.ipynb")]
    output = run(account, uploads, assignment=AUTOGRADER).document
    assert output["score"] == TOTAL and "3 files were graded" in output["output"]
    assert f"buggy_affine_forward_no_bias.ipynb {NO_BIAS:g}/{TOTAL:g}" in output["output"]
    assert f"half_done.ipynb {HALF_DONE:g}/{TOTAL:g}" in output["output"]
    assert "the best counts: loops_export.zip" in output["output"] and "not graded: skeleton.ipynb" in output["output"]
