"""Tests for backprop.report.csv_table, student_feedback and class_report, on hand-made results."""

import csv
import io
import pathlib

from backprop.grade.results import CaseResult, QuestionResult, SubmissionResult
from backprop.report.class_report import histogram_png, question_table, report_markdown
from backprop.report.csv_table import grades_csv, not_graded_csv, students_csv
from backprop.report.score_table import score_table
from backprop.report.student_feedback import feedback_text
from backprop.students.class_list import students_of
from backprop.students.roster import read_roster

ROSTER = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students" / "roster.csv"
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


def read_csv(text):
    """The rows of a CSV as a program reads the file the grader writes (UTF-8, "utf-8-sig"), as dicts."""
    return list(csv.DictReader(io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", newline="")))


def test_grades_csv_has_one_row_per_submission_and_a_column_per_question():
    """Does grades.csv list every submission with score, possible, status, message and per-question points?"""
    rows = read_csv(grades_csv(CLASS, ASKED))
    assert list(rows[0]) == ["submission", "student_id", "student_name", "late", "counted", "score", "possible",
                             "status", "message", "overrides", "layer_forward", "classify"]
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

    rows = read_csv(grades_csv([result('=HYPERLINK("x").ipynb', True, True)], ASKED))
    assert rows[0]["submission"] == rows[0]["student_id"] == '\'=HYPERLINK("x").ipynb'
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
    from backprop.report.class_report import one_per_file, root_causes

    assert root_causes(one_per_file(results), ["layer_forward"]) == [("layer_forward", "the offset c is missing.", 2),
                                                        ("layer_forward", "c is subtracted.", 1)]
    assert unfinished(results, ["layer_forward"]) == [("layer_forward", 1)]
    assert "## Unfinished questions" in report_markdown(results, ["layer_forward"])
    assert unfinished([dataclasses.replace(results[0])], ["layer_forward"]) == []


def test_without_students_each_file_is_its_own_student():
    """When grades_csv is given no class list, is each file its own student (id and name the path), on time and
    counted?"""
    rows = read_csv(grades_csv(CLASS, ASKED))
    assert [(r["student_id"], r["student_name"], r["late"], r["counted"]) for r in rows] == [
        (name, name, "0", "1") for name in ("a.ipynb", "b.ipynb", "c.ipynb")]


def test_grades_csv_names_each_file_s_student_lateness_and_whether_it_counts():
    """With a class list, does each file's row carry its student's id and name, its lateness and whether it is the
    file that counts for its student?"""
    files = [result("smithjohn_12345_67890_hw.ipynb", True, False),
             result("smithjohn_12345_67999_hw-1.ipynb", True, True),
             result("müllerzoë_LATE_23456_70001_hw.ipynb", False, True)]
    rows = read_csv(grades_csv(files, ASKED, students_of(files, roster=read_roster(ROSTER))))
    assert [(r["student_id"], r["student_name"], r["late"], r["counted"]) for r in rows] == [
        ("12345", "Smith, John", "0", "0"), ("12345", "Smith, John", "0", "1"), ("23456", "Müller, Zoë", "1", "1")]


def test_students_csv_lists_every_roster_student_once_with_their_counted_file():
    """Does students.csv give one row per student: the counted file's score and points per question, every file,
    late, "missing" with 0 for a roster student with no file, a note for one not on the roster, and a hostile name
    quoted so that it is no formula?"""
    files = [result("smithjohn_12345_67890_hw.ipynb", True, False), result("smithjohn_12345_67999_hw.zip", True, True),
             result("müllerzoë_LATE_23456_70001_hw.ipynb", False, True),
             result("evil_45678_70002_hw.ipynb", False, False), result("stranger_77777_70003_hw.ipynb", True, True)]
    rows = read_csv(students_csv(students_of(files, roster=read_roster(ROSTER)), ASKED))
    assert list(rows[0]) == ["student_id", "student_name", "email", "score", "possible", "late", "status",
                             "counted_file", "files", "notes", "layer_forward", "classify"]
    by_id = {row["student_id"]: row for row in rows}
    john = by_id["12345"]
    assert (john["score"], john["counted_file"], john["files"], john["classify"]) == (
        "10", "smithjohn_12345_67999_hw.zip", "smithjohn_12345_67890_hw.ipynb;smithjohn_12345_67999_hw.zip", "5")
    assert (by_id["23456"]["student_name"], by_id["23456"]["late"], by_id["23456"]["email"]) == (
        "Müller, Zoë", "1", "zmuller@example.edu")
    missing = [by_id["34567"], by_id["56789"]]
    assert [(row["status"], row["score"], row["possible"], row["files"]) for row in missing] == [
        ("missing", "0", "10", "")] * 2
    assert by_id["45678"]["student_name"] == '\'=HYPERLINK("http://evil.example","click me")'
    assert (by_id["77777"]["notes"], by_id["77777"]["student_name"]) == ("not on the roster", "stranger")
    assert len(rows) == 6


def test_every_csv_starts_with_one_bom_and_keeps_non_ascii_names():
    """Do grades.csv, students.csv and not_graded.csv start with exactly one UTF-8 byte order mark (for Excel), and
    do non-ASCII names come back intact when read with "utf-8-sig"?"""
    files = [result("müllerzoë_23456_70001_hw.ipynb", True, True)]
    class_list = students_of(files, roster=read_roster(ROSTER))
    texts = [grades_csv(files, ASKED, class_list), students_csv(class_list, ASKED),
             not_graded_csv([("José Ñúñez.ipynb", "none of the assignments")])]
    for text in texts:
        data = text.encode("utf-8")
        assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
        assert not data[3:].startswith(b"\xef\xbb\xbf")
    assert read_csv(texts[0])[0]["student_name"] == "Müller, Zoë"
    assert read_csv(texts[1])[2]["student_name"] == "José Ñúñez"
    assert read_csv(texts[2]) == [{"file": "José Ñúñez.ipynb", "reason": "none of the assignments"}]


def test_a_file_that_is_no_one_s_has_no_student_and_does_not_count():
    """Is the Gradescope export's own submission_metadata.yml (graded as a file like any other) no student's, and
    not counted?"""
    from backprop.students.gradescope_export import read_metadata

    metadata = read_metadata(ROSTER.parent / "gradescope" / "submission_metadata.yml")
    files = [result("submission_metadata.yml", False, False, "invalid"), result("submission_111/hw.ipynb", True, True)]
    rows = read_csv(grades_csv(files, ASKED, students_of(files, metadata=metadata)))
    assert [(r["student_id"], r["student_name"], r["counted"]) for r in rows] == [
        ("", "", "0"), ("23456", "Zoë Müller", "1")]
