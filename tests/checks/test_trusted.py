"""Tests for backprop.checks.trusted: reproducible inputs and trusted dependencies."""

import numpy as np

from backprop.checks.trusted import random_array, random_labels, random_params, trusted_dependencies


def test_random_inputs_are_reproducible_and_keep_away_from_zero():
    """Does a seed give the same array every time, with no entry closer to 0 than the margin?"""
    assert np.array_equal(random_array(3, (4, 5)), random_array(3, (4, 5)))
    assert np.abs(random_array(3, (50, 50), margin=0.1)).min() >= 0.1


def test_labels_and_params_have_the_promised_shapes():
    """Do labels cover every class, and params have shapes D×H, H, H×C, C?"""
    assert set(random_labels(0, 10, 4)) == {0, 1, 2, 3}
    params = random_params(0, 3, 5, 2)
    assert {k: v.shape for k, v in params.items()} == {"W1": (3, 5), "b1": (5,), "W2": (5, 2), "b2": (2,)}


def test_trusted_dependencies_patch_and_restore_globals():
    """Does a student's function call the trusted helper inside the block, and its own one after?"""
    namespace = {}
    exec("def helper():\n    return 'student'\n\ndef outer():\n    return helper()", namespace)
    with trusted_dependencies(namespace["outer"], helper=lambda: "trusted", extra=1):
        assert namespace["outer"]() == "trusted"
    assert namespace["outer"]() == "student" and "extra" not in namespace
