"""Tests for backprop.report.gradescope: results.json that Gradescope accepts and students can read.

Graded on the fixture course's short_answers assignment and its samples (tests/fixtures/course/samples).
"""

import json

import jsonschema
import pytest

from backprop.grade import grade_file
from backprop.report.gradescope import failure_json, results_json
from conftest import COURSE_SAMPLES, FAST, FIXTURES, SHORT_ANSWERS, points_of

SCHEMA = json.loads((FIXTURES / "gradescope_results.schema.json").read_text())
FULL_MARKS = points_of(SHORT_ANSWERS)


@pytest.fixture(scope="module")
def documents():
    """results.json of a full, a wrong (centroid averages the wrong axis) and an invalid submission, parsed."""
    names = ["solved.ipynb", "wrong_centroid.ipynb", "empty.ipynb"]
    return {name: json.loads(results_json(grade_file(COURSE_SAMPLES / name, SHORT_ANSWERS, FAST))) for name in names}


def test_every_document_validates_against_gradescopes_schema(documents):
    """Does each results.json follow Gradescope's specification?"""
    for document in documents.values():
        jsonschema.validate(document, SCHEMA)


def test_public_checks_are_visible_and_hidden_ones_wait_for_publication(documents):
    """Are public checks visible, hidden checks after_published, the points summing to the score and to the total?"""
    document = documents["wrong_centroid.ipynb"]
    visibilities = {entry["name"]: entry["visibility"] for entry in document["tests"]}
    assert visibilities["centroid (public checks)"] == "visible"
    assert visibilities["centroid (hidden checks)"] == "after_published"
    assert visibilities["point_count (hidden checks)"] == "after_published"  # a value question's too
    # the wrong axis loses centroid only, public and hidden; the value questions keep their points
    assert sum(entry["score"] for entry in document["tests"]) == document["score"] == FULL_MARKS - points_of(
        SHORT_ANSWERS, "centroid")
    assert sum(entry["max_score"] for entry in document["tests"]) == FULL_MARKS
    assert document["stdout_visibility"] == "hidden"


def test_the_summary_names_the_first_failure_or_the_reason(documents):
    """Does the top-level output name the first failed public check, or why the file was not graded?"""
    assert "centroid: random points" in documents["wrong_centroid.ipynb"]["output"]
    assert "invalid" in documents["empty.ipynb"]["output"] and "empty" in documents["empty.ipynb"]["output"]
    assert documents["solved.ipynb"]["output"] == f"Score {FULL_MARKS:g} / {FULL_MARKS:g}."


def test_a_failure_of_the_autograder_is_a_valid_document_that_says_so():
    """When nothing could be graded, is results.json still valid, 0 points, with the reason and no blame?"""
    document = json.loads(failure_json("the grader crashed (KeyError: 'x')", 1.23456))
    jsonschema.validate(document, SCHEMA)
    assert document["score"] == 0 and document["execution_time"] == 1.235 and document["tests"] == []
    assert "KeyError: 'x'" in document["output"] and "not a verdict on your work" in document["output"]


def test_a_note_goes_before_the_summary():
    """Does a note (which of several files counted) come first in the output, the summary after it?"""
    result = grade_file(COURSE_SAMPLES / "solved.ipynb", SHORT_ANSWERS, FAST)
    output = json.loads(results_json(result, "2 files were graded."))["output"]
    assert output == f"2 files were graded. Score {FULL_MARKS:g} / {FULL_MARKS:g}."
