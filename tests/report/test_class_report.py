"""Tests for backprop.report.class_report, on the graded results of tests/fixtures/report (see its README.md).

Seven students' files (s1 to s7, s7 invalid) and a copy of s2's bytes; three made-up questions.
"""

import json
import random
import re

import pytest

from backprop.grade.results import SubmissionResult
from backprop.report.class_report import (check_pass_rates, histogram_png, report_markdown, root_cause, root_causes,
                                          score_distribution, table_cell, unfinished_questions)
from conftest import FIXTURES
from tests.fuzz.rows import assert_tables_intact

REPORT = FIXTURES / "report"
QUESTIONS = ["layer_forward", "penalty", "estimate"]
DIVIDE = "forgot to divide by N: average over the batch."
L2 = "the L2 penalty is 0.5 * reg * sum(W ** 2): the 0.5 is missing (a 2h step would not need it)."
IN_PLACE = ("layer_forward modified its input x in place. Functions must not change their inputs: compute into a new "
            "array (e.g. x.copy() or np.maximum).")


def load(path):
    """A SubmissionResult from a fixture file."""
    return SubmissionResult.from_dict(json.loads(path.read_text()))


@pytest.fixture
def results():
    """Every file's result, in file-name order (s2's copy right after s2)."""
    return [load(path) for path in sorted((REPORT / "class").glob("*.json"))]


@pytest.fixture
def counted(results):
    """One result per student: s1 to s7, without the copy."""
    return [result for result in results if "copy" not in result.submission]


def section(markdown, title):
    """The lines of a report's section, from its title to the next one."""
    text = markdown.split(f"## {title}\n", 1)[1]
    return text.split("\n## ", 1)[0].strip().splitlines()


def test_pass_rate_per_check_is_over_students_with_a_verdict(counted):
    """Is each check's pass rate the share of students passing it, public and hidden apart, the invalid file out?"""
    assert check_pass_rates(counted, QUESTIONS) == [
        ("layer_forward", "layer_forward: worked example", False, 2.0, 3, 6),
        ("layer_forward", "layer_forward: leaves its input alone", False, 1.0, 1, 6),
        ("layer_forward", "layer_forward: other random batches", True, 4.0, 2, 6),
        ("penalty", "penalty: the L2 penalty", False, 1.0, 4, 6),
        ("penalty", "penalty: other weights", True, 2.0, 3, 6),
        ("estimate", "estimate: one of the choices", False, 1.0, 3, 6),
        ("estimate", "estimate: the right one", True, 1.0, 2, 6)]
    rows = section(report_markdown(counted, QUESTIONS), "Pass rate per check")
    assert "| `layer_forward` | worked example | public | 2 | 50% (3 of 6) |" in rows
    assert "|  | other random batches | hidden | 4 | 33% (2 of 6) |" in rows  # the question named once


def test_root_causes_group_by_the_hints_slip_and_count_students(counted):
    """Are first failures grouped by the slip after "Hint:" whatever the numbers around it, messages without a
    hint by their text without its varying details, numbers of the words (L2, 0.5, 2h) kept, stubs left out?"""
    assert root_causes(counted, QUESTIONS) == [
        ("layer_forward", DIVIDE, 2), ("penalty", L2, 2), ("estimate", "estimate should be one of 'a', 'b', 'c'.", 2),
        ("layer_forward", IN_PLACE, 1),
        ("layer_forward", "layer_forward: out has shape (…); expected (N, M) = (2, 3). It is transposed: batches are "
                          "in rows.", 1),
        ("estimate", "estimate is not the reason. Subtracting the same constant from every score of a row changes "
                     "nothing.", 1)]
    rows = section(report_markdown(counted, QUESTIONS), "Most common root causes")
    assert rows[2:4] == ["| students | question | cause |", "|---:|---|---|"]
    assert rows[4] == f"| 2 | `layer_forward` | {DIVIDE} |"
    assert section(report_markdown(counted[:1], QUESTIONS), "Most common root causes")[-1] == "No failure."


@pytest.mark.parametrize("message, expected", [
    ("f: out is wrong (worst relative error 1.0e+00 at index (0, 4): expected 1.5, got 0.2; accepted up to 1e-07). "
     "Hint: the L2 penalty is missing.", "the L2 penalty is missing."),
    ("f raised ValueError: Hint: a student's own text. Hint: the shapes do not fit.", "the shapes do not fit."),
    ("g: grad is wrong (worst relative error 1.0e-03 at index (1, 0); accepted up to 1e-07). Also, x was not "
     "restored: put each entry back after f(x + h) and f(x - h), as (f(x + h) - f(x - h)) / 2h needs.",
     "g: grad is wrong. Also, x was not restored: put each entry back after f(x + h) and f(x - h), as "
     "(f(x + h) - f(x - h)) / 2h needs."),
    ("s: dscores contains a non-finite value (nan) at index (0, 3). Subtract each row's maximum first.",
     "s: dscores contains a non-finite value (nan). Subtract each row's maximum first."),
    ("p: y_pred should be an array; it is a list of length 12. Take the argmax of each row (axis=1).",
     "p: y_pred should be an array; it is a list. Take the argmax of each row (axis=1)."),
    ("p: 3 of 8 examples get the wrong label: expected [0, 2, 1], got [1, 1, 1]. Use axis=1.",
     "p: some of 8 examples get the wrong label. Use axis=1."),
    ("v should be a finite number; it is -1.5e+300.", "v should be a finite number."),
    ("v should be of type int or float; it is a str.", "v should be of type int or float; it is a str."),
])
def test_root_cause_masks_only_what_differs_between_submissions(message, expected):
    """Does a cause drop where the worst entry was, printed values, lengths, counts and answers, and keep the hint's
    slip (the checks' last one) and numbers that are words (L2, 2h, axis=1)?"""
    assert root_cause(message) == expected


def test_unfinished_questions_are_counted_apart(counted):
    """Is a question still raising NotImplementedError (or a value still None) counted per question, not as a
    cause, and the invalid file's "not graded" left out?"""
    assert unfinished_questions(counted, QUESTIONS) == [("layer_forward", 1), ("penalty", 1), ("estimate", 1)]
    assert all("not implemented" not in cause and "not graded" not in cause
               for _, cause, _ in root_causes(counted, QUESTIONS))
    assert "| `penalty` | 1 |" in section(report_markdown(counted, QUESTIONS), "Unfinished questions (still raising "
                                                                               "NotImplementedError)")


def test_score_distribution_counts_students_per_score(counted):
    """Does each question list how many students got each score, the invalid file's 0 included?"""
    assert score_distribution(counted, QUESTIONS) == [
        ("layer_forward", 7.0, [(0.0, 4), (2.0, 1), (6.0, 1), (7.0, 1)]),
        ("penalty", 3.0, [(0.0, 3), (1.0, 1), (3.0, 3)]),
        ("estimate", 2.0, [(0.0, 4), (1.0, 1), (2.0, 2)])]
    rows = section(report_markdown(counted, QUESTIONS), "Score distribution per question")
    assert "| `layer_forward` | 7 | 0: 4 · 2: 1 · 6: 1 · 7: 1 |" in rows


def test_class_figures_are_over_counted_results_and_files_to_look_at_over_all(results, counted):
    """Without counted, is a file's copy counted once; with counted, are the figures over those students only,
    while every file (the copy, the invalid one) still shows in the header and among the files to look at?"""
    guessed = report_markdown(results, QUESTIONS)
    assert "8 submissions: 6 graded, 1 invalid, 1 timeout" in guessed  # the statuses of every file
    assert "7 students counted (a file's identical copies once)." in guessed
    assert "(3 of 6)" in guessed and " of 7)" not in guessed  # the copy does not count twice in a pass rate
    assert "Score out of 12: mean 4.3, median 4, min 0, max 12." in guessed
    graded_only = [result for result in counted if result.status != "invalid"]
    chosen = report_markdown(results, QUESTIONS, counted=graded_only)
    assert "6 students counted." in chosen and "Score out of 12: mean 5.0, median 4.5, min 0, max 12." in chosen
    assert "| `layer_forward` | 7 | 0: 3 · 2: 1 · 6: 1 · 7: 1 |" in chosen
    assert "| s7_empty.ipynb | invalid |" in chosen and "| s6_transposed.ipynb | timeout |" in chosen


def test_late_submissions_are_counted_in_the_header_when_known(counted):
    """Does the header say how many students submitted late, and nothing about it when that is unknown?"""
    assert "7 students counted; 2 of them submitted late." in report_markdown(counted, QUESTIONS, counted=counted,
                                                                               late=2)
    assert "late" not in report_markdown(counted, QUESTIONS, counted=counted).split("## ")[0]


def test_possible_copies_are_listed_with_links_or_none_flagged(counted):
    """Are flagged pairs listed most similar first with their comparison's link, and is an empty list said?"""
    pairs = [("s2_divide.ipynb", "s3_divide_and_l2.ipynb", 0.973), ("s1_full_marks.ipynb", "s4_in_place.ipynb", 0.5)]
    linked = section(report_markdown(counted, QUESTIONS, similar=pairs,
                                     similar_link=lambda index: f"similarity/{index:03d}.html"), "Possible copies")
    assert linked[-2:] == ["| [1](similarity/001.html) | 97.3% | s2_divide.ipynb | s3_divide_and_l2.ipynb |",
                           "| [2](similarity/002.html) | 50.0% | s1_full_marks.ipynb | s4_in_place.ipynb |"]
    assert section(report_markdown(counted, QUESTIONS, similar=pairs), "Possible copies")[-2].startswith("| 1 | 97.3%")
    assert section(report_markdown(counted, QUESTIONS), "Possible copies") == ["None flagged."]


def test_the_report_is_the_same_for_the_same_inputs_in_any_order(results, counted):
    """Are two reports of the same results the same text, whatever the order of the counted results?"""
    shuffled = counted[:]
    random.Random(4).shuffle(shuffled)
    first = report_markdown(results, QUESTIONS, "scores.png", "test", counted=counted, late=1)
    assert first == report_markdown(results, QUESTIONS, "scores.png", "test", counted=counted, late=1)
    assert first == report_markdown(results, QUESTIONS, "scores.png", "test", counted=shuffled, late=1)


def test_student_text_cannot_make_links_html_or_break_tables(counted):
    """Do a file name, a message and a pair's names holding links, images, HTML, pipes and line breaks stay text
    within their cell, and can a comparison's address not end its link early?"""
    hostile = load(REPORT / "hostile.json")
    name = hostile.submission
    markdown = report_markdown(counted + [hostile], QUESTIONS, similar=[(name, "s1_full_marks.ipynb", 0.9)],
                               similar_link=lambda index: "x.html) [evil](https://evil.example/")
    assert_tables_intact(markdown)
    student_lines = [line for line in markdown.splitlines() if "evil" in line or "title.ipynb" in line]
    assert len(student_lines) >= 3  # the cause, the pair and the file to look at
    for line in student_lines:
        students_text = line.replace("| [1](x.html", "|")  # the report's own link to the comparison
        assert not re.search(r"(?<!\\)(\]\(|<[a-z/])", students_text), line  # no link, image or tag begins unescaped
    assert "[1](x.html%29%20%5Bevil%5D%28https%3A//evil.example/)" in markdown
    assert not any(line.startswith("# title") for line in markdown.splitlines())
    assert table_cell("a|b\n[c](d)") == "a/b \\[c\\](d)"


def test_histogram_is_written_as_a_png(tmp_path, counted):
    """Is the histogram of scores saved as a PNG?"""
    histogram_png(counted, tmp_path / "scores.png")
    assert (tmp_path / "scores.png").read_bytes()[:4] == b"\x89PNG"
