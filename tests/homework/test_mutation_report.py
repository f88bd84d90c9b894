"""The two-layer net's mutation report: its reviewed equivalent list, relu_backward's mutants, and a framework that
names none of its functions.

Moved from tests/mutants/ (test_operators.py, test_report.py, test_run_mutants.py), unchanged in substance: what
they check is the two-layer homework (its reference, its tests, its equivalent list); the framework's own mutation
tests run on the fixture course.
"""

import pytest
from conftest import AUTOGRADER, QUESTIONS, ROOT

from backprop.mutants.operators import mutants_of
from backprop.mutants.report import build, final_line, load_equivalent
from backprop.mutants.run import run_mutants

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


def test_the_shipped_list_names_mutants_of_the_reference():
    """Does every entry of solutions/two_layer_net.equivalent_mutants.json name a current mutant of the reference?"""
    reference = (AUTOGRADER / "reference.py").read_text()
    for entry in load_equivalent(EQUIVALENT):
        assert entry["mutant"] in [m.id for m in mutants_of(reference, entry["question"]).mutants], entry


def test_the_package_names_no_function_of_the_assignment():
    """Does backprop/mutants read every question from the autograder, naming none of them itself?"""
    for path in (ROOT / "backprop" / "mutants").glob("*.py"):
        assert not [question for question in QUESTIONS if question in path.read_text()], path
