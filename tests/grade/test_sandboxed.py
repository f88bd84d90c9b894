"""Tests for backprop.grade.sandboxed: loading cells in a sandbox, and recovering from what they do."""

import pytest

from backprop.grade.sandboxed import NotGraded, SandboxedNotebook
from backprop.sandbox.errors import SandboxFailure
from backprop.sandbox.process import Limits

LIMITS = Limits(call_seconds=1.0, submission_seconds=20.0)
DEFINES_F = "def f(x):\n    return x + 1"


def test_a_raising_cell_is_recorded_and_later_cells_still_run():
    """Does a cell that raises become a cell error, named by its first line (students see no cell numbers), while
    the next cells define their functions?"""
    with SandboxedNotebook([(0, "1 / 0"), (1, DEFINES_F)], ["f", "g"], LIMITS) as notebook:
        namespace = notebook.namespace()
        assert set(namespace) == {"f"} and namespace["f"](1) == 2
    assert notebook.cell_errors == {0: "the cell that starts `1 / 0` raised ZeroDivisionError: division by zero"}
    assert notebook.events == []


@pytest.mark.parametrize("source, kind", [("import os\nos._exit(1)", "error"), ("while True:\n    pass", "timeout")])
def test_a_cell_that_breaks_the_sandbox_is_skipped_on_restart(source, kind):
    """Is a cell that exits or hangs skipped after one restart, with the other cells' functions available?"""
    with SandboxedNotebook([(0, DEFINES_F), (1, source), (2, "g = f")], ["f", "g"], LIMITS) as notebook:
        namespace = notebook.namespace()
        assert namespace["g"](1) == 2
    assert notebook.skipped == {1} and notebook.starts == 2
    assert [event[0] for event in notebook.events] == [kind] and "skipped" in notebook.cell_errors[1]


def test_a_failed_call_costs_one_restart_and_the_next_case_gets_a_fresh_sandbox():
    """After a call kills the sandbox, does failed() explain it and the next namespace() work again?"""
    source = "import os\ndef f(x):\n    if x < 0:\n        os._exit(2)\n    return x"
    with SandboxedNotebook([(0, source)], ["f"], LIMITS) as notebook:
        with pytest.raises(SandboxFailure) as failure:
            notebook.namespace()["f"](-1)
        assert "exited with code 2" in notebook.failed(failure.value)
        notebook.before_case()
        assert notebook.namespace()["f"](5) == 5 and notebook.starts == 2


def test_once_the_submission_budget_is_spent_nothing_more_runs():
    """When the submission's time is used up, does namespace() raise NotGraded instead of starting again?"""
    limits = Limits(call_seconds=5.0, submission_seconds=0.5)
    with SandboxedNotebook([(0, "import time\ntime.sleep(10)")], ["f"], limits) as notebook:
        with pytest.raises(NotGraded, match="time limit"):
            for _ in range(3):
                notebook.namespace()
    assert notebook.events[0][0] == "timeout" and "submission's time limit" in notebook.events[0][1]


def test_cells_with_magics_still_define_their_functions():
    """Do %matplotlib, !pip and %%time cells (translated by IPython) still define what they hold?"""
    from nbformat.v4 import new_code_cell, new_notebook

    from backprop.grade import definition_cells

    nb = new_notebook(cells=[new_code_cell("%matplotlib inline\n!pip install nothing\ndef f(x):\n    return x + 1"),
                             new_code_cell("%%time\ndef g(x):\n    return 2 * x"),
                             new_code_cell("%%bash\necho skipped")])
    with SandboxedNotebook(definition_cells(nb), ["f", "g"], LIMITS) as notebook:
        namespace = notebook.namespace()
        assert namespace["f"](1) == 2 and namespace["g"](2) == 4
    assert notebook.cell_errors == {}


def test_a_value_that_cannot_cross_costs_only_its_own_name():
    """Does a function name bound to an unsendable value get a stand-in that says why, other names unaffected?"""
    nested = "answer = []\nfor _ in range(40):\n    answer = [answer]"
    with SandboxedNotebook([(0, DEFINES_F), (1, nested)], ["f", "answer"], LIMITS) as notebook:
        namespace = notebook.namespace()
        assert namespace["f"](1) == 2
        with pytest.raises(RuntimeError, match="answer cannot be used by the grader"):
            namespace["answer"]()
    assert notebook.starts == 1 and notebook.events == [] and notebook.sandbox is None


def test_a_sandbox_that_dies_between_requests_is_restarted_not_blamed_on_the_grader():
    """When a timer ends the sandbox between requests, is it a sandbox failure (restart), never a crash here?"""
    bomb = "import os, threading\nthreading.Timer(0.3, os._exit, (0,)).start()"
    with SandboxedNotebook([(0, DEFINES_F), (1, bomb)], ["f"], LIMITS) as notebook:
        namespace = notebook.namespace()
        import time

        time.sleep(0.6)
        with pytest.raises(SandboxFailure) as failure:
            namespace["f"](1)
        assert "exited with code 0" in notebook.failed(failure.value)


def test_tampering_with_the_grader_s_requests_stops_that_sandbox():
    """If the notebook breaks the sandbox's reset and output handlers, is the sandbox replaced and nothing raised here?"""
    tamper = ("import gc\nfrom backprop.sandbox.channel import Channel\n"
              "channel = next(o for o in gc.get_objects() if isinstance(o, Channel))\n"
              "channel.handlers['reset'] = lambda: 1 / 0\nchannel.handlers['output'] = lambda: 1 / 0")
    with SandboxedNotebook([(0, DEFINES_F), (1, tamper)], ["f"], LIMITS) as notebook:
        notebook.before_case()
        assert notebook.events and notebook.events[0][1].startswith("the sandbox failed the grader's request")
        assert notebook.printed() == ""


def test_a_value_too_large_to_cross_costs_only_its_own_checks(tmp_path):
    """Does a value answer too large to send (more than 8 MB as text) fail its own question with the reason, while
    the other answers and functions keep their points and the file stays graded?"""
    import nbformat

    from backprop.grade import grade_file
    from conftest import COURSE

    notebook = nbformat.read(COURSE / "submissions" / "short_answers.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.source.startswith("best_choice ="):
            cell.source = "best_choice = 'b' + ' ' * 9_000_000"
    nbformat.write(notebook, tmp_path / "large.ipynb")
    result = grade_file(tmp_path / "large.ipynb", COURSE / "autograder" / "short_answers")
    by_name = {question.name: question for question in result.questions}
    assert result.status == "graded" and by_name["best_choice"].score == 0
    assert "cannot leave the sandbox" in by_name["best_choice"].failures()[0].message
    assert all(by_name[name].score == by_name[name].possible for name in ("centroid", "points_center", "point_count"))
