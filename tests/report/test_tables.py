"""Tests for backprop.report.csv_table, student_feedback and class_report, on hand-made results."""

import csv
import io

from backprop.grade.results import CaseResult, QuestionResult, SubmissionResult
from backprop.report.class_report import common_failures, histogram_png, question_table, report_markdown
from backprop.report.csv_table import grades_csv
from backprop.report.score_table import score_table
from backprop.report.student_feedback import feedback_text

ASKED = ["layer_forward", "classify"]  # made-up questions


def result(name, forward_passed, classify_passed, status="graded", message=""):
    """A SubmissionResult with two questions of two cases each (2 + 1 points public, 3 + 4 hidden)."""
    forward = QuestionResult("layer_forward", (
        CaseResult("layer_forward: shapes", 2.0, False, forward_passed, "" if forward_passed else "out has shape (3, 2)"),
        CaseResult("layer_forward: random", 3.0, True, forward_passed, "" if forward_passed else "error 1.5e-02 at (0, 1)")))
    classify = QuestionResult("classify", (
        CaseResult("classify: example", 1.0, False, classify_passed, "" if classify_passed else "wrong axis"),
        CaseResult("classify: random", 4.0, True, True, "")))
    return SubmissionResult(name, status, message, (forward, classify), output="hello\n")


CLASS = [result("a.ipynb", True, True), result("b.ipynb", False, True),
         result("c.ipynb", False, False, "timeout", "it did not finish within 10 s")]


def test_grades_csv_has_one_row_per_submission_and_a_column_per_question():
    """Does grades.csv list every submission with score, possible, status, message and per-question points?"""
    rows = list(csv.DictReader(io.StringIO(grades_csv(CLASS, ASKED))))
    assert list(rows[0]) == ["submission", "score", "possible", "status", "message", "layer_forward", "classify"]
    assert [(r["submission"], r["score"], r["possible"], r["status"]) for r in rows] == [
        ("a.ipynb", "10", "10", "graded"), ("b.ipynb", "5", "10", "graded"), ("c.ipynb", "4", "10", "timeout")]
    assert rows[2]["message"] == "it did not finish within 10 s" and rows[1]["layer_forward"] == "0"


def test_feedback_lists_every_check_with_its_message():
    """Does the student's feedback show the score, each case's verdict and kind, and the failure messages?"""
    text = feedback_text(CLASS[1])
    assert "Score: 5 / 10" in text and "[FAILED] layer_forward: shapes (public, 2 pt)" in text
    assert "out has shape (3, 2)" in text and "[passed] classify: random (hidden, 4 pt)" in text
    assert "hello" in text
    assert "Status: timeout" in feedback_text(CLASS[2])


def test_question_table_gives_means_and_full_mark_rates():
    """Are the per-question mean and the share of full marks computed over all submissions?"""
    assert question_table(CLASS, ASKED) == [("layer_forward", 5.0, 5 / 3, 1 / 3), ("classify", 5.0, 14 / 3, 2 / 3)]


def test_common_failures_group_messages_that_differ_only_in_numbers():
    """Are questions' first failures counted, numbers masked so that they group, most frequent first?"""
    assert common_failures(CLASS) == [("layer_forward: shapes: out has shape (#, #)", 2),
                                      ("classify: example: wrong axis", 1)]
    invalid = result("d.ipynb", False, False, "invalid", "the file is empty")
    assert common_failures(CLASS + [invalid]) == common_failures(CLASS)


def test_report_links_the_histogram_and_lists_submissions_to_look_at(tmp_path):
    """Does the report show counts, the histogram, the tables and the non-graded submissions; is the PNG written?"""
    text = report_markdown(CLASS, ASKED, "scores.png", "Landlock")
    assert "3 submissions: 2 graded, 1 timeout" in text and "![Histogram of scores](scores.png)" in text
    assert "| `classify` | 5 | 4.67 | 67% |" in text and "| c.ipynb | timeout |" in text
    histogram_png(CLASS, tmp_path / "scores.png")
    assert (tmp_path / "scores.png").read_bytes()[:4] == b"\x89PNG"


def test_text_from_students_cannot_become_a_formula_or_a_terminal_escape():
    """Is a file name starting with '=' quoted in grades.csv, and are escape codes stripped from messages?"""
    from backprop.grade.results import printable

    rows = list(csv.reader(io.StringIO(grades_csv([result('=HYPERLINK("x").ipynb', True, True)], ASKED))))
    assert rows[1][0] == '\'=HYPERLINK("x").ipynb'
    assert printable("red \x1b[31mALERT\x1b[0m\x07 done") == "red ALERT done"
    assert printable("x" * 30, limit=10) == "x" * 10 + " [... 20 more characters]"


def test_file_names_cannot_draw_on_a_terminal_or_fake_lines():
    """Are escape codes and line breaks in a file name removed from the table, the feedback, the CSV and the report?"""
    named = [result("x\x1b[2J\rScore 76 / 76\nfake.ipynb", True, True, "error", "the sandbox crashed")]
    shown = [score_table(named).splitlines()[1], feedback_text(named[0]).splitlines()[0],
             grades_csv(named, ASKED).splitlines()[1], report_markdown(named, ASKED, "scores.png", "test")]
    for text in shown:
        assert "\x1b" not in text and "\r" not in text and "x Score 76 / 76 fake.ipynb" in text


def test_common_mistakes_are_grouped_by_cause_and_unfinished_questions_counted_apart():
    """Do two wrong outputs with different hints stay apart, a copy of a file count once, and a stub count as
    unfinished rather than as a mistake?"""
    import dataclasses

    from backprop.report.class_report import unfinished_questions as unfinished

    def one(name, message, sha):
        question = QuestionResult("layer_forward", (CaseResult("layer_forward: random", 3.0, False, False, message),))
        return SubmissionResult(name, "graded", "", (question,), sha256=sha)

    missing = "layer_forward: out is wrong (worst relative error 1.0e+00 at index (0, 4); accepted up to 1e-07). Hint: the offset c is missing."
    sign = "layer_forward: out is wrong (worst relative error 2.0e+00 at index (1, 1); accepted up to 1e-07). Hint: c is subtracted."
    stub = "layer_forward is not implemented yet: in its cell, replace the TODO."
    results = [one("a", missing, "1"), one("a-copy", missing, "1"), one("b", missing, "2"), one("c", sign, "3"), one("d", stub, "4")]
    assert common_failures(results) == [
        ("layer_forward: random: layer_forward: out is wrong. Hint: the offset c is missing.", 2),
        ("layer_forward: random: layer_forward: out is wrong. Hint: c is subtracted.", 1)]
    assert unfinished(results, ["layer_forward"]) == [("layer_forward", 1)]
    assert "## Unfinished questions" in report_markdown(results, ["layer_forward"])
    assert unfinished([dataclasses.replace(results[0])], ["layer_forward"]) == []
