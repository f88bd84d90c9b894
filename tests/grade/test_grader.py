"""Tests for backprop.grade.grader: one file in, one SubmissionResult out, whatever the file holds."""

import time

import nbformat
import pytest

from backprop.grade import grade_file
from backprop.sandbox.process import Limits
from conftest import AUTOGRADER, FAST, FIXTURES, SUBMISSIONS, TOTAL, possible


def grade_sample(name):
    """Grade one bundled sample submission."""
    return grade_file(SUBMISSIONS / name, AUTOGRADER, FAST)


def question(result, name):
    """One question's result."""
    return next(q for q in result.questions if q.name == name)


@pytest.mark.parametrize("name, words", [
    ("empty.ipynb", "empty"), ("truncated.ipynb", "not valid notebook JSON"),
    ("no_code.ipynb", "no code cells"), ("another_assignment.ipynb", "defines none"),
    ("corrupt_export.zip", "not a readable zip"), ("../unreadable/encrypted_export.zip", "is encrypted"),
    ("../unreadable/bad_deflate_export.zip", "invalid block type"),
])
def test_files_that_are_not_this_assignment_are_invalid_rows(name, words):
    """Does each unusable file become an invalid result, 0 of the total, the reason in the message and in every case?"""
    result = grade_sample(name)
    assert (result.status, result.score, result.possible) == ("invalid", 0, TOTAL)
    assert words in result.message and all(words in c.message for q in result.questions for c in q.cases)
    assert len(result.sha256) == 64


def test_missing_functions_cost_their_questions_with_a_message():
    """Are renamed functions reported as not defined, only their questions losing points?"""
    result = grade_sample("missing_functions.ipynb")
    assert result.status == "graded"
    for name in ("predict", "numerical_gradient"):
        assert question(result, name).score == 0
        assert all(f"{name} is not defined" in c.message for c in question(result, name).cases)
    assert result.score == TOTAL - possible("numerical_gradient", "predict")
    assert result.message == ("numerical_gradient is not defined: run the cell that defines it (if it shows an error, "
                              "fix that first), and keep its name. (lost points in numerical_gradient, predict)")


def test_wrong_signatures_are_reported_as_the_call_failing():
    """Does a function with a missing parameter fail with the TypeError Python gives, naming it?"""
    result = grade_sample("wrong_signatures.ipynb")
    messages = [c.message for c in question(result, "affine_forward").cases]
    assert all("takes 2 positional arguments but 3 were given" in m for m in messages)
    assert question(result, "relu_backward").score < question(result, "relu_backward").possible


@pytest.mark.parametrize("function, words", [
    ("relu_forward", "returned None"), ("softmax_loss", "non-finite value (nan)"),
    ("numerical_gradient", "it is a str"), ("predict", "it is a list"),
])
def test_none_nan_and_wrong_types_get_clear_messages(function, words):
    """Do None, NaN, a string and a list as results each fail their question, saying what came back?"""
    result = grade_sample("bad_return_values.ipynb")
    failed = question(result, function).failures()
    assert failed and all(function in c.message for c in failed) and any(words in c.message for c in failed)
    assert question(result, "affine_forward").score == question(result, "affine_forward").possible


def test_a_crashing_cell_is_reported_and_costs_nothing_else():
    """Does a cell raising NameError show in the message and the cell errors, with full marks for the functions?"""
    result = grade_sample("crashing_cell.ipynb")
    assert result.score == result.possible and result.status == "graded"
    # a message names the cell by its first line of code (students see no cell numbers)
    assert result.message.startswith("the cell that starts `print(learning_rate_schedule(10))` raised NameError")


def test_an_export_zip_grades_like_its_notebook():
    """Is the loops implementation inside an export zip graded, full marks?"""
    result = grade_sample("loops_export.zip")
    assert result.status == "graded" and result.score == result.possible


def test_a_missing_file_is_an_invalid_row_not_a_crash(tmp_path):
    """Does a path that vanished between listing and grading give an invalid result?"""
    result = grade_file(tmp_path / "gone.ipynb", AUTOGRADER, FAST)
    assert result.status == "invalid" and "cannot be read" in result.message


def test_results_survive_a_round_trip_through_json():
    """Does SubmissionResult.from_dict(to_dict()) give back an equal result?"""
    from backprop.grade import SubmissionResult

    result = grade_sample("crashing_cell.ipynb")
    assert SubmissionResult.from_dict(result.to_dict()) == result


def test_translating_ipython_syntax_is_time_limited(tmp_path):
    """Does a notebook whose !commands would take IPython minutes to translate become invalid within the call limit?"""
    nb = nbformat.read(SUBMISSIONS / "reference.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("x = !ls\n" * 499 + "y = 1\n" * 5000))
    nbformat.write(nb, tmp_path / "escapes.ipynb")
    started = time.monotonic()
    result = grade_file(tmp_path / "escapes.ipynb", AUTOGRADER, Limits(call_seconds=0.5))
    assert time.monotonic() - started < 5
    assert result.status == "invalid" and "translating the notebook's IPython syntax" in result.message


def test_a_helper_defined_in_a_cell_the_grader_skips_is_named(tmp_path):
    """When a function calls a helper the student defined in an exploration cell (which grading does not run),
    does the message say where the helper is and what to do, naming the cell by its first line?"""
    notebook = nbformat.read(SUBMISSIONS / "reference.ipynb", as_version=4)
    broken = (FIXTURES / "implementations" / "broken" / "uses_a_helper_from_another_cell.py").read_text()
    for cell in notebook.cells:
        if "def softmax_loss(" in cell.source and "question" in cell.metadata.get("tags", []):
            cell.source = broken
        elif "exploration" in cell.metadata.get("tags", []):
            exploration = cell
    exploration.source = (FIXTURES / "cells" / "stable_softmax_helper.py").read_text() + "\n" + exploration.source
    path = tmp_path / "helper_elsewhere.ipynb"
    nbformat.write(notebook, path)
    failures = question(grade_file(path, AUTOGRADER, FAST), "softmax_loss").failures()
    assert failures and all(
        "stable_softmax is defined in a cell the grader does not run (the cell that starts `def stable_softmax(scores):`)"
        in case.message and "move it into the cell" in case.message for case in failures), failures[0].message


def test_a_function_whose_cell_does_not_parse_is_explained_by_that_cell(tmp_path):
    """When a question's cell has a SyntaxError, do its checks say that the cell (named by its first line, not a
    number) raised it, rather than asking the student to run a cell they did run?"""
    notebook = nbformat.read(SUBMISSIONS / "reference.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if c.source.startswith("def relu_forward("))
    cell.source = cell.source.replace("np.maximum(x, 0)", "np.maximum(x, 0")
    path = tmp_path / "syntax_error.ipynb"
    nbformat.write(notebook, path)
    result = grade_file(path, AUTOGRADER, FAST)
    failures = question(result, "relu_forward").failures()
    assert failures and all(case.message.startswith(
        "relu_forward is not defined: the cell that starts `def relu_forward(x):` raised SyntaxError") and
        "Fix that error first" in case.message and "<cell" not in case.message for case in failures), failures[0].message


def test_an_nbformat_3_notebook_is_graded():
    """Does a correct notebook saved in the old format (nbformat 3) get full marks, not a grader error?"""
    result = grade_file(FIXTURES / "formats" / "reference.nbformat3.ipynb", AUTOGRADER, FAST)
    assert (result.status, result.score) == ("graded", TOTAL)


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
    cells = [(0, (AUTOGRADER / "reference.py").read_text())]
    result = grade_cells(cells, AUTOGRADER, FAST)
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
