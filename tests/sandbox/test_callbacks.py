"""Tests for backprop.sandbox.callbacks: what student code passes to a trusted function is made plain and bounded."""

import collections

import numpy as np
import pytest

from backprop.sandbox.callbacks import MAX_ELEMENTS, Refused, bounded_arguments
from backprop.sandbox.codec import Handle


def plain(*args, **kwargs):
    """bounded_arguments for a function named layer."""
    return bounded_arguments(list(args), kwargs, "layer")


def test_integers_above_int64_become_float64_never_object_arrays():
    """Do a list, a nested list and an object array holding integers above int64 arrive as float64 arrays?"""
    (flat, nested, objects), _ = plain([2 ** 70, 1], [[2 ** 70], [3]], np.array([2 ** 70, 1], dtype=object))
    assert all(value.dtype == np.float64 for value in (flat, nested, objects))
    assert flat.tolist() == [2.0 ** 70, 1.0] and nested.shape == (2, 1)


def test_arrays_become_float64_labels_int64_and_float64_arrays_stay_themselves():
    """Do float32 and uint8 arrays become float64 and int64, while a float64 array is passed as that very object?"""
    x = np.ones((2, 3))
    (same, wide, labels, mask, scalar), _ = plain(x, np.ones(3, np.float32), np.arange(3, dtype=np.uint8),
                                                  np.array([True, False]), np.float32(0.5))
    assert same is x and wide.dtype == np.float64 and labels.dtype == np.int64 and mask.dtype == np.bool_
    assert scalar == 0.5 and scalar.dtype == np.float64


def test_structures_keep_their_shape_and_dicts_are_changed_in_place():
    """Do a cache tuple, a namedtuple, None, short text, a callable and a dict of parameters keep their structure?"""
    Cache = collections.namedtuple("Cache", "x w")
    params = {"W": np.ones((2, 2), np.float32), "reg": 2 ** 70}
    (cache, named, nothing, text, func, got), kwargs = plain((np.ones(2), [1, 2]), Cache(np.ones(1), 3), None,
                                                              "mode", len, params, reg=1)
    assert type(cache) is tuple and cache[1].dtype == np.int64 and type(named) is Cache and named.w == 3
    assert nothing is None and text == "mode" and func is len and kwargs == {"reg": 1}
    assert got is params and params["W"].dtype == np.float64 and params["reg"] == 2.0 ** 70


@pytest.mark.parametrize("value, words", [
    (Handle(), "not a Handle object"),
    (1j, "real numbers, not complex"),
    (np.ones(2, dtype=complex), "not of dtype complex128"),
    (np.array(["a"]), "not of dtype <U1"),
    ([[1, 2], [3]], "rectangular"),
    (10 ** 400, "no integer as large as"),
    ("x" * 5000, "no text longer"),
    (np.zeros(MAX_ELEMENTS + 1), f"at most {MAX_ELEMENTS} numbers"),
    (object(), "not object"),
])
def test_anything_else_is_refused_with_a_sentence(value, words):
    """Are handles, complex numbers, text arrays, ragged lists, huge integers, long text, too many numbers and other
    objects refused with a TypeError naming the grader's function?"""
    with pytest.raises(Refused, match="the grader's layer") as refused:
        plain(value)
    assert isinstance(refused.value, TypeError) and words in str(refused.value)


def test_depth_and_the_total_size_over_every_argument_are_bounded():
    """Is nesting bounded, and is the element budget shared by all the arguments of one call?"""
    deep = [np.ones(1)]
    for _ in range(40):
        deep = [deep, np.ones(1)]
    with pytest.raises(Refused, match="nested"):
        plain(deep)
    half = np.zeros(MAX_ELEMENTS // 2 + 1)
    with pytest.raises(Refused, match="numbers per call"):
        plain(half, x=half)
