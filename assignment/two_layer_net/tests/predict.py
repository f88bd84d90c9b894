# The public checks of predict, which grader.check("predict") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import assert_close, assert_shape, call, expected_values, random_array, random_arrays, root_cause, unpack, uses

OK_FORMAT = False
name = "predict"
expected = expected_values({
    'layers: affine out': [[-0.782091743359, 0.520883949284, -0.681188755021, 1.92909854454, 0.602858173167], [-1.80560114414, -0.28201263254, 2.73103028507, -2.77136674007, -1.16245135698], [-2.06272888357, -0.637169062919, 1.42958414791, 0.758759465796, -0.815612356744], [0.603598231717, 1.14793642525, -2.48626882561, 0.261911766015, 1.88797614486]],
    'layers: relu out': [[0.104681662132, 0.0, 0.891973130243, 0.0, 0.0], [0.513458010599, 1.31905062076, 1.27581773197, 1.35560019852, 0.402960041797], [0.0, 0.577935232982, 0.579449327011, 0.1, 0.0], [0.0, 0.265508105416, 0.0, 0.0, 0.0]],
    'layers: scores': [[1.04423099118, -2.1592397962], [-0.56714804859, 0.561084531883], [-0.325564860906, -1.08363400156], [3.5625436528, -1.6937585756]],
    '0: y_pred': [0, 2, 2, 2, 2, 2, 2, 0],
    '1: y_pred': [4, 2, 2, 4, 4, 4],
})
EXAMPLE = {"W1": np.array([[0.3, 0.2, 0.1], [0.5, 0.7, 0.4]]), "b1": np.array([0.1, 0.2, 0.3]),
           "W2": np.array([[0.3, 0.2], [0.5, 0.7], [0.1, 0.8]]), "b2": np.array([0.3, 0.5])}


def labels(value, N):
    """Check predict's result is (N,) integer labels and return it."""
    try:
        assert_shape(name, "y_pred", value, (N,), "(N,)")
    except AssertionError as failure:
        raise AssertionError(f"{failure} predict gives one label per example: the argmax of each row (axis=1).") from None
    if value.dtype.kind not in "iu":
        raise AssertionError(f"{name}: y_pred has dtype {value.dtype}; expected integer labels (np.argmax gives them).")
    return value


LAYER_INPUTS = dict(x=random_array(50, (4, 3)), W=random_array(51, (3, 5)), b=random_array(52, 5),
                    s=random_array(53, (4, 5), margin=0.1))


def diagnosis():
    """
    How to check each function predict builds on: (name, its output on small inputs, the right output).

    The layers of the forward pass come first: a wrong layer makes two_layer_net_loss's scores wrong too.
    The right outputs are asked for on every run, so that they ship with the public tests.
    """
    x, W, b, s = (LAYER_INPUTS[key] for key in ("x", "W", "b", "s"))
    params = {"W1": W, "b1": b, "W2": random_array(54, (5, 2)), "b2": random_array(55, 2)}
    checks = [
        ("affine_forward", lambda f: unpack(call(f, "affine_forward", x, W, b), "affine_forward", ("out", "cache"))[0],
         expected("layers: affine out", lambda ref: ref.affine_forward(x, W, b)[0])),
        ("relu_forward", lambda f: unpack(call(f, "relu_forward", s), "relu_forward", ("out", "cache"))[0],
         expected("layers: relu out", lambda ref: ref.relu_forward(s)[0])),
        ("two_layer_net_loss", lambda f: call(f, "two_layer_net_loss", params, x),
         expected("layers: scores", lambda ref: ref.two_layer_net_loss(params, x)))]
    return checks


def wrong_cause(env, checks):
    """
    A message naming the first of the functions predict builds on whose output is wrong; None when all are right.

    A function the grader has replaced by a trusted one (make grade) is never blamed.
    """
    for function, output, right in checks:
        if getattr(env.get(function), "trusted_stand_in", False) or not uses(env, name, function):
            continue
        try:
            assert_close(function, "its output", output(env.get(function)), right, reveal=False)
        except AssertionError as failure:
            return root_cause("predict", function, failure)
    return None


def check_labels(predict, env, params, X, y_expected, reveal):
    """predict's labels; when they are wrong, say whether a function it builds on is the cause."""
    checks = diagnosis()
    try:
        y_pred = labels(call(predict, name, params, X), X.shape[0])
    except AssertionError as failure:  # predict crashed or returned something else: is what it builds on the cause?
        cause = wrong_cause(env, checks)
        raise AssertionError(f"{failure} {cause}" if cause else str(failure)) from None
    wrong = int(np.sum(y_pred != y_expected))
    if not wrong:
        return
    shown = f": expected {np.asarray(y_expected).tolist()}, got {y_pred.tolist()}" if reveal else ""
    message = f"{name}: {wrong} of {X.shape[0]} examples get the wrong label{shown}."
    cause = wrong_cause(env, checks)
    if cause is not None:
        raise AssertionError(f"{message} {cause}")
    raise AssertionError(f"{message} Take the argmax of each row of the scores (axis=1).")


def check_batches(predict, env, sizes, first_seed, reveal):
    """Labels of random batches of each size (N, D, H, C)."""
    for seed, (N, D, H, C) in enumerate(sizes, start=first_seed):
        params = random_arrays(seed, {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)})
        X = random_array(seed + 1, (N, D))
        y_expected = expected(f"{seed}: y_pred", lambda ref: ref.predict(params, X))
        check_labels(predict, env, params, X, y_expected, reveal)


@test_case(name="predict: worked example", points=1)
def worked_example(predict, env):
    """The worked example's network on three examples whose scores are [3.28, 5.31], [1.23, 1.12] and [0.3, 0.5]."""
    X = np.array([[6.0, 3.0], [30.0, -12.0], [-6.0, -3.0]])
    check_labels(predict, env, EXAMPLE, X, [1, 0, 1], reveal=True)


@test_case(name="predict: random batches", points=2)
def random_batches(predict, env):
    """Labels of random batches (N >= 6, several classes)."""
    check_batches(predict, env, [(8, 4, 6, 3), (6, 3, 5, 7)], 0, reveal=True)
