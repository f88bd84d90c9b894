"""Tests for backprop.report.gradebooks: the Canvas import gradebook and the plain one."""

import csv
import io
import pathlib

from backprop.grade.results import CaseResult, QuestionResult, SubmissionResult
from backprop.report.gradebooks import gradebook_canvas_csv, gradebook_csv
from backprop.students.class_list import students_of
from backprop.students.gradescope_export import read_metadata
from backprop.students.roster import read_roster

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students"
ROSTER = read_roster(FIXTURES / "roster.csv")


def result(path, score):
    """A graded SubmissionResult of score out of 20."""
    question = QuestionResult("q", (CaseResult("q: a", float(score), False, True, ""),
                                    CaseResult("q: b", 20.0 - score, False, False, "wrong")))
    return SubmissionResult(path, "graded", "", (question,))


def rows_of(text):
    """A CSV's rows as lists, read as the file would be ("utf-8-sig")."""
    return list(csv.reader(io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", newline="")))


CANVAS_FILES = [result("smithjohn_12345_67890_hw.ipynb", 16), result("smithjohn_12345_67999_hw.zip", 18),
                result("müllerzoë_LATE_23456_70001_hw.ipynb", 14), result("evil_45678_70002_hw.ipynb", 2),
                result("stranger_77777_70003_hw.ipynb", 10)]


def test_the_canvas_gradebook_follows_canvas_s_import_format():
    """Does the Canvas gradebook have Canvas's student columns, the assignment as "Title (id)", a Points Possible
    line, each roster student with their Canvas id, SIS ids and section, the counted score, a blank for a missing
    one (no EX overwritten),
    a student not on the roster with their Canvas id, and a hostile name that is no formula?"""
    class_list = students_of(CANVAS_FILES, roster=ROSTER)
    header, points, *rows = rows_of(gradebook_canvas_csv(class_list, assignment="Homework 1", assignment_id=501))
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework 1 (501)"]
    assert points == ["Points Possible", "", "", "", "", "20"]
    assert rows == [["Smith, John", "12345", "S001", "jsmith", "A", "18"],
                    ["Müller, Zoë", "23456", "S002", "zmuller", "A", "14"],
                    ["José Ñúñez", "34567", "S003", "jnunez", "B", ""],
                    ['\'=HYPERLINK("http://evil.example","click me")', "45678", "S004", "evil", "B", "2"],
                    ["Absent, Student", "56789", "S005", "absent", "B", ""],
                    ["stranger", "77777", "", "", "", "10"]]


def test_the_canvas_gradebook_leaves_the_id_blank_when_it_is_not_canvas_s():
    """Without an assignment id, is the column the bare title, and does a Gradescope SID (not a Canvas user id)
    stay out of the ID column, so Canvas matches by name instead of a wrong user?"""
    metadata = read_metadata(FIXTURES / "gradescope" / "submission_metadata.yml")
    class_list = students_of([result("submission_111/homework.ipynb", 12)], metadata=metadata)
    header, _, *rows = rows_of(gradebook_canvas_csv(class_list, assignment="HW 1"))
    assert header[-1] == "HW 1" and rows == [["Zoë Müller", "", "", "", "", "12"]]


def test_the_plain_gradebook_has_one_line_per_student():
    """Does the plain gradebook list id, name, score, possible and late (1/0) for every student, 0 when missing?"""
    rows = rows_of(gradebook_csv(students_of(CANVAS_FILES, roster=ROSTER)))
    assert rows[0] == ["id", "name", "score", "possible", "late"]
    assert rows[1:4] == [["12345", "Smith, John", "18", "20", "0"], ["23456", "Müller, Zoë", "14", "20", "1"],
                         ["34567", "José Ñúñez", "0", "20", "0"]]
    assert len(rows) == 7


def test_gradebooks_start_with_one_bom():
    """Do both gradebooks start with exactly one UTF-8 byte order mark (Excel's cue for UTF-8)?"""
    class_list = students_of(CANVAS_FILES, roster=ROSTER)
    for text in (gradebook_canvas_csv(class_list, assignment="HW"), gradebook_csv(class_list)):
        data = text.encode("utf-8")
        assert data[:3] == b"\xef\xbb\xbf" and data.count(b"\xef\xbb\xbf") == 1
