"""Tests for backprop.grade.grader: one file in, one SubmissionResult out, whatever the file holds."""

import time

import nbformat
import pytest

from backprop.grade import grade_file
from backprop.sandbox.process import Limits
from conftest import COURSE, COURSE_SAMPLES, FAST, SHORT_ANSWERS, points_of

# The fixture course's short_answers assignment: a function question (centroid), value questions (points_center,
# an array; best_choice, a string; point_count, an int) and a data file; its samples in tests/fixtures/course/samples.
FULL_MARKS = points_of(SHORT_ANSWERS)


def grade_sample(name):
    """Grade one sample submission of the fixture course's short_answers assignment."""
    return grade_file(COURSE_SAMPLES / name, SHORT_ANSWERS, FAST)


def question(result, name):
    """One question's result."""
    return next(q for q in result.questions if q.name == name)


@pytest.mark.parametrize("name, words", [
    ("empty.ipynb", "empty"), ("truncated.ipynb", "not valid notebook JSON"),
    ("no_code.ipynb", "no code cells"), ("another_assignment.ipynb", "defines none"),
    ("corrupt_export.zip", "not a readable zip"), ("encrypted_export.zip", "is encrypted"),
    ("bad_deflate_export.zip", "invalid block type"),
])
def test_files_that_are_not_this_assignment_are_invalid_rows(name, words):
    """Does each unusable file become an invalid result, 0 of the total, the reason in the message and in every case?"""
    result = grade_sample(name)
    assert (result.status, result.score, result.possible) == ("invalid", 0, FULL_MARKS)
    assert words in result.message and all(words in c.message for q in result.questions for c in q.cases)
    assert len(result.sha256) == 64


def test_missing_functions_cost_their_questions_with_a_message():
    """Are a renamed function reported as not defined and a renamed value as not answered, only their questions
    losing points?"""
    result = grade_sample("missing_answers.ipynb")
    assert result.status == "graded"
    for name, words in (("centroid", "centroid is not defined"), ("point_count", "point_count is not answered yet")):
        assert question(result, name).score == 0
        assert all(words in c.message for c in question(result, name).cases)
    assert result.score == FULL_MARKS - points_of(SHORT_ANSWERS, "centroid", "point_count")
    assert result.message == ("centroid is not defined: run the cell that defines it (if it shows an error, "
                              "fix that first), and keep its name.")


def test_wrong_signatures_are_reported_as_the_call_failing():
    """Does a function with a missing parameter fail with the TypeError Python gives, naming it?"""
    result = grade_sample("wrong_signatures.ipynb")
    messages = [c.message for c in question(result, "centroid").cases]
    assert messages and all("centroid() takes 0 positional arguments but 1 was given" in m for m in messages)
    assert question(result, "centroid").score == 0 and result.score == FULL_MARKS - points_of(SHORT_ANSWERS, "centroid")


@pytest.mark.parametrize("function, words", [
    ("centroid", "it is None"), ("centroid", "non-finite value (nan)"),
    ("point_count", "it is a str"), ("points_center", "it is a list"),
])
def test_none_nan_and_wrong_types_get_clear_messages(function, words):
    """Do None, NaN, a string and a list as results or answers each fail their question, saying what came back,
    while a right answer keeps its points?"""
    result = grade_sample("bad_return_values.ipynb")
    failed = question(result, function).failures()
    assert failed and all(function in c.message for c in failed) and any(words in c.message for c in failed)
    assert question(result, "best_choice").score == question(result, "best_choice").possible


def test_a_crashing_cell_is_reported_and_costs_nothing_else():
    """Does a cell raising NameError show in the message and the cell errors, with full marks for the functions?"""
    result = grade_sample("crashing_cell.ipynb")
    assert result.score == result.possible and result.status == "graded"
    # a message names the cell by its first line of code (students see no cell numbers)
    assert result.message.startswith("the cell that starts `print(spread(POINTS))` raised NameError")


def test_an_export_zip_grades_like_its_notebook():
    """Is the loops implementation (of centroid) inside an export zip graded, full marks?"""
    result = grade_sample("loops_export.zip")
    assert result.status == "graded" and result.score == result.possible


def test_a_missing_file_is_an_invalid_row_not_a_crash(tmp_path):
    """Does a path that vanished between listing and grading give an invalid result?"""
    result = grade_file(tmp_path / "gone.ipynb", SHORT_ANSWERS, FAST)
    assert result.status == "invalid" and "cannot be read" in result.message


def test_results_survive_a_round_trip_through_json():
    """Does SubmissionResult.from_dict(to_dict()) give back an equal result?"""
    from backprop.grade import SubmissionResult

    result = grade_sample("crashing_cell.ipynb")
    assert SubmissionResult.from_dict(result.to_dict()) == result


def test_translating_ipython_syntax_is_time_limited(tmp_path):
    """Does a notebook whose !commands would take IPython minutes to translate become invalid within the call limit?"""
    nb = nbformat.read(COURSE_SAMPLES / "solved.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("x = !ls\n" * 499 + "y = 1\n" * 5000))
    nbformat.write(nb, tmp_path / "escapes.ipynb")
    started = time.monotonic()
    result = grade_file(tmp_path / "escapes.ipynb", SHORT_ANSWERS, Limits(call_seconds=0.5))
    assert time.monotonic() - started < 5
    assert result.status == "invalid" and "translating %magics and !commands" in result.message


def test_a_helper_defined_in_a_cell_the_grader_skips_is_named(tmp_path):
    """When a function calls a helper the student defined in an exploration cell (which grading does not run),
    does the message say where the helper is and what to do, naming the cell by its first line?"""
    notebook = nbformat.read(COURSE_SAMPLES / "solved.ipynb", as_version=4)
    broken = (COURSE / "implementations" / "centroid__uses_a_helper.py").read_text()
    index = next(i for i, cell in enumerate(notebook.cells)
                 if "def centroid(" in cell.source and "question" in cell.metadata.get("tags", []))
    notebook.cells[index].source = broken
    exploration = nbformat.v4.new_code_cell((COURSE / "cells" / "column_means_helper.py").read_text()
                                            + "\nprint(centroid(POINTS))")
    exploration.metadata["tags"] = ["exploration"]
    notebook.cells.insert(index + 1, exploration)
    path = tmp_path / "helper_elsewhere.ipynb"
    nbformat.write(notebook, path)
    failures = question(grade_file(path, SHORT_ANSWERS, FAST), "centroid").failures()
    assert failures and all(
        "column_means is defined in a cell the grader does not run (the cell that starts `def column_means(points):`)"
        in case.message and "move it into the cell" in case.message for case in failures), failures[0].message


def test_a_function_whose_cell_does_not_parse_is_explained_by_that_cell(tmp_path):
    """When a question's cell has a SyntaxError, do its checks say that the cell (named by its first line, not a
    number) raised it, rather than asking the student to run a cell they did run?"""
    notebook = nbformat.read(COURSE_SAMPLES / "solved.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if c.source.startswith("def centroid("))
    assert "points.mean(axis=0)" in cell.source
    cell.source = cell.source.replace("points.mean(axis=0)", "points.mean(axis=0")
    path = tmp_path / "syntax_error.ipynb"
    nbformat.write(notebook, path)
    result = grade_file(path, SHORT_ANSWERS, FAST)
    failures = question(result, "centroid").failures()
    assert failures and all(case.message.startswith(
        "centroid is not defined: the cell that starts `def centroid(points):` raised SyntaxError") and
        "Fix that error first" in case.message and "<cell" not in case.message for case in failures), failures[0].message


def test_an_nbformat_3_notebook_is_graded():
    """Does a correct notebook saved in the old format (nbformat 3) get full marks, not a grader error?"""
    result = grade_file(COURSE_SAMPLES / "solved.nbformat3.ipynb", SHORT_ANSWERS, FAST)
    assert (result.status, result.score) == ("graded", FULL_MARKS)


def test_a_sandbox_that_cannot_start_is_the_grader_s_failure_not_a_zero(monkeypatch):
    """When the sandbox cannot start (a user that cannot run Python, say), is the row an error that says it is no
    verdict on the file, rather than a file graded 0?"""
    from backprop.grade import grade_cells
    from backprop.grade import sandboxed
    from backprop.grade.results import GRADER_FAILED
    from backprop.sandbox.process import SandboxStartError

    def cannot_start(*args, **kwargs):
        raise SandboxStartError("the sandbox process could not start: [Errno 13] Permission denied")

    monkeypatch.setattr(sandboxed, "Sandbox", cannot_start)
    cells = [(0, (SHORT_ANSWERS / "reference.py").read_text())]
    result = grade_cells(cells, SHORT_ANSWERS, FAST)
    assert result.status == "error" and result.message.startswith(GRADER_FAILED)
    assert "not a verdict" in result.message and "Permission denied" in result.message
    assert all(GRADER_FAILED in case.message for q in result.questions for case in q.cases)


def test_the_command_fails_loudly_when_the_grader_failed(monkeypatch, tmp_path, capsys):
    """Does python -m backprop.grade exit non-zero, saying why, when rows are the grader's own failures?"""
    from backprop.grade import __main__ as command
    from backprop.grade.results import GRADER_FAILED, SubmissionResult

    failed = SubmissionResult("a.ipynb", "error", f"{GRADER_FAILED}: its sandbox could not start (x)", ())
    monkeypatch.setattr(command, "grade", lambda **kwargs: [failed])
    assert command.main([str(tmp_path), "--results", str(tmp_path / "results")]) == 1
    assert "1 of 1 files were not graded because the grader itself failed" in capsys.readouterr().err
    monkeypatch.setattr(command, "grade", lambda **kwargs: [SubmissionResult("a.ipynb", "graded", "", ())])
    assert command.main([str(tmp_path), "--results", str(tmp_path / "results")]) == 0
