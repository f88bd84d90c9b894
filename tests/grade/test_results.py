"""Tests for backprop.grade.results: the text helpers that reports share."""

from backprop.grade.results import without_details


def test_details_go_and_hints_stay():
    """Does a check's message lose where and how wrong the worst entry was, keeping every sentence after it?"""
    message = ("f: out is wrong (worst relative error 1.0e+00 at index (0, 4): expected 1.5, got 2; accepted up to "
               "1e-07). Hint: the bias b is missing. Also, x was not restored.")
    assert without_details(message) == "f: out is wrong. Hint: the bias b is missing. Also, x was not restored."
    assert without_details("f: out is wrong (worst relative error 1.0e+00; accepted up to 1e-07).") == "f: out is wrong."
    assert without_details("f is not implemented yet.") == "f is not implemented yet."
