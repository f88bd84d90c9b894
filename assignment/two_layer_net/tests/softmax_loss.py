# The public checks of softmax_loss, which grader.check("softmax_loss") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, call, expected_values, explain_nonfinite,
                      random_array, random_labels, snapshot, unpack)

OK_FORMAT = False
name = "softmax_loss"
explain_nonfinite(name, "Large scores overflow np.exp: subtract each row's maximum first.")
RESULT = ("loss", "dscores")
expected = expected_values({
    '0: loss': 2.03549752399,
    '0: dscores': [[0.0406832116858, -0.2312290537, 0.190545842014], [0.075613082808, -0.238933518554, 0.163320435746], [-0.0641499903483, 0.0636998815242, 0.000450108824094], [0.00428980589547, -0.220550335683, 0.216260529787]],
    '1: loss': 1.43665666323,
    '1: dscores': [[0.0144986252652, 0.0604705028501, -0.152812133438, 0.000103088190838, 0.0777399171321], [-0.124645234795, 0.00219942584692, 0.0629543818382, 0.0328769972751, 0.0266144298344], [0.0251962752633, -0.0473753653036, 0.00253975391285, 0.0141923006336, 0.00544703549382], [0.123602075455, -0.143569844925, 0.00852632508079, 0.00196364671148, 0.00947779767795], [0.00242294420263, 0.00103432408551, -0.0519175311838, 0.0484595688207, 6.94074978507e-07], [0.000122763861995, -0.145651784282, 0.0100039089655, 0.0673886186159, 0.0681364928381]],
    '2: loss': 6.52881005621,
    '2: dscores': [[0.00133078284183, 0.000157294081077, 0.000218584326863, -0.19999950244, 0.166955844746, 0.0233618615094, 0.000284318189043, 0.00769081674628], [0.017342448754, -0.1985836875, 0.140081938348, 0.00293837154596, 0.00278167554387, 0.000692868471143, 0.0292067365275, 0.00553964830996], [0.0377618943804, 0.00118990951627, -0.189239113838, 0.000505914415569, 0.0918199215294, 0.0129298633986, 0.0198290372565, 0.025202573341], [1.91770950255e-05, 0.00416941946616, 0.190250623873, -0.199997082691, 2.22054952371e-06, 4.35574149326e-06, 0.00496597921343, 0.000585306752086], [-0.103797957362, 0.0330729552144, 0.0071216447688, 0.00887765729641, 0.00227536794936, 0.0512545247594, 0.000127744306697, 0.00106806306662]],
    '10: numerical dscores': [[0.052096062142, -0.123949075748, 0.0718530136168], [0.0810997764389, -0.151569798434, 0.0704700219956], [0.0738765153163, -0.12501493456, 0.0511384192214], [-0.117783430487, 0.0606544602433, 0.0571289702656], [-0.130390559838, 0.0932584766189, 0.0371320832304]],
    '11: numerical dscores': [[0.0251993187206, 0.0948571174719, 0.08287597979, -0.235381072167, 0.0180772579572, 0.0143713982492], [0.0413826452661, -0.227866975844, 0.0494034793963, 0.00369067896244, 0.112132814567, 0.0212573576741], [-0.189929099981, 0.0265380816211, 0.0208227993959, 0.0483398965967, 0.069384299195, 0.0248440231942], [0.039170918309, 0.0905968442488, -0.230886782182, 0.0100375922019, 0.0677417467232, 0.0233396806992]],
    'large: loss': 3.02764621808,
    'large: dscores': [[-0.0672353553425, 0.0672353553425, 0.0], [0.0304879130774, 0.136637346817, -0.167125259894], [0.249988650533, 0.0, -0.249988650533], [0.0, -0.125, 0.125]],
    '20: loss': 1.44306911495,
    '20: dscores': [[0.0147766392545, 0.0705548952004, -0.114408662527, 0.0290771280725], [-0.0968340326801, 0.0417899144404, 0.0273327092976, 0.0277114089421], [-0.18521169124, 0.101643644226, 0.037938873456, 0.0456291735571], [0.0660828793397, 0.0422271311397, -0.162327666504, 0.054017656025], [0.0854790998907, -0.152174677072, 0.0297355573348, 0.0369600198468]],
})
LARGE = np.array([[1000.0, 999.0, -1000.0], [-1000.0, -998.5, -999.0], [1000.0, -1000.0, 990.0],
                  [-999.0, 1000.0, 1000.0]])  # with labels [0, 2, 2, 1]: true classes within e^-10 of the best


def slips(y, loss, dscores):
    """Hints for the usual slips, as (hint, value) pairs for the loss and for dscores (from the right ones)."""
    N, C = dscores.shape
    onehot = np.eye(C)[y]
    p = N * dscores + onehot  # the probabilities, from the right gradient
    every_label = np.zeros((N, C))
    every_label[:, np.unique(y)] = 1
    with np.errstate(divide="ignore"):
        batch_loss = -np.log(p[:, y]).mean()
    batch_indexing = "[np.arange(N), y] picks each row's true class; [:, y] takes every row at every label"
    loss_slips = [("the loss is summed over the batch: take the mean (divide by N)", N * loss),
                  (batch_indexing, batch_loss)]
    dscores_slips = [("the gradient must be divided by N too, since the loss is a mean", N * dscores),
                     ("subtract 1 at the true class: the gradient is (p - onehot(y)) / N", dscores + onehot / N),
                     ("the sign is flipped: the gradient is (p - onehot(y)) / N", -dscores),
                     (batch_indexing, (p - every_label) / N)]
    return loss_slips, dscores_slips


def check_loss(softmax_loss, scores, y, loss_expected, dscores_expected, reveal=True, copy_inputs=True):
    """Call softmax_loss and compare loss and dscores, with hints for the usual slips."""
    loss, dscores = unpack(call(softmax_loss, name, scores, y, copy_inputs=copy_inputs), name, RESULT)
    loss_slips, dscores_slips = slips(y, loss_expected, np.asarray(dscores_expected, dtype=float))
    assert_close(name, "loss", loss, loss_expected, tol=1e-9, reveal=reveal, slips=loss_slips)
    assert_close(name, "dscores", dscores, dscores_expected, tol=1e-9, reveal=reveal, slips=dscores_slips)
    return dscores


def right_values(label, scores, y):
    """The right loss and dscores."""
    return (expected(f"{label}: loss", lambda ref: ref.softmax_loss(scores, y)[0]),
            expected(f"{label}: dscores", lambda ref: ref.softmax_loss(scores, y)[1]))


def check_batches(softmax_loss, sizes, first_seed, reveal):
    """Loss and dscores on random batches of each size (N, C, classes missing from the labels)."""
    for seed, (N, C, missing) in enumerate(sizes, start=first_seed):
        scores, y = random_array(seed, (N, C), scale=3.0), random_labels(seed, N, C, missing)
        check_loss(softmax_loss, scores, y, *right_values(seed, scores, y), reveal=reveal)


def check_gradient(softmax_loss, sizes, first_seed, reveal):
    """dscores agrees with centered differences of the loss on random batches."""
    for seed, (N, C) in enumerate(sizes, start=first_seed):
        scores, y = random_array(seed, (N, C)), random_labels(seed, N, C, 1)
        numeric = expected(f"{seed}: numerical dscores", lambda ref: ref.numerical_gradient(
            lambda: ref.softmax_loss(scores, y)[0], scores))
        _, dscores = unpack(call(softmax_loss, name, scores, y), name, RESULT)
        assert_close(name, "dscores", dscores, numeric, tol=1e-7, reveal=reveal, slips=slips(y, 0.0, numeric)[1])


def check_large(softmax_loss, scale, label, reveal):
    """Finite, correct loss and dscores for scores of magnitude about 1000 (times scale)."""
    scores, y = LARGE * scale, np.array([0, 2, 2, 1])
    check_loss(softmax_loss, scores, y, *right_values(label, scores, y), reveal=reveal)


def check_untouched(softmax_loss, seed, reveal):
    """With correct values: scores and y unchanged, and dscores a new array."""
    scores, y = random_array(seed, (5, 4)), random_labels(seed, 5, 4, 1)
    values = right_values(seed, scores, y)
    before = snapshot((scores, y))
    dscores = check_loss(softmax_loss, scores, y, *values, reveal=reveal, copy_inputs=False)
    assert_inputs_unchanged(name, ("scores", "y"), before, (scores, y))
    assert_no_alias(name, {"dscores": dscores}, {"scores": scores})


@test_case(name="softmax_loss: worked example", points=1)
def worked_example(softmax_loss):
    """Scores [3.28, 5.31] with label 1: loss 0.1234, dscores = p - y = [0.1161, -0.1161]."""
    check_loss(softmax_loss, np.array([[3.28, 5.31]]), np.array([1]), 0.12339881197985085,
               [[0.116088922068995, -0.116088922068995]])


@test_case(name="softmax_loss: random batches", points=2)
def random_batches(softmax_loss):
    """Loss and dscores on random batches (N >= 4) whose labels repeat and miss some classes."""
    check_batches(softmax_loss, [(4, 3, 1), (6, 5, 2), (5, 8, 4)], 0, reveal=True)


@test_case(name="softmax_loss: gradient check", points=2)
def gradient_check(softmax_loss):
    """dscores agrees with centered differences of the loss, on random batches."""
    check_gradient(softmax_loss, [(5, 3), (4, 6)], 10, reveal=True)


@test_case(name="softmax_loss: stable for large scores", points=1)
def stability(softmax_loss):
    """Scores near +-1000 give a finite loss and gradient that are right."""
    check_large(softmax_loss, 1.0, "large", reveal=True)


@test_case(name="softmax_loss: leaves its inputs alone", points=1)
def inputs_untouched(softmax_loss):
    """Correct values, with scores and y unchanged and dscores a new array."""
    check_untouched(softmax_loss, 20, reveal=True)
