"""Tests for backprop.students.class_list: students_of, the class as students rather than files."""

import pathlib

from backprop.grade.results import CaseResult, QuestionResult, SubmissionResult
from backprop.students.class_list import students_of
from backprop.students.gradescope_export import read_metadata
from backprop.students.roster import read_roster

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students"


def result(path, score, status="graded"):
    """A SubmissionResult of score out of 10."""
    question = QuestionResult("q", (CaseResult("q: a", float(score), False, True, ""),
                                    CaseResult("q: b", 10.0 - score, False, False, "wrong")))
    return SubmissionResult(path, status, "", (question,))


def files(folder):
    """The files of a fixture folder, as paths relative to it."""
    root = FIXTURES / folder
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


CANVAS_SCORES = {"smithjohn_12345_67890_homework.ipynb": 6, "smithjohn_12345_67911_homework-1.ipynb": 9,
                 "smithjohn_12345_67912_homework.zip": 9, "müllerzoë_LATE_23456_70001_homework.ipynb": 7,
                 "team7_34567_70002_homework.ipynb": 5, "li_wei_99999_70005_hw_1_2.ipynb": 3,
                 "LATE_anon_xY9zQ_70004_hw.ipynb": 2, "notes.ipynb": 0}
CANVAS = [result(path, CANVAS_SCORES[path], "invalid" if path == "notes.ipynb" else "graded")
          for path in files("canvas")]


def test_a_canvas_class_groups_files_by_student_and_picks_the_counted_one():
    """Without a roster, does each Canvas user get one row with every file, the best (then latest) counting, and
    is a plain file its own student?"""
    assert sorted(CANVAS_SCORES) == files("canvas")
    rows = {row.student.id: row for row in students_of(CANVAS).rows}
    john = rows["12345"]
    assert [r.submission for r, _ in john.files] == ["smithjohn_12345_67890_homework.ipynb",
                                                     "smithjohn_12345_67911_homework-1.ipynb",
                                                     "smithjohn_12345_67912_homework.zip"]
    assert john.result.submission == "smithjohn_12345_67912_homework.zip" and john.score == 9
    assert (rows["23456"].late, rows["23456"].status) == (True, "graded")
    assert (rows["notes.ipynb"].status, rows["notes.ipynb"].student.source) == ("invalid", "file")
    assert len(rows) == 6


def test_with_a_roster_every_roster_student_is_listed_and_outsiders_flagged():
    """With a roster, are the roster's students listed first in its order (one with no file "missing", score 0),
    then the students not on it, flagged?"""
    class_list = students_of(CANVAS, roster=read_roster(FIXTURES / "roster.csv"))
    summary = [(row.student.id, row.status, row.score, row.notes) for row in class_list.rows]
    assert summary[:5] == [("12345", "graded", 9, ()), ("23456", "graded", 7, ()), ("34567", "graded", 5, ()),
                           ("45678", "missing", 0, ()), ("56789", "missing", 0, ())]
    assert [(id_, notes) for id_, _, _, notes in summary[5:]] == [
        ("anon_xY9zQ", ("not on the roster",)), ("99999", ("not on the roster",)),
        ("notes.ipynb", ("no roster student's id, e-mail or login is in its name",))]
    assert class_list.possible == 10 and class_list.has_roster


def test_a_group_file_counts_for_each_member():
    """Does a Gradescope group submission give each member a row, with the file counted for both, and is only the
    submitter the roster lacks noted so?"""
    metadata = read_metadata(FIXTURES / "gradescope" / "submission_metadata.yml")
    results = [result(path, 8 if path.endswith(".zip") else 4) for path in files("gradescope")]
    roster = read_roster(FIXTURES / "roster.csv")
    notes = {row.student.id: row.notes for row in students_of(results, metadata=metadata, roster=roster).rows}
    assert notes["pat@elsewhere.example"] == ("not on the roster",) and notes["12345"] == notes["34567"] == ()
    class_list = students_of(results, metadata=metadata)
    rows = {row.student.id: row for row in class_list.rows}
    assert rows["12345"].result.submission == rows["34567"].result.submission == "submission_222/homework.zip"
    assert class_list.counted_files == {"submission_111/homework.ipynb", "submission_222/homework.zip",
                                        "submission_333/notebook.ipynb"}
    assert class_list.identities["submission_metadata.yml"].students == ()  # graded as a file, no one's
    assert len(class_list.rows) == 4


def test_a_moodle_class_is_one_student_per_participant():
    """Is each Moodle participant one student, named as Moodle names them?"""
    rows = students_of([result(path, 5) for path in files("moodle")]).rows
    assert [(row.student.id, row.student.name) for row in rows] == [
        ("103", "Ann Lee"), ("104", "Bo Chen"), ("102", "José Ñúñez"), ("101", "Zoë Müller")]
