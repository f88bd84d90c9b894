# The public checks of affine_forward, which grader.check("affine_forward") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, call, expected_values, random_array,
                      snapshot, unpack)

OK_FORMAT = False
name = "affine_forward"
RESULT = ("out", "cache")
expected = expected_values({
    '0: out': [[0.191737753924, 0.0016153030252, -0.919928022784, -2.75780663672, 1.56592151469], [-0.00352664143669, 0.0487575134437, -0.955985982024, -2.83236642743, 1.56278958975], [1.04244631106, -0.344637725128, 1.08646100326, -3.68085942469, 3.59814311014], [-0.525295569622, -1.2051789925, -1.22383647488, -1.02638531905, 0.450801303569]],
    '1: out': [[3.58492522023, -1.79625118948, 0.00797730873105, -0.775728607794], [-0.241912322457, -4.2194285282, 0.705684460363, -2.382912599], [3.01542332305, -2.51821184776, -0.101131135237, -2.43275884005], [2.98524883873, -1.61007806194, 0.450785550737, 1.1928572207], [2.63919519152, -2.4097083187, 0.171789849458, -1.23025955674], [3.03021584046, -1.94499237258, 0.228445763961, -0.214111471152]],
    '2: out': [[-8.51281285651, -1.46254283886, 0.893992886189], [4.5921681537, -1.72316283609, 2.44798668732], [-1.66714342162, -2.23898104191, 1.71709599739], [-7.23696681222, -0.332947846416, 0.315566302378], [-4.98296963701, 4.34585750739, -0.813377637324]],
    '10: out': [[-0.613173951721, 0.223978961556, -0.836991059218], [-1.18445552982, 1.96718290539, 0.917364895444], [1.31457295731, 0.592467192871, 1.07601029908], [1.54947250946, -1.12882287972, -0.26921696295], [0.0610437368627, 2.69057397851, 1.91923945515], [-1.10303103801, 1.09574102581, -0.508833997618]],
})


def inputs(seed, N, D, M):
    """Random x (N, D), W (D, M), b (M,)."""
    return random_array(seed, (N, D)), random_array(seed + 1, (D, M)), random_array(seed + 2, M)


def check_out(affine_forward, x, W, b, out_expected, reveal=True, copy_inputs=True):
    """Call affine_forward and compare out, with hints for the usual slips."""
    out, _ = unpack(call(affine_forward, name, x, W, b, copy_inputs=copy_inputs), name, RESULT)
    assert_close(name, "out", out, out_expected, reveal=reveal, slips=[
        ("the bias b is missing: add it to every row", out_expected - b),
        ("b is subtracted: out = x W + b", out_expected - 2 * b),
        ("out = x W + b: x (N, D) times W (D, M)", np.zeros_like(out_expected))])
    return out


def check_batches(affine_forward, sizes, first_seed, reveal):
    """out on a random batch of each size (N, D, M)."""
    for seed, (N, D, M) in enumerate(sizes, start=first_seed):
        x, W, b = inputs(seed, N, D, M)
        check_out(affine_forward, x, W, b, expected(f"{seed}: out", lambda ref: ref.affine_forward(x, W, b)[0]), reveal)


def check_untouched(affine_forward, seed, reveal):
    """With a correct out: x, W and b unchanged, and out a new array."""
    args = inputs(seed, 6, 4, 3)
    out_expected = expected(f"{seed}: out", lambda ref: ref.affine_forward(*args)[0])
    before = snapshot(args)
    out = check_out(affine_forward, *args, out_expected, reveal=reveal, copy_inputs=False)
    assert_inputs_unchanged(name, ("x", "W", "b"), before, args)
    assert_no_alias(name, {"out": out}, dict(zip(("x", "W", "b"), args)))


@test_case(name="affine_forward: worked example", points=2)
def worked_example(affine_forward):
    """Both layers of the worked example: S1 = [3.4, 3.5, 2.1], S = [3.28, 5.31]."""
    X = np.array([[6.0, 3.0]])
    W1 = np.array([[0.3, 0.2, 0.1], [0.5, 0.7, 0.4]])
    b1 = np.array([0.1, 0.2, 0.3])
    W2 = np.array([[0.3, 0.2], [0.5, 0.7], [0.1, 0.8]])
    b2 = np.array([0.3, 0.5])
    check_out(affine_forward, X, W1, b1, [[3.4, 3.5, 2.1]])
    check_out(affine_forward, np.array([[3.4, 3.5, 2.1]]), W2, b2, [[3.28, 5.31]])


@test_case(name="affine_forward: random batches", points=2)
def random_batches(affine_forward):
    """out on random batches of several sizes (N >= 4, D != M)."""
    check_batches(affine_forward, [(4, 3, 5), (6, 2, 4), (5, 7, 3)], 0, reveal=True)


@test_case(name="affine_forward: leaves its inputs alone", points=1)
def inputs_untouched(affine_forward):
    """A correct out, with x, W and b unchanged and out a new array."""
    check_untouched(affine_forward, 10, reveal=True)
