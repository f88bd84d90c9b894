"""Helpers for the hidden tests: random inputs and trusted dependencies.

Instructor-only: shipped with the autograder, never to students. The hidden
tests take their expected values from the reference solution at run time, so
nothing here or in the test files holds a hidden expected value.
"""

import contextlib

import numpy as np


def random_array(seed, shape, scale=1.0, margin=0.0):
    """
    A reproducible float64 array of standard normals, optionally kept away from 0.

    Inputs:
    - seed: an int; the same seed gives the same array on every machine.
    - shape: a tuple of ints.
    - scale: the standard deviation.
    - margin: entries are pushed to at least this magnitude, so that a ReLU
      kink is never closer than that (a centered difference then stays on one
      side, and neither > nor >= at 0 is favoured).

    Returns:
    - an ndarray of that shape.
    """
    values = scale * np.random.default_rng(seed).standard_normal(shape)
    small = np.abs(values) < margin
    values[small] = np.where(values[small] < 0, -margin, margin)
    return values


def random_labels(seed, N, C):
    """
    Reproducible integer labels that use every class when N >= C.

    Inputs:
    - seed: an int; N: the number of labels; C: the number of classes.

    Returns:
    - y: an int64 array of shape (N,) with values in [0, C).
    """
    rng = np.random.default_rng(seed)
    y = np.arange(N) % C
    rng.shuffle(y)
    return y.astype(np.int64)


def random_params(seed, D, H, C, scale=0.5):
    """
    Reproducible parameters of the two-layer net.

    Inputs:
    - seed: an int; D, H, C: the layer sizes.
    - scale: the standard deviation of every entry.

    Returns:
    - params: dict with W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).
    """
    shapes = {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    return {key: random_array(seed * 10 + i, shape, scale)
            for i, (key, shape) in enumerate(shapes.items())}


@contextlib.contextmanager
def trusted_dependencies(func, **replacements):
    """
    Run a student's function with trusted versions of the functions it calls.

    So a bug in affine_forward costs points in affine_forward, not again in the
    hidden checks of two_layer_net_loss, graded with the reference primitives in
    place of the student's. A function that does not call them is unaffected.

    Inputs:
    - func: the student's function; its globals are patched for the duration
      (in the sandbox, when func is a proxy to it: the trusted functions stay
      here and the sandbox calls them back).
    - replacements: name -> trusted function.
    """
    substitute = getattr(func, "substitute", None)
    if substitute is not None and not hasattr(func, "__globals__"):
        with substitute(**replacements):
            yield
        return
    namespace = getattr(func, "__globals__", None)
    if namespace is None:
        yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
