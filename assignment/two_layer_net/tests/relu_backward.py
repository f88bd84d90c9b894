# The public checks of relu_backward, which grader.check("relu_backward") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, call, expected_values, random_array,
                      snapshot, unpack)

OK_FORMAT = False
name = "relu_backward"
expected = expected_values({
    '0: numerical dx': [[0.345584192066, 0.0, 0.330437076182, -1.3031572316], [0.0, 0.446374572363, -0.536953235364, 0.581118104198], [0.0, 0.0, 0.0, 0.546712986613], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, -0.781908462361, -0.257192240621]],
    '1: numerical dx': [[0.189053381794, -0.522748441489, -0.413063543392, 0.0, 1.79970738272, 1.14416587205], [0.0, 0.773806586718, 0.281210669795, -0.553822836413, 0.977567451144, -0.310556546679], [0.0, 0.0, 0.0, -0.0991980517284, 0.545288713982, 0.0], [0.0, 0.0, 0.841464972368, 0.0, 0.330571008167, 0.410503912995]],
    '2: numerical dx': [[[2.04091912139, 0.0, 0.0, 0.0], [-0.452649292115, -0.215597163089, 0.0, -0.231932377637], [-0.865213076273, 0.0, 0.225786613228, 0.0]], [[0.0, 0.0, -1.0551505512, 0.0], [0.481945388509, 0.0, 0.957758702963, 0.0], [0.024259565079, 1.54582085121, 0.545105522687, -0.505228735614]]],
    '10: numerical dx': [[0.0, 0.0, 0.0, -0.51030707679], [0.0, -0.527384193033, 0.569726357569, -0.0560644390468], [0.746885616254, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.824513527531, 0.0, 0.0, 0.685698610808], [0.0, 0.0, 0.0, -0.670565823685]],
})


def backward(relu_forward, relu_backward, x, dout, copy_inputs=True):
    """Run the student's forward pass for its cache, then the backward pass."""
    try:
        _, cache = unpack(call(relu_forward, "relu_forward", x), "relu_forward", ("out", "cache"))
    except AssertionError as failure:
        raise AssertionError(f"{name} could not be checked: it needs the cache of relu_forward, and "
                             f"{str(failure).rstrip('.')}. Fix relu_forward first.") from None
    return call(relu_backward, name, dout, cache, copy_inputs=copy_inputs)


def check_dx(dx, dx_expected, x, dout, reveal):
    """Compare dx, with hints for the usual slips."""
    assert_close(name, "dx", dx, dx_expected, tol=1e-7, reveal=reveal, slips=[
        ("the mask must come from the forward input x (the cache), not from dout", dout * (dout > 0)),
        ("dx must be dout times the mask, not the mask alone", (x > 0) * 1.0),
        ("the mask is inverted: the gradient passes where x > 0", dout * (x < 0)),
        ("the gradient is blocked where x <= 0: multiply dout by the mask x > 0", dout)])


def numerical_dx(label, x, dout):
    """The centered-difference gradient of sum(relu(x) * dout) with respect to x."""
    return expected(label, lambda ref: ref.numerical_gradient(lambda: np.sum(ref.relu_forward(x)[0] * dout), x))


def check_random(relu_forward, relu_backward, shapes, first_seed, reveal):
    """dx agrees with centered differences on random inputs of each shape (entries of both signs, away from 0)."""
    for seed, shape in enumerate(shapes, start=first_seed):
        x, dout = random_array(seed, shape, margin=1e-2), random_array(seed + 1, shape)
        dx_expected = numerical_dx(f"{seed}: numerical dx", x, dout)
        check_dx(backward(relu_forward, relu_backward, x, dout), dx_expected, x, dout, reveal)


def check_untouched(relu_forward, relu_backward, seed, reveal):
    """With a correct dx: dout and the cached x unchanged, and dx a new array."""
    x, dout = random_array(seed, (6, 4), margin=1e-2), random_array(seed + 1, (6, 4))
    dx_expected = numerical_dx(f"{seed}: numerical dx", x, dout)
    before = snapshot((dout, x))
    dx = backward(relu_forward, relu_backward, x, dout, copy_inputs=False)
    check_dx(dx, dx_expected, before[1], before[0], reveal=reveal)
    assert_inputs_unchanged(name, ("dout", "x"), before, (dout, x))
    assert_no_alias(name, {"dx": dx}, {"dout": dout, "x": x})


@test_case(name="relu_backward: worked example", points=1)
def worked_example(relu_forward, relu_backward):
    """The mask comes from x: the gradient is blocked where x < 0, whatever the sign of dout."""
    x = np.array([[-1.5, 2.0, 0.3], [0.7, -0.2, -3.0]])
    dout = np.array([[0.4, -0.6, 0.5], [-0.1, 0.9, -0.8]])
    check_dx(backward(relu_forward, relu_backward, x, dout), [[0.0, -0.6, 0.5], [-0.1, 0.0, 0.0]], x, dout, True)


@test_case(name="relu_backward: gradient check on random inputs", points=2)
def gradient_check(relu_forward, relu_backward):
    """dx agrees with centered differences of sum(relu(x) * dout), several shapes, x of both signs."""
    check_random(relu_forward, relu_backward, [(5, 4), (4, 6), (2, 3, 4)], 0, reveal=True)


@test_case(name="relu_backward: leaves its inputs alone", points=1)
def inputs_untouched(relu_forward, relu_backward):
    """A correct dx, with dout and the cached x unchanged and dx a new array."""
    check_untouched(relu_forward, relu_backward, 10, reveal=True)
