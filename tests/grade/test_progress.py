"""Tests for backprop.grade.progress: a bar on a terminal, plain lines elsewhere."""

import io

from backprop.grade.progress import Progress
from backprop.grade.results import SubmissionResult


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self):
        return True


def test_a_terminal_gets_one_redrawn_bar_and_a_log_gets_one_line_per_file():
    """Does a terminal get a bar redrawn with carriage returns, and a pipe plain lines with score and status?"""
    result = SubmissionResult("alice.ipynb", "graded", "", ())
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = Progress(stream)
        progress(result, 1, 2)
        progress(result, 2, 2)
    assert terminal.getvalue().count("\r") == 2 and "[" + "#" * 30 + "] 2/2" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n") and terminal.getvalue().count("\n") == 1
    assert log.getvalue().splitlines() == ["[1/2] alice.ipynb: 0/0 graded", "[2/2] alice.ipynb: 0/0 graded"]
