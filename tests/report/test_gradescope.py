"""Tests for backprop.report.gradescope: results.json that Gradescope accepts and students can read."""

import json

import jsonschema
import pytest

from backprop.grade import grade_file
from backprop.report.gradescope import failure_json, results_json
from conftest import AUTOGRADER, FAST, FIXTURES, SUBMISSIONS, TOTAL, possible

SCHEMA = json.loads((FIXTURES / "gradescope_results.schema.json").read_text())


@pytest.fixture(scope="module")
def documents():
    """results.json of a full, a buggy and an invalid submission, parsed."""
    names = ["reference.ipynb", "buggy_affine_forward_no_bias.ipynb", "empty.ipynb"]
    return {name: json.loads(results_json(grade_file(SUBMISSIONS / name, AUTOGRADER, FAST))) for name in names}


def test_every_document_validates_against_gradescopes_schema(documents):
    """Does each results.json follow Gradescope's specification?"""
    for document in documents.values():
        jsonschema.validate(document, SCHEMA)


def test_public_checks_are_visible_and_hidden_ones_wait_for_publication(documents):
    """Are public checks visible, hidden checks after_published, the points summing to the score and to the total?"""
    document = documents["buggy_affine_forward_no_bias.ipynb"]
    visibilities = {entry["name"]: entry["visibility"] for entry in document["tests"]}
    assert visibilities["affine_forward (public checks)"] == "visible"
    assert visibilities["affine_forward (hidden checks)"] == "after_published"
    # charged once: the no-bias bug loses affine_forward only, later questions use the reference's in its place
    assert sum(entry["score"] for entry in document["tests"]) == document["score"] == TOTAL - possible("affine_forward")
    assert sum(entry["max_score"] for entry in document["tests"]) == TOTAL
    assert document["stdout_visibility"] == "hidden"


def test_the_summary_names_the_first_failure_or_the_reason(documents):
    """Does the top-level output name the first failed public check, or why the file was not graded?"""
    assert "affine_forward: worked example" in documents["buggy_affine_forward_no_bias.ipynb"]["output"]
    assert "invalid" in documents["empty.ipynb"]["output"] and "empty" in documents["empty.ipynb"]["output"]
    assert documents["reference.ipynb"]["output"] == f"Score {TOTAL:g} / {TOTAL:g}."


def test_a_failure_of_the_autograder_is_a_valid_document_that_says_so():
    """When nothing could be graded, is results.json still valid, 0 points, with the reason and no blame?"""
    document = json.loads(failure_json("the grader crashed (KeyError: 'x')", 1.23456))
    jsonschema.validate(document, SCHEMA)
    assert document["score"] == 0 and document["execution_time"] == 1.235 and document["tests"] == []
    assert "KeyError: 'x'" in document["output"] and "not a verdict on your work" in document["output"]


def test_a_note_goes_before_the_summary():
    """Does a note (which of several files counted) come first in the output, the summary after it?"""
    result = grade_file(SUBMISSIONS / "reference.ipynb", AUTOGRADER, FAST)
    output = json.loads(results_json(result, "2 files were graded."))["output"]
    assert output == f"2 files were graded. Score {TOTAL:g} / {TOTAL:g}."
