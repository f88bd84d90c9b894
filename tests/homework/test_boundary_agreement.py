"""The sandbox boundary changes no verdict: graded in the sandbox = graded in the student's own kernel.

In-process grading is what otter's grader.check does inside the notebook's
kernel. Every fixture implementation (buggy ones modify inputs in place,
return their inputs, return float32, return no cache...) must get the same
verdict and message for every case, public and hidden, across the boundary.
"""

import pytest

from backprop.grade import definition_cells, grade_file
from backprop.grade.submission import read_notebook
from conftest import (AUTOGRADER, FAST, HANDOUT, IMPLEMENTATIONS, QUESTIONS, ROOT, SUBMISSIONS, assert_public_verdicts_agree, grade,
                      grade_sandboxed, namespace_of)

FILES = sorted((IMPLEMENTATIONS / "buggy").glob("*.py")) + sorted((IMPLEMENTATIONS / "correct").glob("*.py")) \
    + sorted((IMPLEMENTATIONS / "broken").glob("*.py"))
NOTEBOOKS = sorted(path for path in SUBMISSIONS.glob("*.ipynb")
                   if path.stem in {"reference", "skeleton", "half_done", "wrong_signatures", "bad_return_values"}
                   or path.stem.startswith("buggy_"))


def verdicts(results):
    """(case name, passed, message) for every case, in order."""
    return [(case.name, case.passed, case.message) for name in QUESTIONS for case in results[name].cases]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_case_agrees_in_process_and_in_the_sandbox(path):
    """Do all cases, hidden included, pass or fail with the same message in the sandbox as in-process?"""
    in_process = grade(namespace_of(AUTOGRADER / "reference.py", path))
    sandboxed = grade_sandboxed(AUTOGRADER / "reference.py", path)
    assert verdicts(sandboxed) == verdicts(in_process)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_public_verdicts_agree_with_grader_check(path):
    """Does make grade give every public check the verdict grader.check gives it with the student's public tests
    (each bug charged once: the notebook's check may also fail for an earlier wrong function, which it names)?"""
    cells = definition_cells(read_notebook(path))
    namespace = {"__name__": "__main__"}
    for index, source in cells:
        try:
            exec(compile(source, f"<cell {index}>", "exec"), namespace)
        except Exception:
            pass
    in_notebook = grade(namespace, HANDOUT / "tests")
    sandboxed = grade_file(path, AUTOGRADER, FAST).questions
    shown = {name: [(c.name, c.passed, c.message) for c in result.cases] for name, result in in_notebook.items()}
    assert_public_verdicts_agree(sandboxed, shown)
