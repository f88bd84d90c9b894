"""The hidden test suite against known implementations: reference, skeleton, buggy corpus, stubs, correct variants.

Graded as make grade grades them: the implementations run in the sandbox, the checks here. What a grade must mean:
- public checks see every bug: each buggy fixture fails a public check of its own question;
- points only for correct values: a value bug loses at least half of its question's points, a property bug
  ("[property]" at the start of its docstring: inputs modified, unstable, x not restored, aliasing) at least
  the points of its smallest failing case, and a stub that computes nothing (stubs/) scores 0;
- each bug is charged once: every other question scores full marks.

Run as a script (or with -s) to print the corpus as a markdown table.
"""

import ast
import dataclasses
import importlib.util
import pathlib
import re
import sys

if __name__ == "__main__":  # run as a script: the checkout (backprop) and tests/ (conftest) must be importable
    sys.path[:0] = [str(pathlib.Path(__file__).resolve().parents[2]), str(pathlib.Path(__file__).resolve().parents[1])]

import numpy as np
import pytest

from backprop.grade import grade_file
from conftest import AUTOGRADER, FAST, IMPLEMENTATIONS, MASTER, QUESTIONS, STUDENT, grade, grade_sandboxed, namespace_of

REFERENCE = AUTOGRADER / "reference.py"
BUGGY = sorted((IMPLEMENTATIONS / "buggy").glob("*.py"))
CORRECT = sorted((IMPLEMENTATIONS / "correct").glob("*.py"))
STUBS = sorted((IMPLEMENTATIONS / "stubs").glob("*.py"))
PROPERTY = "[property]"


def question_of(path):
    """The question a buggy fixture breaks: its file name up to '__'."""
    return path.stem.split("__")[0]


def is_property_bug(path):
    """True when the fixture's docstring starts with [property]: a rule is broken, not the values."""
    return (ast.get_docstring(ast.parse(path.read_text())) or "").startswith(PROPERTY)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """
    What make grade makes of one fixture (graded after the reference, or alone for a stub).

    - fixture: the path relative to implementations/; kind: "value", "property" or "stub".
    - question: the question it breaks ("all" for a stub).
    - public_fails: whether a public case of that question fails.
    - lost, possible: the points lost in that question (every question, for a stub) and its points.
    - smallest_failing: the points of that question's smallest failing case (0 when none fails).
    - touched: other question -> points lost there.
    """

    fixture: str
    kind: str
    question: str
    public_fails: bool
    lost: float
    possible: float
    smallest_failing: float
    touched: dict

    @property
    def share_lost(self):
        """The share of its question's points it loses, in [0, 1]."""
        return self.lost / self.possible


def outcome(path):
    """
    Grade a buggy fixture over the reference (a stub alone) through the sandbox and sum up what it costs.

    Returns:
    - an Outcome.
    """
    if path.parent.name == "stubs":
        results = grade_sandboxed(path)
        own = list(results.values())
        kind, question = "stub", "all"
    else:
        results = grade_sandboxed(REFERENCE, path)
        question = question_of(path)
        own = [results[question]]
        kind = "property" if is_property_bug(path) else "value"
    failing = [case for result in own for case in result.failures()]
    return Outcome(
        fixture=f"{path.parent.name}/{path.stem}", kind=kind, question=question,
        public_fails=any(not case.hidden for case in failing),
        lost=sum(result.possible - result.score for result in own), possible=sum(result.possible for result in own),
        smallest_failing=min((case.points for case in failing), default=0),
        touched={} if kind == "stub" else {name: result.possible - result.score for name, result in results.items()
                                           if name != question and result.score < result.possible})


def corpus_table(paths=BUGGY + STUBS):
    """
    The corpus as a markdown table: fixture, kind of bug, whether a public check fails, the share of its own
    question lost, the other questions that lose points.

    Returns:
    - the table, a string.
    """
    rows = ["| fixture | bug | public check fails | own question lost | other questions touched |",
            "|---|---|---|---|---|"]
    for path in paths:
        found = outcome(path)
        touched = ", ".join(f"{name} (-{lost:g})" for name, lost in found.touched.items()) or "none"
        rows.append(f"| `{found.fixture}` | {found.kind} | {'yes' if found.public_fails else 'NO'} "
                    f"| {found.lost:g}/{found.possible:g} ({found.share_lost:.0%}) | {touched} |")
    return "\n".join(rows)


# The corpus checks' inputs: a batch of N = 6 > C = 4, labels repeated and one missing, entries of both signs,
# three different predicted labels (seed 9), a non-separable f for numerical_gradient; then scores near +-1000.
LABELS = np.array([0, 2, 2, 0, 1, 0])
LARGE_SCORES = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -998.5, -999.0], [1000.0, -1000.0, 990.0]])


def draws():
    """The same random draws for every namespace."""
    return np.random.default_rng(9)


def without_cache(result):
    """out from an (out, cache) pair; anything else as it is, so that it differs from the reference's."""
    return (result[0],) if isinstance(result, tuple) and len(result) == 2 else result


def whole(result):
    """The result itself."""
    return result


def calls(question, functions):
    """
    The calls that show what a question's function does, each on fresh arrays.

    Inputs:
    - question: a question's name; functions: a namespace holding every function (a backward pass's cache comes
      from its own forward pass).

    Returns:
    - a list of (general, make) pairs: make() gives (args, kwargs, keep), keep(result) the outputs to compare
      (a cache is left out); general is False for a rule's input that is not a general one (large scores);
      [] for a question calls() does not know.
    """
    def affine():
        r = draws()
        return r.standard_normal((6, 3)), r.standard_normal((3, 4)), r.standard_normal(4), r.standard_normal((6, 4))

    def relu():
        r = draws()
        return r.standard_normal((6, 4)), r.standard_normal((6, 4))

    def network(**kwargs):
        r = draws()
        params = {"W1": r.standard_normal((3, 5)), "b1": r.standard_normal(5),
                  "W2": r.standard_normal((5, 4)), "b2": r.standard_normal(4)}
        return (params, r.standard_normal((6, 3))), kwargs, whole

    def gradient(shape=(3, 4)):
        r = draws()
        x, w, v = r.standard_normal(shape), r.standard_normal(shape), r.standard_normal(shape)
        return (lambda: float(np.sum(w * x ** 3) + np.sum(v * x) ** 2), x), {"h": 1e-3}, whole

    def affine_backward():
        x, W, b, dout = affine()
        return (dout, functions["affine_forward"](x, W, b)[1]), {}, whole

    def relu_backward():
        x, dout = relu()
        return (dout, functions["relu_forward"](x)[1]), {}, whole

    if question not in CALLED:
        return []
    return {
        "affine_forward": [(True, lambda: (affine()[:3], {}, without_cache))],
        "affine_backward": [(True, affine_backward)],
        "relu_forward": [(True, lambda: (relu()[:1], {}, without_cache))],
        "relu_backward": [(True, relu_backward)],
        "softmax_loss": [(True, lambda: ((3 * draws().standard_normal((6, 4)), LABELS.copy()), {}, whole)),
                         (False, lambda: ((LARGE_SCORES.copy(), np.array([0, 2, 2])), {}, whole))],
        "two_layer_net_loss": [(True, network), (True, lambda: network(y=LABELS.copy(), reg=0.3))],
        "numerical_gradient": [(True, gradient), (True, lambda: gradient((2, 3, 2)))],  # x of any shape
        "predict": [(True, network)],
    }[question]


CALLED = {"affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss", "two_layer_net_loss",
          "numerical_gradient", "predict"}  # the questions calls() knows how to call (a later question: add it)


def arrays(value):
    """Every array inside value (tuples, lists, namedtuples and dict values walked)."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        return [array for item in value for array in arrays(item)]
    return []


def same(actual, expected):
    """True when actual has expected's structure, dtypes and values (relative tolerance 1e-7)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and set(actual) == set(expected) and all(same(actual[k], expected[k]) for k in expected)
    if isinstance(expected, tuple):
        return isinstance(actual, tuple) and len(actual) == len(expected) and all(map(same, actual, expected))
    if isinstance(actual, (tuple, dict)) or actual is None:
        return False
    actual, expected = np.asarray(actual), np.asarray(expected)
    return (actual.shape == expected.shape and actual.dtype.kind == expected.dtype.kind
            and actual.dtype.itemsize == expected.dtype.itemsize
            and bool(np.allclose(actual, expected, rtol=1e-7, atol=1e-12, equal_nan=False)))


def behaviour(question, functions, reference):
    """
    How a namespace's function for a question compares with the reference's, in this process.

    Inputs:
    - question: a question's name; functions, reference: namespaces (a fixture over the reference, or alone).

    Returns:
    - (whether its values are wrong on general inputs (a crash counts), the set of rules it breaks: "modifies
      its inputs", "returns an input's memory", "wrong for scores near +-1000").
    """
    wrong, broken = False, set()
    for (general, make), (_, make_expected) in zip(calls(question, functions), calls(question, reference)):
        args, kwargs, keep = make_expected()
        expected = keep(reference[question](*args, **kwargs))
        args, kwargs, keep = make()
        inputs = arrays((args, kwargs))
        before = [array.copy() for array in inputs]
        dicts = [value for value in list(args) + list(kwargs.values()) if isinstance(value, dict)]
        entries = [[(key, id(item)) for key, item in value.items()] for value in dicts]
        try:
            with np.errstate(all="ignore"):
                result = keep(functions[question](*args, **kwargs))
        except Exception:
            result = None
        if not same(result, expected):
            if general:
                wrong = True
            else:
                broken.add("wrong for scores near +-1000")
        if any(old.shape != new.shape or not np.allclose(old, new, rtol=1e-12, atol=1e-12, equal_nan=True)
               for old, new in zip(before, inputs)) or entries != [  # x + h - 2h + h restores x up to rounding
                   [(key, id(item)) for key, item in value.items()] for value in dicts]:  # or a dict's entry replaced
            broken.add("modifies its inputs")
        if any(np.shares_memory(out, given) for out in arrays(result) for given in inputs):
            broken.add("returns an input's memory")
    return wrong, broken


def not_implemented_message(name):
    """What the checks say when name's own function raises NotImplementedError (from the checks' own call)."""
    spec = importlib.util.spec_from_file_location("autograder_feedback", AUTOGRADER / "feedback.py")
    feedback = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(feedback)

    def skeleton():
        raise NotImplementedError(f"{name}: replace this line with your code")

    try:
        feedback.call(skeleton, name)
    except AssertionError as failure:
        return str(failure)
    raise AssertionError("the checks' call no longer turns NotImplementedError into a message")


def test_master_notebook_scores_full_marks():
    """Does the master's own solution pass every public and hidden case?"""
    graded = grade_file(MASTER, AUTOGRADER, FAST)
    assert graded.cell_errors == () and graded.status == "graded"
    assert [r.name for r in graded.questions] == QUESTIONS
    for result in graded.questions:
        assert result.score == result.possible > 0, result.failures()


def test_untouched_student_notebook_scores_zero_each_question_blaming_its_own_function():
    """Does the skeleton score 0, each question's every failure saying that ITS function raised NotImplementedError?"""
    graded = grade_file(STUDENT, AUTOGRADER, FAST)
    assert graded.cell_errors == () and graded.status == "graded"
    for result in graded.questions:
        assert result.score == 0, result.name
        own = (not_implemented_message(result.name) if callable(namespace_of(REFERENCE)[result.name])
               else f"{result.name} is not answered yet")  # a value question's stub is None
        assert all(own in case.message for case in result.cases), (result.name, [c.message for c in result.cases])


def test_every_question_has_public_and_hidden_cases():
    """Does each question carry points in both public and hidden cases?"""
    for result in grade(namespace_of(REFERENCE)).values():
        assert any(case.hidden for case in result.cases) and any(not case.hidden for case in result.cases)


def test_hidden_checks_hold_at_least_half_of_every_question():
    """Does code that fits only the public inputs (their expected values ship with the public tests, so they can be
    memorized) lose at least half of each question, as any output wrong on general inputs must?"""
    for result in grade(namespace_of(REFERENCE)).values():
        hidden = sum(case.points for case in result.cases if case.hidden)
        assert hidden >= result.possible / 2, (result.name, hidden, result.possible)


def test_corpus_is_large_enough():
    """Does every question have value bugs, is there a property bug, are the three stubs there, >= 3 correct variants?"""
    assert len(BUGGY) >= 50 and len(CORRECT) >= 3
    functions = {question for question in QUESTIONS if callable(namespace_of(REFERENCE)[question])}  # not values
    value = {question_of(path) for path in BUGGY if not is_property_bug(path)}
    assert value == functions, f"questions without a buggy fixture in implementations/buggy/: {functions - value}"
    assert {question_of(path) for path in BUGGY} == functions and any(map(is_property_bug, BUGGY))
    assert {path.stem for path in STUBS} == {"zeros", "ones", "passthrough"}


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_fixture_is_the_bug_it_claims(path):
    """Is the fixture a genuine bug of its kind, here in-process and without the autograder: a value bug gives wrong
    values on general inputs, a property bug right values but breaks a rule (inputs, aliasing, large scores)?"""
    question = question_of(path)
    wrong, broken = behaviour(question, namespace_of(REFERENCE, path), namespace_of(REFERENCE))
    if is_property_bug(path):
        assert not wrong and broken, (wrong, broken)
    else:
        assert wrong, broken


@pytest.mark.parametrize("path", CORRECT + STUBS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_check_knows_right_from_wrong(path):
    """Does the in-process corpus check pass every function of a correct variant and find every stub's wrong?"""
    namespace, reference = namespace_of(path), namespace_of(REFERENCE)
    for question in sorted(CALLED & set(namespace)):
        wrong, broken = behaviour(question, namespace, reference)
        if path.parent.name == "stubs":
            assert wrong, question
        else:
            assert not wrong and not broken, (question, broken)


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_fixture_fails_a_public_check_of_its_own_question(path):
    """Do the public checks (what a student runs with grader.check) see the bug?"""
    assert outcome(path).public_fails


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_fixture_loses_what_its_kind_of_bug_costs(path):
    """Does a value bug lose at least half of its question's points, and a property bug at least its smallest
    failing case's points (1 or more)?"""
    found = outcome(path)
    if found.kind == "value":
        assert found.share_lost >= 0.5, f"loses {found.lost:g} of {found.possible:g}"
    else:
        assert found.lost >= max(1, found.smallest_failing), found


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_fixture_costs_no_other_question(path):
    """Is the bug charged once: does every other question score full marks?"""
    assert outcome(path).touched == {}


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_fixture_gets_a_message_naming_its_function(path):
    """Does every failed case of the broken question explain itself, naming the function?"""
    broken = question_of(path)
    for case in grade_sandboxed(REFERENCE, path)[broken].failures():
        assert broken in case.message and len(case.message) > 30


@pytest.mark.parametrize("path", STUBS, ids=lambda p: p.stem)
def test_stub_that_computes_nothing_scores_zero(path):
    """Does a submission whose functions return zeros, ones or their inputs score exactly 0?"""
    results = grade_sandboxed(path)
    assert sum(result.score for result in results.values()) == 0, \
        {name: [c.name for c in result.cases if c.passed] for name, result in results.items() if result.score}


@pytest.mark.parametrize("path", CORRECT, ids=lambda p: p.stem)
def test_correct_variant_scores_full_marks(path):
    """Does a correct but differently written implementation pass every question it implements?"""
    implemented = set(namespace_of(path))
    for result in grade_sandboxed(path).values():
        if result.name in implemented:
            assert result.score == result.possible, [c.message for c in result.failures()]


def test_corpus_table_has_a_row_per_fixture():
    """Does the corpus table (printed with -s, or by running this file) have one row per buggy fixture and stub?"""
    table = corpus_table()
    print("\n" + table)
    rows = table.splitlines()[2:]
    assert len(rows) == len(BUGGY) + len(STUBS)
    assert all(f"`{path.parent.name}/{path.stem}`" in row for path, row in zip(BUGGY + STUBS, rows))


def test_hidden_messages_reveal_no_expected_values():
    """Does a hidden failure name the error and where, without printing an expected number?"""
    namespace = namespace_of(REFERENCE, IMPLEMENTATIONS / "buggy" / "affine_forward__no_bias.py")
    hidden = [c for c in grade(namespace)["affine_forward"].failures(hidden=True)]
    assert hidden and all("expected" not in c.message.replace("expected (", "") for c in hidden)
    assert "Hint: the bias b is missing" in hidden[0].message


def test_public_messages_show_expected_and_actual():
    """Does a public failure show the expected and the actual value at the worst entry (a summed loss: N times the
    mean), with the hint?"""
    namespace = namespace_of(REFERENCE, IMPLEMENTATIONS / "buggy" / "softmax_loss__loss_not_averaged.py")
    shown = []
    for case in grade(namespace)["softmax_loss"].failures(hidden=False):
        found = re.search(r"expected (\S+), got (\S+?)[;)]", case.message)
        if found and "divide by N" in case.message:
            expected, actual = float(found[1]), float(found[2])
            shown.append(round(actual / expected, 3))
    assert shown and all(ratio >= 2 and ratio == int(ratio) for ratio in shown), shown


def test_seed_slip_is_rejected():
    """Does an implementation that scales the gradients by J (the seed notes' slip) fail two_layer_net_loss?"""
    namespace = namespace_of(REFERENCE)
    reference_loss = namespace["two_layer_net_loss"]

    def scaled_by_J(params, X, y=None, reg=0.0):
        if y is None:
            return reference_loss(params, X)
        loss, grads = reference_loss(params, X, y, reg)
        return loss, {key: loss * value for key, value in grads.items()}

    namespace["two_layer_net_loss"] = scaled_by_J
    result = grade(namespace)["two_layer_net_loss"]
    assert result.score == 0 or all(not c.passed for c in result.cases if "worked example" in c.name)


if __name__ == "__main__":
    print(corpus_table())
