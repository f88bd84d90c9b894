"""Grading mutants for real, on one small question, through the sandbox as make grade does.

(Named test_run_mutants.py: tests/gradescope/test_run.py already has the name test_run.)
"""

import io
import shutil

import pytest

from conftest import AUTOGRADER, ROOT

from backprop.grade import grade_cells
from backprop.mutants.__main__ import main
from backprop.mutants.operators import Mutant
from backprop.mutants.report import build, final_line, load_equivalent
from backprop.mutants.run import Outcome, Progress, run_mutants

EQUIVALENT = ROOT / "solutions" / "two_layer_net.equivalent_mutants.json"
# relu_backward's mutants with the current tests: the dropped statements, x > 0 -> x < 0 and x > 0 -> x > 1 are
# killed by public checks; x > 0 -> x >= 0 survives every check: it differs only at x == 0, which no test
# evaluates (the notebook accepts either convention), and the equivalent list declares it.
KNOWN_MUTANTS = ["dropped statement: x = cache -> pass", "dropped statement: dx = dout * (x > 0) -> pass",
                 "comparison: x > 0 -> x >= 0", "comparison: x > 0 -> x < 0", "constant: x > 0 -> x > 1"]
KNOWN_SURVIVORS = ["comparison: x > 0 -> x >= 0"]


@pytest.fixture(scope="module")
def relu_backward_run():
    """The mutants of relu_backward, graded with 2 workers."""
    return run_mutants(AUTOGRADER, ["relu_backward"], workers=2)


def test_relu_backward_survivors(relu_backward_run):
    """Which mutants of relu_backward survive every check? Exactly the known ones, and the others fail a public
    check."""
    assert [o.mutant.id for o in relu_backward_run.outcomes] == KNOWN_MUTANTS
    report = build(relu_backward_run)
    assert [o.mutant.id for o in report.survivors] == KNOWN_SURVIVORS
    assert all(o.killed_public and o.status == "graded" for o in relu_backward_run.outcomes
               if o.mutant.id not in KNOWN_SURVIVORS)


def test_relu_backward_with_the_equivalent_list(relu_backward_run):
    """With the shipped equivalent list, does relu_backward have no survivor and 100% of its other mutants killed?"""
    report = build(relu_backward_run, load_equivalent(EQUIVALENT))
    assert report.survivors == [] and report.warnings == []
    assert [o.mutant.id for o, _ in report.equivalent] == KNOWN_SURVIVORS
    assert final_line(report) == ("mutants 5, killed by all checks 4 (100.0%), by public checks alone 4 (100.0%), "
                                  "equivalent 1")


def test_command_line(tmp_path, capsys):
    """Does python -m backprop.mutants print the table and end with the final line, and write the markdown?"""
    output = tmp_path / "out" / "mutants.md"
    assert main(["--autograder", str(AUTOGRADER), "--question", "relu_forward", "--jobs", "1",
                 "--output", str(output), "--equivalent", str(EQUIVALENT)]) == 0
    printed = capsys.readouterr().out.splitlines()
    last = "mutants 3, killed by all checks 3 (100.0%), by public checks alone 3 (100.0%), equivalent 0"
    assert printed[-1] == last and any(line.startswith("relu_forward ") for line in printed)
    assert output.read_text().splitlines()[-1] == last


def test_unknown_question(capsys):
    """Is a question the autograder does not have refused before any grading, with exit code 2?"""
    assert main(["--autograder", str(AUTOGRADER), "--question", "no_such_question"]) == 2
    assert "no question no_such_question" in capsys.readouterr().err


def test_a_reference_that_fails_its_checks_is_refused(tmp_path):
    """Does the report refuse to run when the unmutated reference already fails a check (every mutant would
    look killed)?"""
    autograder = tmp_path / "autograder"
    shutil.copytree(AUTOGRADER, autograder, ignore=shutil.ignore_patterns("*.zip", "__pycache__"))
    reference = (autograder / "reference.py").read_text()
    assert "np.maximum(x, 0)" in reference
    (autograder / "reference.py").write_text(reference.replace("np.maximum(x, 0)", "np.maximum(x, 1)"))
    with pytest.raises(RuntimeError, match="the reference itself does not pass its checks.*relu_forward: worked"):
        run_mutants(autograder, ["relu_forward"], workers=1)


def test_grade_cells_runs_only_the_questions_asked():
    """Does grade_cells(..., questions=[...]) grade those questions only (the rest of the notebook still loaded)?"""
    result = grade_cells([(0, (AUTOGRADER / "reference.py").read_text())], AUTOGRADER, questions=["relu_forward"])
    assert [question.name for question in result.questions] == ["relu_forward"]
    assert result.score == result.possible > 0


def test_progress_lines_off_a_terminal():
    """Off a terminal, is each graded mutant one line: count, question, id, verdict?"""
    stream = io.StringIO()
    progress = Progress(stream)
    mutant = Mutant("q1", "constant", "a -> b", 1, "", "")
    progress(Outcome(mutant, (), ("q1: hidden",)), 1, 2)
    progress(Outcome(mutant, (), ()), 2, 2)
    assert stream.getvalue() == ("[1/2] q1: constant: a -> b: killed by a hidden check only\n"
                                 "[2/2] q1: constant: a -> b: survived\n")
