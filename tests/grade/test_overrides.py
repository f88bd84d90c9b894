"""A TA's overrides.csv: read and checked before grading, applied to the results on every run."""

import shutil

import pytest

from backprop.grade.overrides import OverridesError, apply_overrides, read_overrides
from backprop.grade.results import CaseResult, QuestionResult, SubmissionResult
from backprop.report.gradescope import results_json
from backprop.report.student_feedback import feedback_text
from conftest import FIXTURES

OVERRIDES = FIXTURES / "overrides"
COURSE_POINTS = {"tiny": {"double": 2}, "short_answers": {"centroid": 2, "points_center": 2}}


def results_folder(tmp_path, fixture):
    """A results folder holding one fixture as its overrides.csv."""
    shutil.copy(OVERRIDES / fixture, tmp_path / "overrides.csv")
    return tmp_path


def result(name, passed):
    """A tiny result: one question, double, of two 1-point cases, the first len(passed) flags."""
    cases = tuple(CaseResult(f"double: case {i}", 1.0, i == 1, flag, "" if flag else "double: out is wrong")
                  for i, flag in enumerate(passed))
    return SubmissionResult(name, "graded", "", (QuestionResult("double", cases),))


def test_no_file_means_no_override(tmp_path):
    """Is a results folder without overrides.csv read as no override at all?"""
    assert read_overrides(tmp_path, COURSE_POINTS) == []


def test_a_valid_file_is_read_row_by_row(tmp_path):
    """Are who, question (blank for the total), points and a quoted reason read, with their line numbers?"""
    rows = read_overrides(results_folder(tmp_path, "valid.csv"), COURSE_POINTS)
    assert [(r.who, r.override.question, r.override.points, r.override.reason, r.line) for r in rows] == [
        ("section2/bob.ipynb", "double", 2.0, "regrade request: the hidden case tested an unstated rule", 2),
        ("stub.ipynb", "", 1.5, "attendance bonus, with a comma", 3)]


def test_header_names_are_matched_whatever_their_case_and_an_assignment_column_limits_a_row(tmp_path):
    """Does a header in title case with an assignment column work, the row applying to that assignment only?"""
    rows = read_overrides(results_folder(tmp_path, "with_assignment.csv"), COURSE_POINTS)
    assert [(r.who, r.assignment, r.override.question) for r in rows] == [
        ("centroid_only.ipynb", "short_answers", "centroid")]
    cases = (CaseResult("centroid: value", 2.0, False, False, "wrong"),)
    graded = SubmissionResult("centroid_only.ipynb", "graded", "", (QuestionResult("centroid", cases),))
    assert apply_overrides([graded], rows, "tiny")[0][0].score == 0
    assert apply_overrides([graded], rows, "short_answers")[0][0].score == 1


def test_a_spreadsheet_s_semicolons_and_line_breaks_in_a_reason_are_read_with_the_file_s_line_numbers(tmp_path):
    """Is a file saved with semicolons (Excel in many locales) read alike, a reason holding a line break kept, and
    a row after it numbered by its line in the file?"""
    rows = read_overrides(results_folder(tmp_path, "semicolons.csv"), COURSE_POINTS)
    assert [(r.who, r.override.question, r.override.points, r.line) for r in rows] == [
        ("section2/bob.ipynb", "double", 2.0, 2), ("stub.ipynb", "", 1.5, 4)]  # line 2's reason ends on line 3
    assert rows[0].override.reason == "regrade request:\nthe hidden case tested an unstated rule"


@pytest.mark.parametrize("fixture, words", [
    ("blank_reason.csv", "line 2: reason is blank"),
    ("not_a_number.csv", "line 2: points 'two' is not a number"),
    ("unknown_question.csv", "line 2: no question 'dobule'; the questions are centroid, double, points_center"),
    ("out_of_range.csv", "line 2: double is worth 2 points; 3 is outside 0 to 2"),
    ("duplicate.csv", "line 3: 'bob.ipynb' has a second override of double (line 2)"),
    ("missing_column.csv", "needs the columns who, question, points, reason (missing: question)"),
])
def test_a_row_that_cannot_be_applied_stops_with_its_line_and_what_to_fix(tmp_path, fixture, words):
    """Does each authoring slip in overrides.csv raise an OverridesError naming the line and the problem?"""
    with pytest.raises(OverridesError) as error:
        read_overrides(results_folder(tmp_path, fixture), COURSE_POINTS)
    assert words in str(error.value)


def test_a_question_override_sets_its_score_and_a_total_override_adds_points(tmp_path):
    """Does an override replace the question's score, a blank question add to the total, by file or student id?"""
    rows = read_overrides(results_folder(tmp_path, "valid.csv"), COURSE_POINTS)
    bob, stub, other = result("section2/bob.ipynb", [True, False]), result("stub.ipynb", [False, False]), \
        result("alice.ipynb", [True, False])
    changed, applied = apply_overrides([bob, stub, other], rows, "tiny")
    assert [r.score for r in changed] == [2, 1.5, 1] and applied == {2, 3}
    assert changed[0].questions[0].graded_score == 1 and changed[0].questions[0].override.points == 2
    by_id, applied = apply_overrides([result("x/stub_v2.ipynb", [False, False])], rows, "tiny",
                                     students={"x/stub_v2.ipynb": ("stub.ipynb",)})
    assert by_id[0].score == 1.5 and applied == {3}


def test_overrides_are_never_stored_and_applying_again_does_not_add_twice(tmp_path):
    """Does as_graded() drop every override, and does a second application give the same score, not double?"""
    rows = read_overrides(results_folder(tmp_path, "valid.csv"), COURSE_POINTS)
    once, _ = apply_overrides([result("stub.ipynb", [True, False])], rows, "tiny")
    twice, _ = apply_overrides(once, rows, "tiny")
    assert once[0].score == twice[0].score == 2.5
    assert once[0].as_graded().score == 1 and once[0].as_graded().overrides == ()
    assert SubmissionResult.from_dict(once[0].to_dict()) == once[0]


def test_the_student_reads_each_override_and_its_reason(tmp_path):
    """Do feedback.txt and results.json say what course staff changed, from what, and why?"""
    rows = read_overrides(results_folder(tmp_path, "valid.csv"), COURSE_POINTS)
    (bob,), _ = apply_overrides([result("section2/bob.ipynb", [True, False])], rows, "tiny")
    text = feedback_text(bob)
    assert "Score: 2 / 2" in text
    assert ("Changed by course staff: double set to 2 points (the checks gave 1): regrade request: the hidden case "
            "tested an unstated rule") in text
    assert "double: 2 / 2 (set by course staff; the checks gave 1)" in text
    assert "Changed by course staff: double set to 2 points" in results_json(bob)
