# The public checks of relu_forward, which grader.check("relu_forward") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, call, expected_values, random_array,
                      snapshot, unpack)

OK_FORMAT = False
name = "relu_forward"
RESULT = ("out", "cache")
expected = expected_values({
    '0: out': [[0.251460442187, 0.0, 1.28084530089, 0.209800234306], [0.0, 0.723190109819, 2.60800009026, 1.89416192626], [0.0, 0.0, 0.0, 0.0826519586945], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.823261072748, 2.08502673889]],
    '1: out': [[0.69116838413, 1.643236287, 0.660874152367, 0.0, 1.81071173335, 0.892749144728, 0.0], [1.16223620839, 0.729144792372, 0.588264993311, 0.0568444826316, 1.09342597322, 0.0, 0.0], [0.0, 1.19769242527, 0.0794442149633, 0.0, 0.0, 0.0, 0.0162843610367], [0.0, 2.5881276288, 2.01344863061, 0.0, 0.0, 0.0, 0.0]],
    '2: out': [[[0.378106763587, 0.0], [0.0, 0.0], [3.59941476544, 2.28833174407], [0.0, 1.54761317346]], [[0.562421339595, 0.0], [1.95513490225, 0.0], [0.0, 0.0], [0.909916142482, 0.0]], [[1.09057742793, 0.0], [0.253655694224, 0.0], [1.68292994474, 0.376070173961], [0.661142016271, 0.821007825941]]],
    '10: out': [[0.0, 0.0, 0.0, 0.266975856394], [0.0, 0.126483051512, 0.843042570804, 0.857936549476], [0.475183641949, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.305705219404, 0.0, 0.0, 0.425825667277], [0.0, 0.0, 0.0, 0.648024588836]],
})


def check_out(relu_forward, x, out_expected, reveal=True, copy_inputs=True):
    """Call relu_forward and compare out, with hints for the usual slips."""
    out, _ = unpack(call(relu_forward, name, x, copy_inputs=copy_inputs), name, RESULT)
    assert_close(name, "out", out, out_expected, reveal=reveal, slips=[
        ("negative inputs must become 0, not change sign", np.abs(x)),
        ("out = max(0, x): negative entries become 0, positive ones pass unchanged", x)])
    return out


def check_random(relu_forward, shapes, first_seed, reveal):
    """out on random inputs of each shape, entries of both signs (never within 1e-3 of 0)."""
    for seed, shape in enumerate(shapes, start=first_seed):
        x = random_array(seed, shape, scale=2.0, margin=1e-3)
        check_out(relu_forward, x, expected(f"{seed}: out", lambda ref: ref.relu_forward(x)[0]), reveal)


def check_untouched(relu_forward, seed, reveal):
    """With a correct out: x unchanged, and out a new array."""
    x = random_array(seed, (6, 4), margin=1e-3)
    out_expected = expected(f"{seed}: out", lambda ref: ref.relu_forward(x)[0])
    before = snapshot((x,))
    out = check_out(relu_forward, x, out_expected, reveal=reveal, copy_inputs=False)
    assert_inputs_unchanged(name, ("x",), before, (x,))
    assert_no_alias(name, {"out": out}, {"x": x})


@test_case(name="relu_forward: worked example", points=1)
def worked_example(relu_forward):
    """The worked example's S1 passes unchanged; negative entries become 0."""
    check_out(relu_forward, np.array([[3.4, 3.5, 2.1]]), [[3.4, 3.5, 2.1]])
    check_out(relu_forward, np.array([[-1.5, 2.0, 0.3], [0.7, -0.2, -3.0]]), [[0.0, 2.0, 0.3], [0.7, 0.0, 0.0]])


@test_case(name="relu_forward: random inputs", points=1)
def random_inputs(relu_forward):
    """out on random inputs of several shapes, (N, H) and 3-d, entries of both signs."""
    check_random(relu_forward, [(5, 4), (4, 7), (3, 4, 2)], 0, reveal=True)


@test_case(name="relu_forward: leaves its input alone", points=1)
def inputs_untouched(relu_forward):
    """A correct out, with x unchanged and out a new array."""
    check_untouched(relu_forward, 10, reveal=True)
