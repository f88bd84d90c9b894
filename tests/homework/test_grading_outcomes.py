"""The hidden test suite against known implementations: reference, skeleton, buggy corpus, correct variants.

Graded as make grade grades them: the implementations run in the sandbox, the checks here.
"""

import pytest

from backprop.grade import grade_file
from conftest import AUTOGRADER, FAST, IMPLEMENTATIONS, MASTER, QUESTIONS, STUDENT, grade, grade_sandboxed, namespace_of

BUGGY = sorted((IMPLEMENTATIONS / "buggy").glob("*.py"))
CORRECT = sorted((IMPLEMENTATIONS / "correct").glob("*.py"))
# Public checks that run the student's own code for another question, so they may fail with it.
LAYERS = {"affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss"}
USES_OTHER_QUESTIONS = {
    "affine_backward": {"affine_forward"}, "relu_backward": {"relu_forward"},
    "two_layer_net_loss": LAYERS, "predict": LAYERS | {"two_layer_net_loss"},
}


def test_master_notebook_scores_full_marks():
    """Does the master's own solution pass every public and hidden case?"""
    graded = grade_file(MASTER, AUTOGRADER, FAST)
    assert graded.cell_errors == () and graded.status == "graded"
    assert [r.name for r in graded.questions] == QUESTIONS
    for result in graded.questions:
        assert result.score == result.possible > 0, result.failures()


def test_untouched_student_notebook_scores_zero_with_a_message_per_question():
    """Does the skeleton score 0 everywhere, each question saying NotImplementedError, without a crash?"""
    graded = grade_file(STUDENT, AUTOGRADER, FAST)
    assert graded.cell_errors == () and graded.status == "graded"
    for result in graded.questions:
        assert result.score == 0
        assert all("NotImplementedError" in case.message for case in result.cases), result.name


def test_every_question_has_public_and_hidden_cases():
    """Does each question carry points in both public and hidden cases?"""
    for result in grade(namespace_of(AUTOGRADER / "reference.py")).values():
        assert any(case.hidden for case in result.cases) and any(not case.hidden for case in result.cases)


def test_corpus_is_large_enough():
    """Is the corpus at least 25 buggy and 3 correct implementations, covering every question?"""
    assert len(BUGGY) >= 25 and len(CORRECT) >= 3
    assert {path.stem.split("__")[0] for path in BUGGY} == set(QUESTIONS)


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_implementation_loses_points_on_its_own_question_only(path):
    """Does the bug cost points in its own question, and elsewhere only checks that cannot avoid running it?"""
    broken = path.stem.split("__")[0]
    results = grade_sandboxed(AUTOGRADER / "reference.py", path)
    assert results[broken].score < results[broken].possible
    for name, result in results.items():
        if name == broken:
            continue
        lost = result.failures()
        if broken in USES_OTHER_QUESTIONS.get(name, ()):
            # a backward pass cannot be run without its forward pass's cache: that, and public checks, may fail,
            # with a message that points at the root cause
            lost = [c for c in lost if c.hidden and f"needs the cache of {broken}" not in c.message]
        assert not lost, f"{path.stem} also costs {name}: {[c.message for c in lost]}"


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_implementation_gets_a_message_naming_its_function(path):
    """Does every failed case of the broken question explain itself, naming the function?"""
    broken = path.stem.split("__")[0]
    for case in grade_sandboxed(AUTOGRADER / "reference.py", path)[broken].failures():
        assert broken in case.message and len(case.message) > 30


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.stem)
def test_correct_variant_scores_full_marks(path):
    """Does a correct but differently written implementation pass everything?"""
    for result in grade_sandboxed(path).values():
        assert result.score == result.possible, [c.message for c in result.failures()]


def test_hidden_messages_reveal_no_expected_values(reference_namespace):
    """Does a hidden failure name the error and where, without printing an expected number?"""
    namespace = namespace_of(AUTOGRADER / "reference.py", IMPLEMENTATIONS / "buggy" / "affine_forward__no_bias.py")
    hidden = [c for c in grade(namespace)["affine_forward"].failures(hidden=True)]
    assert hidden and all("expected" not in c.message.replace("expected (", "") for c in hidden)
    assert "Hint: the bias b is missing" in hidden[0].message


def test_public_messages_show_expected_and_actual():
    """Does a public failure show the expected and the actual value at the worst entry?"""
    namespace = namespace_of(AUTOGRADER / "reference.py", IMPLEMENTATIONS / "buggy" / "softmax_loss__loss_not_averaged.py")
    messages = [c.message for c in grade(namespace)["softmax_loss"].failures(hidden=False)]
    assert any("expected 0.123399, got 0.370196" in m and "divide by N" in m for m in messages), messages


def test_seed_slip_is_rejected():
    """Does an implementation that scales the gradients by J (the seed notes' slip) fail two_layer_net_loss?"""
    namespace = namespace_of(AUTOGRADER / "reference.py")
    reference_loss = namespace["two_layer_net_loss"]

    def scaled_by_J(params, X, y=None, reg=0.0):
        if y is None:
            return reference_loss(params, X)
        loss, grads = reference_loss(params, X, y, reg)
        return loss, {key: loss * value for key, value in grads.items()}

    namespace["two_layer_net_loss"] = scaled_by_J
    result = grade(namespace)["two_layer_net_loss"]
    assert result.score == 0 or all(not c.passed for c in result.cases if "worked example" in c.name)
