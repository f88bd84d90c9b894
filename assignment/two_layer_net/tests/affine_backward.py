# The public checks of affine_backward, which grader.check("affine_backward") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, call, expected_values, random_array,
                      snapshot, unpack)

OK_FORMAT = False
name = "affine_backward"
GRADIENTS = ("dx", "dW", "db")
expected = expected_values({
    '0: numerical dx': [[-1.25631601233, -4.78679614759, -2.42859404489, 0.756242977595], [-0.639358367893, 0.23384728447, -0.0367777459154, -0.297734568133], [-1.17453360315, 2.03616907626, 0.634425179391, -1.07375882634], [1.21736419256, -4.28337903586, -1.78164610661, 0.791031671071], [-0.994748346875, -0.709250321612, -0.621854401708, -0.678587654218]],
    '0: numerical dW': [[-5.59070551993, -0.0770055797905, 2.1710900006], [1.44314245648, 0.629335179358, 1.37256440731], [-2.43026295627, -2.63870123121, 0.530900855916], [-3.13367899533, -1.56815333461, -1.03787366602]],
    '0: numerical db': [2.49487548465, -3.68250643394, -2.07049273818],
    '1: numerical dx': [[-5.28838981442, -1.42324446593], [2.10483507681, -0.527457214083], [-7.27719464395, -3.59031685138], [2.86808016252, 0.0193709026597]],
    '1: numerical dW': [[0.0325552286462, 0.923826243859, -0.955855748419, 2.7080434208, -2.42794708285, 1.57546623987], [0.226576899731, -0.621105728893, 2.41479893468, 0.84154208313, -2.28950084651, -1.62970432154]],
    '1: numerical db': [-1.288513951, -0.396185625462, -2.09386548873, 2.48163407077, -2.94147284166, 2.56216592796],
    '2: numerical dx': [[1.64410108638, 1.10832851243, 2.14193780934], [-1.99939155205, -0.776599074293, -1.20769893357], [1.19077697081, 0.50757915977, 0.650531263968], [2.1237010575, -0.785746556531, -2.29841089423], [-5.96002970186, -0.223914528341, 1.38904965103], [-3.8075911255, 1.27212675964, 4.52473853537], [-0.335382184435, 0.73197448307, 2.00150562875]],
    '2: numerical dW': [[-1.49653365225, -3.49938998079, 0.0827975609685], [2.72242588222, 1.51858601149, -0.457543137294], [0.235437957269, 1.90959227598, 1.02005400425]],
    '2: numerical db': [-2.61903860677, 0.327993030363, -2.2968950206],
    '10: numerical dx': [[-2.94993123608, -0.520225542289, 1.9289005154, -8.2893579556], [2.26715658846, -0.631709456211, 0.253788155913, 1.89927332102], [-0.526594554717, -0.669670432174, 0.653693359443, -3.27603090939], [0.170375944997, -0.23678879697, 0.0399735476719, -0.361016926398], [1.83239233422, -0.459615618809, 0.344812941311, 1.51597068339], [-2.72970108459, 1.31449830341, -1.61025743979, 0.510648168994]],
    '10: numerical dW': [[-0.953061579434, 3.5175180245, 0.720112453578], [-1.16147684133, 1.43916296489, 0.311893482996], [-2.89382222629, 3.22621957984, 1.56233639621], [-2.02537463547, -0.138881758716, 0.541157443434]],
    '10: numerical db': [3.5628992844, -0.944504311384, -0.631849972343],
})


def backward(affine_forward, affine_backward, x, W, b, dout, copy_inputs=True):
    """Run the student's forward pass for its cache, then the backward pass."""
    try:
        _, cache = unpack(call(affine_forward, "affine_forward", x, W, b), "affine_forward", ("out", "cache"))
    except AssertionError as failure:
        raise AssertionError(f"{name} could not be checked: it needs the cache of affine_forward, and "
                             f"{str(failure).rstrip('.')}. Fix affine_forward first.") from None
    return unpack(call(affine_backward, name, dout, cache, copy_inputs=copy_inputs), name, GRADIENTS)


def check_gradients(grads, numeric, x, dout, reveal):
    """dx, dW, db against centered-difference gradients, with hints for the usual slips."""
    N = dout.shape[0]
    slips = {
        "dx": [("dx = dout W^T (N, M) times (M, D)", -numeric["dx"])],
        "dW": [("dW is divided by N: the layer's gradient is a plain sum over the batch, x^T dout", numeric["dW"] / N),
               ("dW = x^T dout", -numeric["dW"])],
        "db": [("db is averaged over the batch; the bias is added to every row, so sum", numeric["db"] / N),
               ("db is one row of dout; the bias is added to every row, so sum over the batch (axis 0)", dout[0]),
               ("db = the sum of dout over the batch", -numeric["db"])]}
    for label, value in zip(GRADIENTS, grads):
        assert_close(name, label, value, numeric[label], tol=1e-7, reveal=reveal, slips=slips[label])


def check_batches(affine_forward, affine_backward, sizes, first_seed, reveal):
    """Every gradient agrees with a centered-difference gradient on a random batch of each size (N, D, M)."""
    for seed, (N, D, M) in enumerate(sizes, start=first_seed):
        x, W, b = random_array(seed, (N, D)), random_array(seed + 1, (D, M)), random_array(seed + 2, M)
        dout = random_array(seed + 3, (N, M))
        numeric = {label: expected(f"{seed}: numerical {label}", lambda ref: ref.numerical_gradient(
                       lambda: np.sum(ref.affine_forward(x, W, b)[0] * dout), wrt))
                   for label, wrt in zip(GRADIENTS, (x, W, b))}
        check_gradients(backward(affine_forward, affine_backward, x, W, b, dout), numeric, x, dout, reveal)


def check_untouched(affine_forward, affine_backward, seed, reveal):
    """With correct gradients: dout and the cached arrays unchanged, and new arrays returned."""
    x, W, b, dout = random_array(seed, (6, 4)), random_array(seed + 1, (4, 3)), random_array(seed + 2, 3), random_array(seed + 3, (6, 3))
    numeric = {label: expected(f"{seed}: numerical {label}", lambda ref: ref.numerical_gradient(
                   lambda: np.sum(ref.affine_forward(x, W, b)[0] * dout), wrt))
               for label, wrt in zip(GRADIENTS, (x, W, b))}
    before = snapshot((dout, x, W, b))
    grads = backward(affine_forward, affine_backward, x, W, b, dout, copy_inputs=False)
    check_gradients(grads, numeric, before[1], before[0], reveal=reveal)
    assert_inputs_unchanged(name, ("dout", "x", "W", "b"), before, (dout, x, W, b))
    assert_no_alias(name, dict(zip(GRADIENTS, grads)), {"dout": dout, "x": x, "W": W, "b": b})


@test_case(name="affine_backward: worked example", points=2)
def worked_example(affine_forward, affine_backward):
    """The second layer of the worked example, with dscores = (P - Y) / N, N = 1."""
    h = np.array([[3.4, 3.5, 2.1]])
    W2 = np.array([[0.3, 0.2], [0.5, 0.7], [0.1, 0.8]])
    b2 = np.array([0.3, 0.5])
    dscores = np.array([[0.116088922068995, -0.116088922068995]])
    dh, dW2, db2 = backward(affine_forward, affine_backward, h, W2, b2, dscores)
    assert_close(name, "dx", dh, [[0.011608892206899, -0.023217784413799, -0.081262245448296]], tol=1e-9)
    assert_close(name, "dW", dW2, [[0.394702335034582, -0.394702335034582],
                                   [0.406311227241482, -0.406311227241482],
                                   [0.243786736344889, -0.243786736344889]], tol=1e-9)
    assert_close(name, "db", db2, [0.116088922068995, -0.116088922068995], tol=1e-9)


@test_case(name="affine_backward: gradient check on random batches", points=3)
def gradient_check(affine_forward, affine_backward):
    """dx, dW, db agree with centered differences of sum(out * dout) on random batches (N >= 4)."""
    check_batches(affine_forward, affine_backward, [(5, 4, 3), (4, 2, 6), (7, 3, 3)], 0, reveal=True)


@test_case(name="affine_backward: leaves its inputs alone", points=1)
def inputs_untouched(affine_forward, affine_backward):
    """Correct gradients, with dout and the cached arrays unchanged and new arrays returned."""
    check_untouched(affine_forward, affine_backward, 10, reveal=True)
