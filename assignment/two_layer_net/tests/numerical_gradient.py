# The public checks of numerical_gradient, which grader.check("numerical_gradient") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
import contextlib

from otter.test_files import test_case
import numpy as np
from feedback import assert_close, call, random_array

OK_FORMAT = False
name = "numerical_gradient"


def assert_restored(x, before):
    """x is back to its values (up to rounding: x + h - 2h + h is fine; a missing restore is off by h)."""
    if not np.allclose(x, before, rtol=1e-12, atol=1e-12):
        raise AssertionError(f"{name} changed x: put every entry back (x[i] = original) before returning.")


def check_cubic(numerical_gradient, x, weights, h, reveal, coupling=0.0):
    """
    The estimate of the gradient of sum(weights * x ** 3) + coupling * sum(x) ** 2 with step h.

    The coupling term ties every entry to every other: an estimate made while other entries are
    still perturbed is off by about h (a separable function would not notice).
    """
    original = x.copy()
    f = lambda: float(np.sum(weights * x ** 3) + coupling * np.sum(x) ** 2)
    try:
        grad = call(numerical_gradient, name, f, x, h=h, copy_inputs=False)
    except AssertionError as failure:
        if x.ndim == 2 or not any(error in str(failure) for error in ("IndexError", "ValueError", "TypeError")):
            raise
        raise AssertionError(f"{failure} Hint: x can have any number of dimensions (this check passes a {x.ndim}-d "
                             "array): walk every index with np.ndindex(x.shape).") from None
    # what a centered difference gives, exactly: for a cubic, 3 x ** 2 + h ** 2; for a quadratic, its derivative
    centered = weights * (3 * original ** 2 + h ** 2) + 2 * coupling * np.sum(original)
    with restore_hint(x, original):
        check_grad(grad, centered, weights, original, h, coupling, reveal)
    return original


@contextlib.contextmanager
def restore_hint(x, original):
    """Add to a failure in the block that x was not restored, when it was not (a likely cause of wrong values)."""
    try:
        yield
    except AssertionError as failure:
        if np.allclose(x, original, rtol=1e-12, atol=1e-12):
            raise
        raise AssertionError(f"{failure} Also, x was not restored: put each entry back right after its two "
                             "evaluations (an entry left at x + h or x - h changes the estimates of the next ones).") from None


def check_grad(grad, centered, weights, original, h, coupling, reveal):
    """Compare the estimate with the exact centered difference, with hints for the usual slips."""
    assert_close(name, "grad", grad, centered, tol=1e-7, reveal=reveal, slips=[
        ("divide by 2h: the two evaluations are 2h apart", 2 * centered),
        ("use the centered difference (f(x + h) - f(x - h)) / 2h; this looks like a one-sided difference",
         centered + 3 * weights * original * h + coupling * h),
        ("the sign is flipped: (f(x + h) - f(x - h)) / 2h", -centered),
        ("perturb x itself, in place: f reads x, so a perturbed copy is invisible to f", np.zeros_like(original))])


def check_random(numerical_gradient, cases, first_seed, reveal):
    """Random arrays of each (shape, h), random weights; the gradient, and x restored."""
    for seed, (shape, h) in enumerate(cases, start=first_seed):
        x, weights = random_array(seed, shape, scale=2.0, margin=0.5), random_array(seed + 1, shape, margin=0.5)
        original = check_cubic(numerical_gradient, x, weights, h, reveal, coupling=0.5)
        assert_restored(x, original)


@test_case(name="numerical_gradient: a simple function", points=1)
def simple_function(numerical_gradient):
    """The gradient of sum(x ** 3) at a (2, 3) array with h = 1e-3, to centered-difference accuracy."""
    check_cubic(numerical_gradient, np.array([[1.0, -2.0, 3.0], [0.5, -1.5, 2.5]]), np.ones((2, 3)), 1e-3, True)


@test_case(name="numerical_gradient: random arrays and steps", points=2)
def random_arrays(numerical_gradient):
    """sum(w * x ** 3) with random w, on 1-, 2- and 3-d arrays and several steps."""
    check_random(numerical_gradient, [((4,), 1e-2), ((3, 5), 1e-3), ((2, 3, 2), 1e-2)], 0, reveal=True)


@test_case(name="numerical_gradient: restores x", points=1)
def restores_x(numerical_gradient):
    """A correct gradient, and afterwards x holds the values it held before."""
    check_random(numerical_gradient, [((2, 3), 1e-3)], 10, reveal=True)
