"""Tests for backprop.checks.feedback: each check fails with the message a student needs."""

import numpy as np
import pytest

from backprop.checks.feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, assert_shape,
                                      call, describe, relative_error, unpack)


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
    ("softmax_loss", np.array([1.0, np.inf]), "non-finite value (inf) at index (1,). Large scores overflow np.exp"),
    ("numerical_gradient", np.array([np.nan, 1.0]), "non-finite value (nan) at index (0,). Look for a division by zero"),
    ("numerical_gradient", np.float64(np.inf), "non-finite value (inf). Look for"),
])
def test_a_non_finite_value_gets_the_hint_of_its_function(name, value, words):
    """Is np.exp blamed only where the function uses it, and is a scalar's empty index left out?"""
    with pytest.raises(AssertionError) as failure:
        assert_close(name, "out", value, np.ones_like(value))
    assert words in str(failure.value)


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
