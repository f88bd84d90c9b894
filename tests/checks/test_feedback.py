"""Tests for backprop.checks.feedback: each check fails with the message a student needs."""

import sys
import types
import warnings

import numpy as np
import pytest

from backprop.checks import feedback
from backprop.checks.feedback import (as_float_array, assert_close, assert_inputs_unchanged, assert_no_alias,
                                      assert_shape, call, describe, expected_values, random_arrays, random_labels,
                                      relative_error, show_messages_only, unpack)


def test_call_names_missing_unimplemented_and_crashing_functions():
    """Does call() turn None, NotImplementedError and a crash into messages that name the function?"""
    with pytest.raises(AssertionError, match="f is not defined"):
        call(None, "f")

    def todo():
        raise NotImplementedError

    with pytest.raises(AssertionError, match="f is not implemented yet"):
        call(todo, "f")
    with pytest.raises(AssertionError, match="f raised ZeroDivisionError"):
        call(lambda: 1 / 0, "f")


def test_call_passes_copies_unless_told_not_to():
    """Does call() protect the test's arrays from a function that writes into its input?"""
    x = np.zeros(3)

    def write(a):
        a[0] = 1.0

    call(write, "f", x)
    assert x[0] == 0.0
    call(write, "f", x, copy_inputs=False)
    assert x[0] == 1.0


def test_unpack_explains_a_wrong_return():
    """Does unpack() say what was expected and what came back, and hint at a missing return?"""
    with pytest.raises(AssertionError, match="returned None.*return statement"):
        unpack(None, "f", ("out", "cache"))
    with pytest.raises(AssertionError, match=r"a tuple \(out, cache\); it returned an ndarray of shape \(2,\)"):
        unpack(np.zeros(2), "f", ("out", "cache"))


def test_assert_shape_names_both_shapes_and_spots_a_transpose():
    """Does a shape failure give expected (in letters) and actual shape, and say when it is transposed?"""
    with pytest.raises(AssertionError, match=r"out has shape \(3, 4\); expected \(N, M\) = \(4, 3\).*transposed"):
        assert_shape("f", "out", np.zeros((3, 4)), (4, 3), "(N, M)")


def test_assert_close_reports_worst_error_and_location():
    """Does a mismatch report the worst relative error, its index, and expected/actual when revealed?"""
    with pytest.raises(AssertionError, match=r"worst relative error 3\.3e-01 at index \(1, 0\): expected 1, got 2"):
        assert_close("f", "out", np.array([[1.0], [2.0]]), [[1.0], [1.0]])


def test_assert_close_hidden_reveals_no_values_but_gives_hints():
    """Does a hidden mismatch keep the numbers secret while naming a recognized slip?"""
    with pytest.raises(AssertionError) as failure:
        assert_close("f", "loss", 3.0, 1.0, reveal=False, slips=[("divide by N", 3.0)])
    assert "expected 1" not in str(failure.value) and "Hint: divide by N." in str(failure.value)


@pytest.mark.parametrize("value, match", [
    (np.zeros(2, dtype=np.float32), "dtype float32"),
    (np.array([1.0, np.inf]), "non-finite"),
    ([1.0, 2.0], "should be a NumPy array"),
])
def test_assert_close_rejects_wrong_types(value, match):
    """Are float32, non-finite and non-array outputs rejected with their own message?"""
    with pytest.raises(AssertionError, match=match):
        assert_close("f", "out", value, [1.0, 2.0])


@pytest.mark.parametrize("name, value, words", [
    ("uses_exp", np.array([1.0, np.inf]), "non-finite value (inf) at index (1,). Large values overflow np.exp"),
    ("g", np.array([np.nan, 1.0]), "non-finite value (nan) at index (0,). Look for a division by zero"),
    ("g", np.float64(np.inf), "non-finite value (inf). Look for"),
])
def test_a_non_finite_value_gets_the_hint_of_its_function(name, value, words, monkeypatch):
    """Does a function's registered hint (explain_nonfinite) explain its non-finite outputs, a function without
    one get the general hint, and a scalar's empty index stay out of the message?"""
    monkeypatch.setattr(feedback, "NONFINITE_HINTS", {})
    feedback.explain_nonfinite("uses_exp", "Large values overflow np.exp.")
    with pytest.raises(AssertionError) as failure:
        assert_close(name, "out", value, np.ones_like(value))
    assert words in str(failure.value)


@pytest.mark.parametrize("value, kinds, words", [
    (None, (int, float), "v is not answered yet: in its cell, replace None"),
    ("0.25", (int, float), "v should be of type int or float; it is a str."),
    (True, (int, float), "v should be of type int or float; it is a bool."),
    (len, None, "v should be a value you set; it is a function."),
])
def test_an_unanswered_or_mistyped_value_is_named(value, kinds, words):
    """Does a value question left at None say it is not answered, and a value of the wrong kind say which kind?"""
    with pytest.raises(AssertionError) as failure:
        feedback.answered("v", value, kinds)
    assert words in str(failure.value)


@pytest.mark.parametrize("value, kinds", [(0.25, (int, float)), (np.float64(0.25), float), (np.int64(3), int),
                                          ("b", str), (np.zeros(2), np.ndarray), (False, bool)])
def test_an_answer_of_the_right_kind_is_returned(value, kinds):
    """Do NumPy's numbers count as int and float answers, and is the answer handed back as it is?"""
    assert feedback.answered("v", value, kinds) is value


def test_assert_close_accepts_within_tolerance():
    """Does a value within tolerance pass, including a Python float for a scalar?"""
    assert_close("f", "loss", 1.0 + 1e-9, 1.0)
    assert_close("f", "out", np.ones((2, 2)), np.ones((2, 2)))


def test_inputs_unchanged_and_alias_checks():
    """Are an input changed in place (also inside a dict) and an output sharing an input's memory caught?"""
    params = {"W": np.ones(2)}
    before = (dict(W=params["W"].copy()),)
    params["W"][0] = 5
    with pytest.raises(AssertionError, match=r"modified its input params\['W'\]"):
        assert_inputs_unchanged("f", ("params",), before, (params,))
    x = np.ones(4)
    with pytest.raises(AssertionError, match="shares memory with the input x"):
        assert_no_alias("f", {"out": x[:2]}, {"x": x})
    assert_no_alias("f", {"out": x.copy()}, {"x": x})


def test_relative_error_and_describe():
    """Is the relative error CS231n's, and does describe() name types and shapes?"""
    assert relative_error([1.0], [3.0])[0] == pytest.approx(0.5)
    assert relative_error([0.0], [0.0])[0] == 0.0
    assert describe(None) == "None" and describe((1, 2)) == "a tuple of length 2"


def test_a_stub_called_by_another_function_is_named_with_its_caller():
    """When f fails because the stub of g it calls raises, does the message name g as the one to write, and say
    that f calls it?"""
    def g(x):
        raise NotImplementedError("g: replace this line with your code")

    def f(x):
        return g(x) + 1

    with pytest.raises(AssertionError) as failure:
        call(f, "f", 1)
    assert str(failure.value).startswith("g is not implemented yet (f calls it): in the cell of g, replace the TODO")
    with pytest.raises(AssertionError, match=r"^g is not implemented yet: in its cell, replace the TODO and the "
                                             r"`raise NotImplementedError` line"):
        call(g, "g", 1)


def test_a_name_error_hints_at_cells_the_grader_does_not_run():
    """Does a NameError (a helper defined in a check or training cell) say which cells the grader skips?"""
    def f(x):
        return helper(x)  # noqa: F821  (defined nowhere, like a helper in a cell the grader skips)

    with pytest.raises(AssertionError, match=r"f raised NameError: name 'helper' is not defined\. Check the "
                                             r"spelling; if you defined it in a cell the grader does not run .* move "
                                             r"it into the cell of the function that uses it"):
        call(f, "f", 1)


@pytest.mark.parametrize("value", [np.array([2.5]), np.array([[2.5]])])
def test_a_one_element_array_for_a_number_gets_the_single_number_hint(value):
    """Is an array of shape (1,) or (1, 1) where a single number is wanted told to return a float?"""
    with pytest.raises(AssertionError, match=r"loss is an array of shape \(1(, 1)?,?\); it should be a single "
                                             r"number\. Return a float: e\.g\. loss\.item\(\)"):
        as_float_array("f", "loss", value, ())


def test_a_single_number_is_accepted_as_a_zero_dimensional_array():
    """Are a Python float and a NumPy float accepted for shape (), as 0-d arrays?"""
    assert as_float_array("f", "loss", 2.5, ()).shape == ()
    assert as_float_array("f", "loss", np.float64(2.5), ()).item() == 2.5


def test_relative_error_of_infinities_is_infinite_and_silent():
    """Is inf against inf (or -inf, or nan against nan) an infinite error, without a RuntimeWarning?"""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        errors = relative_error([np.inf, -np.inf, np.nan, np.inf], [np.inf, np.inf, np.nan, 1.0])
    assert errors.tolist() == [np.inf] * 4


def test_random_labels_repeat_when_there_are_more_labels_than_classes():
    """With N > C - missing, do all the C - missing classes occur, some repeated, and the last missing never?"""
    y = random_labels(3, 12, 5, missing=2)
    assert y.dtype == np.int64 and y.shape == (12,)
    assert sorted(set(y.tolist())) == [0, 1, 2]


def test_random_labels_are_distinct_when_there_are_few_and_reproducible():
    """With N <= C - missing, are the labels distinct; and does a seed always give the same labels, another
    seed other ones?"""
    assert len(set(random_labels(0, 4, 6, missing=1).tolist())) == 4
    assert random_labels(7, 30, 10).tolist() == random_labels(7, 30, 10).tolist()
    assert random_labels(7, 30, 10).tolist() != random_labels(8, 30, 10).tolist()


def test_random_arrays_are_reproducible_distinct_and_in_order():
    """Does random_arrays give one array per shape, in order, each different, the same for the same seed, kept
    at least margin away from 0?"""
    shapes = {"W": (3, 4), "b": (4,), "c": (4,)}
    arrays = random_arrays(5, shapes, scale=0.1, margin=0.05)
    assert list(arrays) == ["W", "b", "c"] and [a.shape for a in arrays.values()] == list(shapes.values())
    assert not np.array_equal(arrays["b"], arrays["c"])
    assert all(np.all(np.abs(a) >= 0.05) for a in arrays.values())
    again = random_arrays(5, shapes, scale=0.1, margin=0.05)
    assert all(np.array_equal(arrays[key], again[key]) for key in shapes)
    assert not np.array_equal(random_arrays(6, shapes)["W"], random_arrays(5, shapes)["W"])


def test_shipped_expected_values_come_back_as_arrays_dicts_and_numbers():
    """From a shipped table, does expected() give lists as arrays, dicts of arrays and floats, without computing?"""
    def never(ref):
        raise AssertionError("a shipped value must not be computed")

    expected = expected_values({"out": [[1.0, 2.0]], "labels": [0, 2], "grads": {"W": [1.5]}, "loss": 0.25})
    out, labels, grads = expected("out", never), expected("labels", never), expected("grads", never)
    assert out.dtype == np.float64 and out.shape == (1, 2) and labels.dtype.kind == "i"
    assert isinstance(grads["W"], np.ndarray) and grads["W"].tolist() == [1.5]
    assert expected("loss", never) == 0.25


def test_a_label_missing_from_the_shipped_table_says_the_tests_are_out_of_date():
    """Is a label the public tests did not ship an AssertionError telling the student their tests are stale?"""
    with pytest.raises(AssertionError, match=r"no expected value for 'other'.*tests folder is out of date"):
        expected_values({"out": [1.0]})("other", lambda ref: 0.0)


def test_computed_expected_values_are_recorded_and_labels_are_unique(monkeypatch):
    """Computing from the reference, is each value recorded as plain data once recording is on (make assign turns
    it on; grading does not pay for it), and is a label reused for another value refused (the same value again is
    fine)?"""
    monkeypatch.setitem(sys.modules, "reference", types.SimpleNamespace(double=lambda x: 2 * x))
    expected = expected_values()
    assert expected("twice", lambda ref: ref.double(np.arange(2.0))).tolist() == [0.0, 2.0]
    assert expected.recorded is None
    expected.recorded = {}
    assert expected("twice", lambda ref: ref.double(np.arange(2.0))).tolist() == [0.0, 2.0]
    expected("twice", lambda ref: ref.double(np.arange(2.0)))
    assert expected.recorded == {"twice": [0.0, 2.0]}
    with pytest.raises(ValueError, match="two different expected values are labelled 'twice'"):
        expected("twice", lambda ref: ref.double(np.ones(2)))


def test_show_messages_only_makes_otter_show_the_message_alone(monkeypatch):
    """After show_messages_only(), does otter's grader.check show a failed assertion's message without the test
    source, and another exception with its type?"""
    from otter.test_files.exception_test import ExceptionTestFile

    monkeypatch.setattr(ExceptionTestFile, "_generate_error_message", ExceptionTestFile._generate_error_message)
    test_file = ExceptionTestFile.from_string(
        "from otter.test_files import test_case\nname = 'q'\n\n"
        "@test_case(points=1)\ndef mine(f):\n    assert f() == 1, 'f() should be 1'\n\n"
        "@test_case(points=1)\ndef crash(f):\n    f()[0]\n")
    show_messages_only()
    test_file.run({"f": lambda: 2})
    assert [result.message for result in test_file.test_case_results] == [
        "❌ Test case failed\nf() should be 1", "❌ Test case failed\nTypeError: 'int' object is not subscriptable"]


def test_root_cause_names_the_dependency_and_what_is_wrong_with_it():
    """Does a composite's message name the function it uses as the cause: not implemented, not defined, or wrong
    (without the numbers), and say to fix it first?"""
    from backprop.checks.feedback import root_cause

    wrong = AssertionError("f: out is wrong (worst relative error 1.0e+00 at index (0, 1); accepted up to 1e-07).")
    assert root_cause("g", "f", wrong) == ("g uses f, which is wrong on a small test batch (f: out is wrong). "
                                           "Fix f first (run its grader.check), then run this check again.")
    stub = AssertionError("f is not implemented yet: in its cell, replace the TODO.")
    assert root_cause("g", "f", stub).startswith("g uses f, which is not implemented yet. Fix f first")
    missing = AssertionError("f is not defined: run the cell that defines it, and keep its name.")
    assert "which is not defined: run its cell" in root_cause("g", "f", missing)


@pytest.mark.parametrize("value, letter", [("b", "b"), (" B ", "b"), ("(c)", "c")])
def test_a_choice_is_read_in_any_usual_spelling(value, letter):
    """Are "(c)", " B " and "b" read as their letter?"""
    assert feedback.answered_choice("q", value, ("a", "b", "c")) == letter


@pytest.mark.parametrize("value, words", [(None, "not answered yet"), ("d", "should be one of 'a', 'b', 'c'"),
                                          (2, "should be of type str")])
def test_a_choice_that_is_none_of_them_says_which_there_are(value, words):
    """Does an unanswered choice, a letter that is not a choice, or a number, each get its own message?"""
    with pytest.raises(AssertionError, match=words):
        feedback.answered_choice("q", value, ("a", "b", "c"))
