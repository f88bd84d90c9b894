"""Grading mutants for real, on one small question, through the sandbox as make grade does.

On the fixture course's tiny assignment (its question double), with the reference of tests/fixtures/course/mutants,
whose mutants are of every kind: killed by public checks, by hidden checks only, equivalent, surviving. (The two-layer
net's own mutants are checked in tests/homework/test_mutation_report.py.)

(Named test_run_mutants.py: tests/gradescope/test_run.py already has the name test_run.)
"""

import io
import shutil

import pytest

from conftest import COURSE, SHORT_ANSWERS, TINY

from backprop.grade import grade_cells
from backprop.mutants.__main__ import main
from backprop.mutants.operators import Mutant
from backprop.mutants.report import build, final_line, load_equivalent
from backprop.mutants.run import Outcome, Progress, run_mutants

EQUIVALENT = COURSE / "mutants" / "tiny.equivalent_mutants.json"
# double's mutants with the tiny checks (public: ones; hidden: 0, 1, 2): those of y = 2 * x and y == 0 -> y != 0
# fail a public check; the fix of -0.0 made 1.0 fails the hidden check only (it changes the 0); dropping that fix
# survives and is equivalent (0.0 == -0.0), which the equivalent list declares; y == 1 survives without being
# equivalent (no input of the checks doubles to 1).
KNOWN_MUTANTS = ["dropped statement: y = 2 * x -> pass", "constant: 2 * x -> x", "constant: 2 * x -> 3 * x",
                 "dropped statement: y[y == 0] = 0.0 -> pass", "comparison: y == 0 -> y != 0",
                 "constant: y == 0 -> y == 1", "constant: y[y == 0] = 0.0 -> y[y == 0] = 1.0"]
KILLED_BY_HIDDEN_ONLY = ["constant: y[y == 0] = 0.0 -> y[y == 0] = 1.0"]
KNOWN_SURVIVORS = ["dropped statement: y[y == 0] = 0.0 -> pass", "constant: y == 0 -> y == 1"]
DECLARED = ["dropped statement: y[y == 0] = 0.0 -> pass"]


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """A copy of the fixture course's tiny autograder, its reference replaced by tests/fixtures/course/mutants'."""
    folder = tmp_path_factory.mktemp("mutants") / "tiny"
    shutil.copytree(TINY, folder, ignore=shutil.ignore_patterns("*.zip", "__pycache__"))
    shutil.copy(COURSE / "mutants" / "tiny_reference.py", folder / "reference.py")
    return folder


@pytest.fixture(scope="module")
def double_run(autograder):
    """The mutants of double, graded with 2 workers."""
    return run_mutants(autograder, ["double"], workers=2)


def test_double_survivors(double_run):
    """Which mutants of double survive every check? Exactly the known ones; the one that only the hidden check sees
    is killed by all checks but not by the public ones; the others fail a public check; each is graded."""
    assert [o.mutant.id for o in double_run.outcomes] == KNOWN_MUTANTS
    report = build(double_run)
    assert [o.mutant.id for o in report.survivors] == KNOWN_SURVIVORS
    assert [o.mutant.id for o in report.hidden_only] == KILLED_BY_HIDDEN_ONLY
    assert all(o.status == "graded" for o in double_run.outcomes)
    assert all(o.killed_public for o in double_run.outcomes
               if o.mutant.id not in KNOWN_SURVIVORS + KILLED_BY_HIDDEN_ONLY)
    assert final_line(report) == ("mutants 7, killed by all checks 5 (71.4%), by public checks alone 4 (57.1%), "
                                  "equivalent 0")


def test_double_with_the_equivalent_list(double_run):
    """With the reviewed equivalent list, is the declared mutant no survivor (and out of the percentages), while the
    survivor that is not equivalent stays one?"""
    report = build(double_run, load_equivalent(EQUIVALENT))
    assert report.warnings == []
    assert [o.mutant.id for o, _ in report.equivalent] == DECLARED
    assert [o.mutant.id for o in report.survivors] == [m for m in KNOWN_SURVIVORS if m not in DECLARED]
    assert final_line(report) == ("mutants 7, killed by all checks 5 (83.3%), by public checks alone 4 (66.7%), "
                                  "equivalent 1")


def test_command_line(autograder, tmp_path, capsys):
    """Does python -m backprop.mutants print the table and end with the final line, and write the markdown?"""
    output = tmp_path / "out" / "mutants.md"
    assert main(["--autograder", str(autograder), "--question", "double", "--jobs", "1",
                 "--output", str(output), "--equivalent", str(EQUIVALENT)]) == 0
    printed = capsys.readouterr().out.splitlines()
    last = "mutants 7, killed by all checks 5 (83.3%), by public checks alone 4 (66.7%), equivalent 1"
    assert printed[-1] == last and any(line.startswith("double ") for line in printed)
    assert output.read_text().splitlines()[-1] == last


def test_unknown_question(capsys):
    """Is a question the autograder does not have refused before any grading, with exit code 2?"""
    assert main(["--autograder", str(SHORT_ANSWERS), "--question", "no_such_question"]) == 2
    assert "no question no_such_question" in capsys.readouterr().err


def test_a_reference_that_fails_its_checks_is_refused(tmp_path):
    """Does the report refuse to run when the unmutated reference already fails a check (every mutant would
    look killed)?"""
    autograder = tmp_path / "autograder"
    shutil.copytree(TINY, autograder, ignore=shutil.ignore_patterns("*.zip", "__pycache__"))
    reference = (autograder / "reference.py").read_text()
    assert "y = 2 * x" in reference
    (autograder / "reference.py").write_text(reference.replace("y = 2 * x", "y = 3 * x"))
    with pytest.raises(RuntimeError, match="the reference itself does not pass its checks.*double: double - 1"):
        run_mutants(autograder, ["double"], workers=1)


def test_grade_cells_runs_only_the_questions_asked():
    """Does grade_cells(..., questions=[...]) grade those questions only (the rest of the notebook still loaded)?"""
    result = grade_cells([(0, (SHORT_ANSWERS / "reference.py").read_text())], SHORT_ANSWERS, questions=["centroid"])
    assert [question.name for question in result.questions] == ["centroid"]
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
