"""Solve and test before writing: the generated files graded by the real pipeline, as a class would be.

The solved notebook (the master with its solutions, as a student who got
everything right would hand it in) must score full marks, and the student
notebook as generated (every solution a stub) must lose every case of every
question with that question's own "not implemented" message. Anything else
is an authoring mistake: a test that fails on the solution, a helper the
tests never import, a stub another question's test depends on.
"""

import pathlib
import tempfile

from backprop.grade.grader import grade_file
from backprop.grade.results import UNFINISHED, without_details
from backprop.sandbox.process import Limits

from .errors import GenerationError


def verify(files, solved_notebook, name, limits=Limits()):
    """
    Grade the solved and the student notebook with the generated autograder, in a scratch folder.

    Inputs:
    - files: every generated file, relative path -> text (autograder/<name>/ and assignment/<name>/).
    - solved_notebook: the solved notebook's text; name: the assignment's name.
    - limits: the grading limits.

    Raises GenerationError naming each case that is not as it must be.
    """
    with tempfile.TemporaryDirectory(prefix="backprop-verify-") as folder:
        root = pathlib.Path(folder)
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(text if isinstance(text, bytes) else text.encode())
        (root / "solved.ipynb").write_text(solved_notebook)
        solved = grade_file(root / "solved.ipynb", root / "autograder" / name, limits)
        stubbed = grade_file(root / "assignment" / name / f"{name}.ipynb", root / "autograder" / name, limits)
    wrong = [f"{question.name}: {case.name} fails on the solution: {without_details(case.message)}"
             for question in solved.questions for case in question.cases if not case.passed]
    if solved.status != "graded" and not wrong:
        wrong.append(f"the solved notebook was not graded in full ({solved.status}: {solved.message})")
    for question in stubbed.questions:
        starts = tuple(f"{question.name} {words}" for words in UNFINISHED)
        own = " or ".join(repr(f"{question.name} {words}") for words in UNFINISHED)
        wrong += [f"{question.name}: {case.name} " + ("passes on the stub" if case.passed else
                                                      f"fails on the stub without saying {own}: "
                                                      f"{without_details(case.message)}")
                  for case in question.cases if case.passed or not case.message.startswith(starts)]
    if wrong:
        raise GenerationError("the generated files do not grade as they must; nothing was written:\n"
                              + "\n".join(f"  - {line}" for line in wrong))
