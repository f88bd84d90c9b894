"""Student code that attacks the grader or hits its limits costs at most what it touches.

Each notebook in tests/fixtures/tampering/ is the solved notebook with one
attack or limit added (see tests/fixtures/build_samples.py). The tampering
ones also carry the no-bias bug in affine_forward: their verdicts must equal
those of the plain buggy notebook, case by case.
"""

import pathlib

import pytest

from backprop.grade import grade_file
from backprop.grade.batch import grade_folder
from backprop.grade.results import SubmissionResult
from backprop.grade.store import Store, fingerprint
from backprop.sandbox.landlock import landlock_abi
from backprop.sandbox.process import Limits
from conftest import AUTOGRADER, SUBMISSIONS, TAMPERING

LIMITS = Limits(call_seconds=1.0, submission_seconds=40.0)
needs_landlock = pytest.mark.skipif(landlock_abi() == 0, reason="the kernel has no Landlock")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every tampering notebook (graded as a class, two at a time) and the plain buggy one: name -> SubmissionResult."""
    store = Store(tmp_path_factory.mktemp("results"), fingerprint(AUTOGRADER, LIMITS), {})
    results = {pathlib.Path(r.submission).stem: r for r in grade_folder(TAMPERING, store, AUTOGRADER, LIMITS, jobs=2)}
    results["buggy_affine_forward_no_bias"] = grade_file(SUBMISSIONS / "buggy_affine_forward_no_bias.ipynb",
                                                         AUTOGRADER, LIMITS)
    return results


def verdicts(result):
    """(case, passed) for every case."""
    return [(case.name, case.passed) for question in result.questions for case in question.cases]


def score_of(result, question):
    """The points one question earned."""
    return next(q for q in result.questions if q.name == question).score


def possible_of(result, question):
    """The points one question offers."""
    return next(q for q in result.questions if q.name == question).possible


def full_marks_except(result, *questions):
    """True when every question but the named ones has full marks."""
    return all(q.score == q.possible for q in result.questions if q.name not in questions)


@pytest.mark.parametrize("name", ["patch_numpy", "patch_otter_and_builtins", "patch_feedback_helpers", "read_hidden_tests"])
def test_tampering_scores_exactly_like_the_plain_bug(graded, name):
    """Does patching numpy, otter, builtins or the checks' helpers, or hunting for the hidden tests, change no verdict?"""
    assert verdicts(graded[name]) == verdicts(graded["buggy_affine_forward_no_bias"])
    assert graded[name].score < graded[name].possible


@needs_landlock
def test_the_hidden_tests_and_the_reference_cannot_be_read(graded):
    """Is every attempt to open the autograder's files refused, so nothing of them reaches the output?"""
    output = graded["read_hidden_tests"].output
    assert "Permission denied" in output and "=== read" not in output and "def affine_forward" not in output


def test_no_file_can_be_written(graded):
    """Is every write refused (results, tests, /tmp, the sandbox's own folder), with full marks kept?"""
    result = graded["write_files"]
    assert result.score == result.possible and result.status == "graded"
    assert "wrote" not in result.output and result.output.count("cannot write") == 5


@needs_landlock
def test_the_grader_cannot_be_killed_from_the_notebook(graded):
    """Is a signal to the grading process refused, and the submission graded in full?"""
    result = graded["kill_grader"]
    assert result.score == result.possible and "Operation not permitted" in result.output


def test_os_exit_in_a_function_costs_that_function_only(graded):
    """Does os._exit inside relu_forward zero relu_forward (and what needs its cache), and nothing else?"""
    result = graded["os_exit_in_function"]
    assert result.status == "error" and "exited with code 0" in result.message
    assert score_of(result, "relu_forward") == 0
    assert full_marks_except(result, "relu_forward", "relu_backward", "two_layer_net_loss", "predict")
    assert all(score_of(result, name) == possible_of(result, name) for name in ("affine_backward", "numerical_gradient"))


@pytest.mark.parametrize("name, status, words", [
    ("os_exit_in_cell", "error", "exited with code 3"),
    ("long_sleep_in_cell", "timeout", "did not finish within 1 s"),
    ("garbage_on_pipe", "error", "message protocol"),
])
def test_a_cell_that_kills_or_hangs_the_sandbox_is_skipped(graded, name, status, words):
    """Does a top-level os._exit, sleep or pipe tampering cost that cell only, the functions keeping full marks?"""
    result = graded[name]
    assert result.score == result.possible
    assert result.status == status and words in result.message and "cell" in result.message
    assert any("skipped" in message for _, message in result.cell_errors)


@pytest.mark.parametrize("name, error", [("sys_exit_in_cell", "SystemExit"), ("memory_in_cell", "MemoryError")])
def test_a_cell_that_raises_is_recorded_and_the_rest_graded(graded, name, error):
    """Do sys.exit and a MemoryError at top level become a cell error, with full marks for the functions?"""
    result = graded[name]
    assert result.score == result.possible and result.status == "graded"
    assert error in result.message


def test_sys_exit_in_a_function_fails_its_own_cases(graded):
    """Does sys.exit inside numerical_gradient fail that question with a message, and nothing else?"""
    result = graded["sys_exit_in_function"]
    question = next(q for q in result.questions if q.name == "numerical_gradient")
    assert question.score == 0 and all("SystemExit" in case.message for case in question.cases)
    assert full_marks_except(result, "numerical_gradient")


def test_an_infinite_loop_costs_the_checks_that_call_it(graded):
    """Does a never-ending affine_backward time out its own checks, and grade everything else?"""
    result = graded["infinite_loop"]
    assert result.status == "timeout" and "did not finish within 1 s" in result.message
    assert score_of(result, "affine_backward") == 0
    assert full_marks_except(result, "affine_backward", "two_layer_net_loss", "predict")
    loss = next(q for q in result.questions if q.name == "two_layer_net_loss")
    assert all(case.passed for case in loss.cases if case.hidden)  # hidden ones use the reference layers


def test_a_memory_hog_raises_memory_error_in_its_own_checks(graded):
    """Does an 80 GB allocation inside softmax_loss fail softmax_loss with MemoryError, not the grader?"""
    result = graded["memory_in_function"]
    question = next(q for q in result.questions if q.name == "softmax_loss")
    assert question.score == 0 and all("MemoryError" in case.message for case in question.cases)
    assert full_marks_except(result, "softmax_loss", "two_layer_net_loss", "predict")


def test_a_50_mb_print_is_capped(graded):
    """Does printing 50 MB keep full marks, with the output cut to the limit and the rest counted?"""
    result = graded["huge_print"]
    assert result.score == result.possible and result.status == "graded"
    assert len(result.output) < LIMITS.output_chars + 200 and "more characters of output dropped" in result.output


@pytest.mark.parametrize("name, words", [("memory_in_callback", "MemoryError"), ("forged_call", "did not finish")])
def test_attacks_through_the_grader_s_own_functions_cost_only_the_attacker(graded, name, words):
    """Do a 7 GB request to the grader's reference layer (standing in for a wrong affine_forward), and a forged call
    left unread, fail only two_layer_net_loss (and the wrong layer)?"""
    result = graded[name]
    question = next(q for q in result.questions if q.name == "two_layer_net_loss")
    assert question.score == 0 and all(words in case.message for case in question.cases)
    assert full_marks_except(result, "affine_forward", "two_layer_net_loss", "predict")


def test_object_matrices_made_by_the_grader_s_own_function_stay_within_the_limits(graded):
    """Does a two_layer_net_loss that makes the grader's affine_forward build object matrices (integers above int64)
    and multiply them cost only itself, within the submission's time, its arguments arriving as float64?"""
    result = graded["object_array_callback"]
    question = next(q for q in result.questions if q.name == "two_layer_net_loss")
    assert question.score == 0 and all("five products" in case.message for case in question.cases)
    assert full_marks_except(result, "affine_forward", "two_layer_net_loss", "predict")
    assert result.status == "graded" and result.seconds < LIMITS.submission_seconds


WALLS = ["wipe_other_submissions", "grader_memory", "lock_channel"]


@pytest.fixture(scope="module")
def without_landlock(tmp_path_factory):
    """The attacks on other files, the grader's memory and file locks, graded by the command line without Landlock
    among two victims: (the folder, the victims' bytes before, result.json of every file by stem)."""
    import json
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    folder, results = tmp_path_factory.mktemp("class"), tmp_path_factory.mktemp("results")
    for name in WALLS:
        shutil.copy(TAMPERING / f"{name}.ipynb", folder)
    shutil.copy(SUBMISSIONS / "reference.ipynb", folder / "victim_a.ipynb")
    shutil.copy(SUBMISSIONS / "buggy_affine_forward_no_bias.ipynb", folder / "victim_b.ipynb")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    subprocess.run([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER), "--results",
                    str(results), "--jobs", "2", "--isolation", "none", "--call-timeout", "5"], cwd=ROOT, check=True,
                   capture_output=True, timeout=600)
    rows = {path.stem: json.loads((path / "result.json").read_text())["result"]
            for path in (results / "submissions").iterdir()}
    return folder, before, rows


def test_without_landlock_no_submission_is_changed_on_disk(without_landlock):
    """Without Landlock, does a cell that finds the class folder (through the grader's command line) and opens the
    other notebooks for writing, truncates, fallocates, chmods or locks them leave every file as it was?"""
    folder, before, rows = without_landlock
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    output = rows["wipe_other_submissions"]["output"]
    found = int(output.split("found ", 1)[1].split()[0])  # the victims, and the results' folders named like them
    assert found >= 4 and "done on" not in output
    assert output.count("refused (Operation not permitted)") == 7 * found


@pytest.mark.parametrize("name", WALLS)
def test_without_landlock_the_attacks_are_refused_and_cost_nothing(without_landlock, name):
    """Are the grader's memory (/proc/<ppid>/mem, process_vm_*, ptrace) and file locks, leases and notifications
    (a channel between two sandboxes) refused without Landlock, the attacker and the victims graded as usual?"""
    _, _, rows = without_landlock
    scores = {stem: SubmissionResult.from_dict(row).score for stem, row in rows.items()}
    assert scores["victim_a"] == scores[name] == max(scores.values()) and scores["victim_b"] < scores["victim_a"]
    assert ": done" not in rows[name]["output"] and "opened" not in rows[name]["output"]
    assert rows[name]["output"].count("refused") >= 5
