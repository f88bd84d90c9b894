"""Fuzz backprop.grade.grader: a notebook of random cells, whose functions return random values, raise, print, loop,
exit or change their arguments, is graded into a row that saves, renders and round-trips, within its time limit,
leaving no sandbox behind.

Each example is a notebook of one of two assignments of the fixture course: short_answers (a function question,
value questions, a data file) and tests/fixtures/course/fuzz_autograder's (double; quadruple, which calls double;
apply_twice, whose checks hand the notebook a function of theirs, so that the notebook calls the trusted side back).
The question names come from the autograder's assignment.json; one question is graded per example (its checks
still see every function the notebook defines), with short limits, to try many notebooks.
"""

import json
import pathlib
import shutil
import tempfile
import time

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from backprop.grade.grader import grade_cells
from backprop.grade.notebook_code import definition_cells, skipped_definitions
from backprop.grade.submission import read_notebook
from conftest import COURSE, ROOT, SHORT_ANSWERS, questions_of

from .rows import LIMITS, assert_row_is_sound, children
from .strategies import (HOSTILE_CELLS, ROLES, VALUES_PRELUDE, cell_sources, examples, odd_text, submission_names,
                         value_sources)

SOURCES = {"short_answers": SHORT_ANSWERS, "calls": COURSE / "fuzz_autograder"}  # each assignment's folder
ASKED = {name: questions_of(folder) for name, folder in SOURCES.items()}

pytestmark = pytest.mark.filterwarnings("ignore:`make_tokens_by_line`:UserWarning")  # IPython, on odd line ends
MARGIN = 15.0  # sandbox starts, the checks run here, clean-up; on a shared machine
EXCEPTIONS = ["ValueError('\\ud800')", "ValueError('line one\\nline two | \\\\')", "SystemExit(3)",
              "KeyboardInterrupt()", "GeneratorExit()", "BaseException('base')", "MemoryError()", "RecursionError()",
              "StopIteration()", "BadMessage()", "NotImplementedError", "AssertionError('=1+1')",
              "Exception('x' * 10 ** 6)"]
# Bodies that end the process or take the whole call time: rare (see function_cell), to keep examples fast.
DRASTIC = ["while True:\n        pass", "slow(100)", "import os; os._exit(0)",
           "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)",
           "import sys; sys.setrecursionlimit(10 ** 6); f = lambda: f(); f()",
           "import numpy; numpy.ones(10 ** 6); return numpy.ones((2 ** 15, 2 ** 15))"]


@st.composite
def function_cell(draw, name):
    """A cell defining a question's function (any signature: *args, **kwargs) that does something odd, or now and
    then binding the question's name to a value (what a value question asks for)."""
    value = draw(value_sources(huge=True, arguments=True))
    kind = draw(st.sampled_from(["return"] * 4 + ["once", "print", "mutate", "call_back", "raise", "recurse",
                                                  "drastic", "value"]))
    if kind == "value":
        return f"{name} = {draw(value_sources(huge=True))}\n"
    if kind == "drastic" and draw(st.booleans()):  # about one function in twenty
        kind = "return"
    prefix, body = "", f"return {value}"
    if kind == "once":  # one value, made when the cell runs, returned by every call
        prefix, body = f"_value_of_{name} = {value}\n\n", f"return _value_of_{name}"
    elif kind == "print":
        body = f"print({draw(odd_text)!r} * {draw(st.sampled_from([1, 1000, 10 ** 6]))})\n    {body}"
    elif kind == "mutate":
        how = draw(st.sampled_from(["fill", "reshape", "retype", "freeze", "nan"]))
        body = f"mutate(args, kwargs, {how!r})\n    {body}"
    elif kind == "call_back":
        body = f"return call_back(args, kwargs, {value})"
    elif kind == "raise":
        body = f"raise {draw(st.sampled_from(EXCEPTIONS))}"
    elif kind == "recurse":
        body = f"return {name}(*args, **kwargs)"
    elif kind == "drastic":
        body = draw(st.sampled_from(DRASTIC))
    return f"{prefix}def {name}(*args, **kwargs):\n    {body}\n"


@st.composite
def other_cell(draw, assignment):
    """Any other cell: random text or IPython syntax, a hostile cell of the fixtures, the assignment's reference, cut
    or not."""
    kind = draw(st.sampled_from(["text", "text", "hostile", "reference"]))
    if kind == "text":
        return draw(cell_sources)
    reference = SOURCES[assignment] / "reference.py"
    text = (draw(st.sampled_from(HOSTILE_CELLS)) if kind == "hostile" else reference).read_text()
    if draw(st.booleans()):  # cut: a syntax error, or fewer definitions
        start = draw(st.integers(0, len(text)))
        text = text[:start] + text[draw(st.integers(start, len(text))):]
    return text


def code_cell(source, tags):
    """A code cell's JSON (nbformat 4.4); its tags need not pass nbformat's schema, read_notebook takes them all."""
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": tags}, "outputs": [], "source": source}


@st.composite
def notebooks(draw):
    """
    A notebook file's bytes, its assignment and the question to grade: the helpers of values.py, functions for some
    questions (the graded one included), other cells, in any order but the helpers first; some cells tagged, some
    markdown.

    Returns:
    - (assignment, question, the .ipynb file's bytes).
    """
    assignment = draw(st.sampled_from(sorted(SOURCES)))
    question = draw(st.sampled_from(ASKED[assignment]))
    defined = draw(st.sets(st.sampled_from(ASKED[assignment]), max_size=3)) | {question}
    sources = [draw(function_cell(name)) for name in sorted(defined)]
    sources += draw(st.lists(other_cell(assignment), max_size=2))
    sources = draw(st.permutations(sources))
    cells = [code_cell(VALUES_PRELUDE.read_text(), [])]
    for source in sources:
        tags = draw(st.lists(st.sampled_from(ROLES), max_size=1)) if draw(st.integers(0, 4)) == 0 else []
        cells.append(code_cell(source, tags) if draw(st.integers(0, 9)) else
                     {"cell_type": "markdown", "metadata": {"tags": tags}, "source": source})
    # as a file holds it (JSON joins an escaped surrogate pair: "\ud800\udc00" is read as one character)
    return assignment, question, json.dumps({"nbformat": 4, "nbformat_minor": 4, "metadata": {},
                                             "cells": cells}).encode()


@pytest.fixture(scope="module")
def autograders(tmp_path_factory):
    """
    Each assignment's autograder folder: short_answers' as generated; a copy of the hand-written fuzz_autograder
    with backprop/checks/feedback.py next to its reference, as make assign writes an autograder folder.
    """
    calls = tmp_path_factory.mktemp("fuzz-autograder") / "calls"
    shutil.copytree(SOURCES["calls"], calls, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "backprop" / "checks" / "feedback.py", calls / "feedback.py")
    return {"short_answers": SHORT_ANSWERS, "calls": calls}


@settings(max_examples=examples(0.25))
@given(notebook=notebooks(), name=st.one_of(st.just("student.ipynb"), submission_names))
def test_any_notebook_is_graded_into_a_sound_row_in_time(autograders, notebook, name):
    """Is a notebook of random cells and return values graded (one question) into a row with a known status and a
    score within its points, that saves, renders and round-trips, within the submission's time limit plus a margin,
    with its output capped and no sandbox process left running?"""
    assignment, question, data = notebook
    questions = ASKED[assignment]
    before = children()
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "notebook.ipynb"
        path.write_bytes(data)
        notebook = read_notebook(path)  # what grade_file does, which grades every question
        cells, elsewhere = definition_cells(notebook), skipped_definitions(notebook)
        started = time.monotonic()
        result = grade_cells(cells, autograders[assignment], LIMITS, name, questions=[question], elsewhere=elsewhere)
        event(f"status {result.status}")
        assert time.monotonic() - started < LIMITS.submission_seconds + MARGIN, result.message
        assert children() <= before
        assert len(result.output) <= LIMITS.output_chars + 200
        graded = [q.name for q in result.questions]
        assert graded == [question] or result.status in ("invalid", "error") and graded == questions, graded
        assert_row_is_sound(result, questions, pathlib.Path(folder) / "results")
