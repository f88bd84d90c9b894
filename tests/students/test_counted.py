"""Tests for backprop.students.counted: which of a student's files counts."""

from backprop.grade.results import CaseResult, QuestionResult, SubmissionResult
from backprop.students.counted import counted_file
from backprop.students.identity import Identity, Student

ZOE = (Student("23456", "Zoë"),)


def handin(path, score, status="graded", late=False, order=None):
    """A (SubmissionResult, Identity) pair: a file scoring score of 10 points."""
    question = QuestionResult("q", (CaseResult("q: a", float(score), False, True, ""),
                                    CaseResult("q: b", 10.0 - score, False, False, "wrong")))
    return SubmissionResult(path, status, "", (question,)), Identity(ZOE, late, order)


def chosen(*handins):
    """The path of the file that counts."""
    return counted_file(list(handins))[0].submission


def test_the_best_score_counts_even_late():
    """Does the higher score count, whatever its lateness, order or name?"""
    assert chosen(handin("a.ipynb", 4, order=9), handin("b.zip", 7, late=True, order=1)) == "b.zip"


def test_ties_go_to_a_full_grading_then_on_time_then_the_later_upload_then_the_first_path():
    """Among equal scores: does a graded file beat an invalid one, an on-time one a late one, a later upload an
    earlier one (an upload with no number last), and the first path the others?"""
    assert chosen(handin("a.pdf", 0, "invalid"), handin("b.ipynb", 0)) == "b.ipynb"
    assert chosen(handin("a.ipynb", 5, late=True, order=9), handin("b.ipynb", 5, order=1)) == "b.ipynb"
    assert chosen(handin("hw-1.ipynb", 5, order=68000), handin("hw.ipynb", 5, order=67890)) == "hw-1.ipynb"
    assert chosen(handin("a.ipynb", 5), handin("b.ipynb", 5, order=1)) == "b.ipynb"
    assert chosen(handin("b.zip", 5), handin("a.ipynb", 5)) == "a.ipynb"
