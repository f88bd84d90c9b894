# The public checks of two_layer_net_loss, which grader.check("two_layer_net_loss") runs. The grader runs them,
# and hidden ones on other inputs, from its own copy: editing this file changes no grade.
from otter.test_files import test_case
import numpy as np
from feedback import (assert_close, assert_inputs_unchanged, assert_no_alias, call, expected_values, explain_nonfinite,
                      random_array, random_arrays, random_labels, root_cause, snapshot, unpack, uses)

OK_FORMAT = False
name = "two_layer_net_loss"
explain_nonfinite(name, "Large scores overflow np.exp: subtract each row's maximum first.")
KEYS = ("b2", "W2", "b1", "W1")  # in the order backpropagation computes them
LAYERS = ("affine_forward", "relu_forward", "softmax_loss", "affine_backward", "relu_backward")
expected = expected_values({
    'layers: affine out': [[-0.782091743359, 0.520883949284, -0.681188755021, 1.92909854454, 0.602858173167], [-1.80560114414, -0.28201263254, 2.73103028507, -2.77136674007, -1.16245135698], [-2.06272888357, -0.637169062919, 1.42958414791, 0.758759465796, -0.815612356744], [0.603598231717, 1.14793642525, -2.48626882561, 0.261911766015, 1.88797614486]],
    'layers: relu out': [[0.104681662132, 0.0, 0.891973130243, 0.0, 0.0], [0.513458010599, 1.31905062076, 1.27581773197, 1.35560019852, 0.402960041797], [0.0, 0.577935232982, 0.579449327011, 0.1, 0.0], [0.0, 0.265508105416, 0.0, 0.0, 0.0]],
    'layers: softmax': {'loss': 2.05407986735, 'dscores': [[0.0588982936586, 0.023678918667, 0.12942526214, -0.229040757931, 0.0170382834651], [-0.220923716877, 0.0650733723767, 0.0623200092679, 0.0674957759109, 0.026034559322], [0.0300166545097, -0.174158672094, 0.0759562457838, 0.0470263524081, 0.0211594193926], [0.0607172270574, 0.0945675625265, -0.227163084944, 0.0504045593748, 0.0214737359857]]},
    'layers: affine grads': {'dx': [[3.13872912396, 3.43850680042, 3.94907132168], [1.06234137253, -0.865471403774, 1.51678360314], [-0.7509227064, -0.557587535613, -3.02417070398], [-0.684486076761, 2.96812969984, -2.58740383628]], 'dW': [[-0.988183186702, -0.953063747626, 0.575033170522, -1.29318394784, 0.182714242099], [4.36499377066, -0.662481807439, -2.25449302363, 1.98010440806, -1.25236667174], [-0.3300800636, -0.351785640762, 0.544116246171, 0.992055709744, -0.444425194436]], 'db': [2.77011416317, -4.90585272152, 2.1327261528, 0.776124356605, -0.505164105117]},
    'layers: relu dx': [[-0.971231326193, -0.0, 1.245004162, 0.0, -0.0], [1.29518728618, -0.566789962323, 0.0539010831432, 1.0729898183, -0.328506237718], [0.0, -2.53476968236, -0.298040215156, -0.810602483893, -0.0], [0.0, -1.60699332065, 0.0, -0.0, 0.0]],
    '0: scores': [[0.877947461155, -1.41418393661, 0.323554547534], [-0.117713373719, -0.397054612595, 0.388595071954], [0.0266363623233, -0.548087244955, 0.491810753543], [0.0170965806284, -0.870780649047, 0.588580077999], [0.550566440406, -1.24180824833, 0.369481945386]],
    '0: loss': 1.75575281373,
    '0: grads': {'W1': [[0.0277166100928, -0.165215434776, -0.0255743674478, 0.0, 0.0590766959649, -0.0618537513489], [0.062377647442, -0.371755588542, -0.0425884963943, 0.0, 0.0916705578817, -0.102223645963], [0.012566599694, -0.0747309548005, 0.0313678357756, 0.0, -0.0773575353134, 0.065243404849], [-0.00466526217549, 0.0277298870405, -0.111205525462, 0.0, 0.0366334647813, -0.0313111781887]], 'b1': [0.097945850413, -0.584058178424, -0.143317675192, 0.0, 0.334959555143, -0.33161988329], 'W2': [[0.0730833550003, -0.396873120604, 0.323789765604], [0.137506643849, -0.414652600026, 0.277145956177], [-0.0200444720513, -0.143550247533, 0.163594719584], [0.0, 0.0, 0.0], [0.016080829325, -0.196305964623, 0.180225135298], [0.0477741970524, -0.20002924084, 0.152255043787]], 'b2': [0.204114228274, -0.665461431636, 0.461347203362]},
    '1: scores': [[0.375465008393, -0.448197456653, 0.495091202131, -0.731178054452], [1.05582366763, 1.9321529119, 2.11023619438, -0.805317942605], [0.0947556416903, 0.0516670290614, 0.94194238142, -0.634179555484], [-0.082526412442, -0.560779114576, 1.03784871696, -0.200307352264], [0.494453945327, -0.756590359831, 0.252737941256, -0.40726307746], [-0.0246566170584, -0.445730236582, 0.963778942672, -0.489174975865]],
    '1: loss': 4.51500066687,
    '1: grads': {'W1': [[-0.326983177104, 0.0724389505819, -0.37664258267, 0.120723537066, -0.43483085597], [0.17106652693, 0.175363915028, 0.470231351448, 0.229421291103, 0.582670187452], [0.634324751476, -0.152873280681, 0.453860555677, 0.412876197911, -0.363833923129]], 'b1': [-0.168186560752, 0.0, -0.213443663435, 0.106711438881, 0.347972313983], 'W2': [[-0.281791104727, 0.659837460338, 0.533703789123, -0.245409421515], [-0.148418781844, 0.215304763917, -0.0109836058522, 0.298121617771], [-0.433234729636, 0.346561041374, 0.568933468794, -0.330392139168], [-0.204019974394, -0.215113306922, 0.0634128636699, 0.287535180701], [-0.242895337088, -0.390715667812, 0.43446680834, 0.396107470999]], 'b2': [0.0824128838028, -0.319235137289, 0.121972632453, 0.114849621033]},
    '2: scores': [[0.576815895975, -0.513326627685, -0.0326106880311, 0.630748796807, -1.00515134732, 1.82656861147], [1.49992912582, -1.05586383559, -0.417007551372, 0.786484264931, -1.67117596236, 2.58035016137], [0.569284335721, -0.510295855967, -0.0280975956674, 0.632419594021, -1.00035986875, 1.82029872307], [0.669013995347, -0.152371163777, 0.689672424967, 0.44727773826, -1.36658922063, 1.74861677042]],
    '2: loss': 2.83517058174,
    '2: grads': {'W1': [[0.173746912909, -0.0131296828938, -0.0199755612715], [-0.840114196808, 0.0405029190925, 0.0686950943385], [-0.0245733572219, -0.069243127712, -0.0331246801979], [-0.120343797126, 0.0374048934742, -0.0852322100498], [1.01285171391, -0.0203827942423, -0.0570635110101]], 'b1': [0.500137649381, -0.0211516450641, -0.0246085526965], 'W2': [[0.0546718564616, -0.154202575766, -0.442734050107, -0.109561117434, -0.0357769510388, 0.685140909483], [0.0756701412493, -0.154878404178, 0.102829846419, -0.00469107310317, -0.0615696522988, 0.110589595405], [0.0403443962866, -0.0408446527285, -0.0865480737646, 0.0857938582762, -0.0256217682246, 0.0830289099348]], 'b2': [-0.0821202638785, -0.203084810057, -0.160737903722, -0.112546102656, 0.0229505704021, 0.535538509911]},
    '10: numerical grads': {'b2': [-0.114434934262, -0.427882759901, 0.542317694163], 'W2': [[0.136499586967, -0.474944025231, 0.338444438275], [0.0, 0.0, 0.0], [-0.135659392198, -0.0441447945088, 0.179804186695], [-0.316815215118, -0.144252895762, 0.461068110869], [0.0, 0.0, 0.0], [0.0803375675873, -0.179032769698, 0.0986952020887]], 'b1': [0.701383771373, 0.0, 0.144967995119, 0.273744379142, 0.0, -0.092715568345], 'W1': [[0.170505513175, 0.0, 0.108664410059, 0.11090219626, 0.0, -0.024916087682], [-0.133274130676, 0.0, -0.372597937903, 0.15663696612, 0.0, 0.115272414791], [0.694506560184, 0.0, 0.342345786475, 0.125863166578, 0.0, -0.102949588376], [-0.107525120452, 0.0, -0.0546090036302, 0.0136685465946, 0.0, 0.00722801291042]]},
    '11: numerical grads': {'b2': [0.0681065882135, -0.0467325116826, -0.170130611821, 0.148756535268], 'W2': [[0.307199957961, 0.266882219746, -0.494500204318, -0.233467221755], [-0.392295002793, 0.00950738328065, 0.234935390653, 0.801647945026], [0.362786951413, -0.0911931670622, -0.25357061797, -0.0224363334134], [0.0156207130786, 0.129543981275, -0.00587786010975, 0.324615135483], [0.67704947424, 0.616572475098, -0.622032569497, 0.039869525903]], 'b1': [-0.139732790339, 0.134977330424, -0.0846612686178, 0.0, 0.111449220563], 'W1': [[-0.233337071576, 0.446155107658, 0.289625012373, 0.0180185849352, -0.705371441634], [0.088289381539, -0.171611810695, -0.0529302043306, -0.0361806567817, -0.603456518178], [0.22458678437, 0.487961482309, 0.166356804177, 0.0532635680006, -0.211707244779]]},
    '20: scores': [[-1.46058039582, -0.605246404725, 0.515873533835], [0.854965777395, 0.122181511774, -0.0335325503392], [0.267641428068, -0.0737409916156, 0.407462757878], [1.80209144217, -0.0713617839193, -0.159256197514], [-0.957536100539, -0.878715211396, 0.860733066924], [0.129489707682, -0.00622487173727, 0.192763270007]],
    '20: loss': 1.97935918149,
    '20: grads': {'W1': [[0.426714613019, 0.0343559449546, -0.0466599252523, 0.0936898790819, 0.0575548322307], [0.0732221408219, 0.284313280185, -0.0658600699135, 0.172793150332, 0.0551652007361], [-0.0509842964881, -0.0213120452045, 0.128022673872, -0.228908455493, -0.0145150355268], [0.239841617733, 0.270803175487, 0.0193454392089, 0.309973148004, 0.00511257315132]], 'b1': [0.113780233716, 0.110356373287, -0.100440010322, 0.0958425860952, -0.102458116814], 'W2': [[-0.17193584357, -0.35123164003, 0.420871758751], [-0.244194826099, -0.0925925450988, 0.481541604425], [-0.161635273524, 0.0815836976053, 0.170085085551], [-0.374718943747, -0.183401843699, 0.310882551186], [0.0992279026248, 0.0664183350315, 0.00227352219205]], 'b2': [-0.298830156921, -0.121319139187, 0.420149296108]},
})


def random_params(seed, D, H, C):
    """Random W1 (D, H), b1 (H,), W2 (H, C), b2 (C,): hidden units of both signs."""
    return random_arrays(seed, {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}, scale=0.5)


LAYER_INPUTS = dict(x=random_array(50, (4, 3), margin=0.1), W=random_array(51, (3, 5)), b=random_array(52, 5),
                    s=random_array(53, (4, 5), margin=0.1), dout=random_array(54, (4, 5)), y=random_labels(55, 4, 5, 1))


def layer_values():
    """The layers' right outputs on LAYER_INPUTS, asked for on every run so that they ship with the public tests."""
    x, W, b, s, dout, y = (LAYER_INPUTS[key] for key in ("x", "W", "b", "s", "dout", "y"))
    return {
        "affine_forward": {"out": expected("layers: affine out", lambda ref: ref.affine_forward(x, W, b)[0])},
        "relu_forward": {"out": expected("layers: relu out", lambda ref: ref.relu_forward(s)[0])},
        "softmax_loss": expected("layers: softmax", lambda ref: dict(zip(("loss", "dscores"), ref.softmax_loss(s, y)))),
        "affine_backward": expected("layers: affine grads", lambda ref: dict(zip(
            ("dx", "dW", "db"), ref.affine_backward(dout, ref.affine_forward(x, W, b)[1])))),
        "relu_backward": {"dx": expected("layers: relu dx", lambda ref: ref.relu_backward(dout, ref.relu_forward(s)[1]))}}


def layer_outputs(layer, env):
    """What the student's layer returns on LAYER_INPUTS, as a dict label -> value (a backward uses its forward's cache)."""
    x, W, b, s, dout, y = (LAYER_INPUTS[key] for key in ("x", "W", "b", "s", "dout", "y"))
    if layer == "affine_forward":
        return {"out": unpack(call(env.get(layer), layer, x, W, b), layer, ("out", "cache"))[0]}
    if layer == "relu_forward":
        return {"out": unpack(call(env.get(layer), layer, s), layer, ("out", "cache"))[0]}
    if layer == "softmax_loss":
        return dict(zip(("loss", "dscores"), unpack(call(env.get(layer), layer, s, y), layer, ("loss", "dscores"))))
    if layer == "affine_backward":
        _, cache = unpack(call(env.get("affine_forward"), "affine_forward", x, W, b), "affine_forward", ("out", "cache"))
        return dict(zip(("dx", "dW", "db"), unpack(call(env.get(layer), layer, dout, cache), layer, ("dx", "dW", "db"))))
    _, cache = unpack(call(env.get("relu_forward"), "relu_forward", s), "relu_forward", ("out", "cache"))
    return {"dx": call(env.get(layer), layer, dout, cache)}


def wrong_layer(env, values):
    """
    A message naming the first of the student's own layers that two_layer_net_loss uses and that is wrong on a
    small batch; None when all are right.

    A layer the grader has replaced by a trusted one (make grade) is never blamed.
    """
    for layer in LAYERS:
        if getattr(env.get(layer), "trusted_stand_in", False) or not uses(env, name, layer):
            continue
        try:
            outputs = layer_outputs(layer, env)
            for label, value in values[layer].items():
                assert_close(layer, label, outputs[label], value)
        except AssertionError as failure:
            return root_cause(name, layer, failure)
    return None


def blaming_layers(check, env):
    """Run a check; if it fails while one of the layers is wrong, the message names that layer as the cause."""
    values = layer_values()
    try:
        check()
    except AssertionError as failure:
        culprit = wrong_layer(env, values)
        if culprit is None:
            raise
        raise AssertionError(culprit) from None


def gradients(value):
    """Check a (loss, grads) result's structure and return it."""
    loss, grads = unpack(value, name, ("loss", "grads"))
    if not isinstance(grads, dict) or set(grads) != set(KEYS):
        keys = sorted(grads) if isinstance(grads, dict) else None
        raise AssertionError(f"{name}: grads should be a dict with keys W1, b1, W2, b2; got "
                             + (f"keys {keys}." if keys is not None else "a non-dict."))
    return loss, grads


def check_scores(scores, scores_expected, reveal):
    """The scores returned with y=None."""
    try:
        assert_close(name, "scores (y=None)", scores, scores_expected, reveal=reveal)
    except AssertionError as failure:
        rows = np.asarray(scores, dtype=float) if np.shape(scores) == np.shape(scores_expected) else None
        if rows is not None and np.allclose(rows.sum(axis=1), 1) and rows.min() >= 0:
            raise AssertionError(f"{failure} Hint: with y=None return the raw scores S, not probabilities.") from None
        raise


def check_gradients(params, grads, grads_expected, reg, label, reveal):
    """Each gradient, last layer first, with hints for the usual slips."""
    for key in KEYS:
        slips = [("biases are not regularized", np.add(grads_expected[key], reg * params[key]))]
        if key.startswith("W"):
            slips = [("the penalty's gradient is reg * W (the 1/2 cancels the square's 2)", grads_expected[key] + reg * params[key]),
                     ("the penalty's gradient reg * W is missing", grads_expected[key] - reg * params[key]),
                     ("the penalty's gradient is + reg * W", grads_expected[key] - 2 * reg * params[key])]
        try:
            assert_close(name, f"grads['{key}']{label}", grads[key], grads_expected[key], tol=1e-7, reveal=reveal, slips=slips)
        except AssertionError as failure:
            if key in ("b1", "W1") and "Hint" not in str(failure):
                raise AssertionError(f"{failure} grads['W2'] and grads['b2'] are right, so look between them and the "
                                     "first layer: the ReLU's backward step, or the first affine backward.") from None
            raise


def check_values(two_layer_net_loss, params, X, y, reg, label, reveal, copy_inputs=True):
    """Scores, loss and gradients against the reference's, on one batch."""
    scores_expected = expected(f"{label}: scores", lambda ref: ref.two_layer_net_loss(params, X))
    loss_expected = expected(f"{label}: loss", lambda ref: ref.two_layer_net_loss(params, X, y, reg)[0])
    grads_expected = expected(f"{label}: grads", lambda ref: ref.two_layer_net_loss(params, X, y, reg)[1])
    check_scores(call(two_layer_net_loss, name, params, X, copy_inputs=copy_inputs), scores_expected, reveal)
    loss, grads = gradients(call(two_layer_net_loss, name, params, X, y, reg=reg, copy_inputs=copy_inputs))
    penalty = 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    assert_close(name, "loss", loss, loss_expected, reveal=reveal, slips=[
        ("the penalty is reg / 2 * (sum of squares), not reg * (...)", loss_expected + penalty),
        ("the L2 penalty is missing from the loss", loss_expected - penalty)])
    check_gradients(params, grads, grads_expected, reg, "", reveal)
    return grads


def check_batches(two_layer_net_loss, sizes, first_seed, reveal):
    """Scores, loss and gradients on a random batch of each size (N, D, H, C, reg)."""
    for seed, (N, D, H, C, reg) in enumerate(sizes, start=first_seed):
        params, X, y = random_params(seed, D, H, C), random_array(seed + 1, (N, D)), random_labels(seed, N, C, 1)
        check_values(two_layer_net_loss, params, X, y, reg, seed, reveal)


def check_gradient(two_layer_net_loss, sizes, first_seed, reveal):
    """Every gradient agrees with centered differences of the loss, on a random batch of each size."""
    for seed, (N, D, H, C, reg) in enumerate(sizes, start=first_seed):
        params, X, y = random_params(seed, D, H, C), random_array(seed + 1, (N, D)), random_labels(seed, N, C, 1)
        numeric = expected(f"{seed}: numerical grads", lambda ref: {key: ref.numerical_gradient(
            lambda: ref.two_layer_net_loss(params, X, y, reg)[0], params[key]) for key in KEYS})
        _, grads = gradients(call(two_layer_net_loss, name, params, X, y, reg=reg))
        check_gradients(params, grads, numeric, reg, f" (reg={reg})", reveal)


def check_untouched(two_layer_net_loss, seed, reveal):
    """With correct values: params, X and y unchanged (no update step inside), and new arrays returned."""
    params, X, y = random_params(seed, 4, 5, 3), random_array(seed + 1, (6, 4)), random_labels(seed, 6, 3, 1)
    before = snapshot((params, X, y))
    grads = check_values(two_layer_net_loss, params, X, y, 0.2, seed, reveal=reveal, copy_inputs=False)
    assert_inputs_unchanged(name, ("params", "X", "y"), before, (params, X, y))
    assert_no_alias(name, {"grads": grads}, {"params": params, "X": X})


@test_case(name="two_layer_net_loss: worked example", points=2)
def worked_example(two_layer_net_loss, env):
    """The worked example with reg = 1: J = 1.4034 and the gradients of its table."""
    params = {"W1": np.array([[0.3, 0.2, 0.1], [0.5, 0.7, 0.4]]), "b1": np.array([0.1, 0.2, 0.3]),
              "W2": np.array([[0.3, 0.2], [0.5, 0.7], [0.1, 0.8]]), "b2": np.array([0.3, 0.5])}
    X, y = np.array([[6.0, 3.0]]), np.array([1])
    grads_expected = {
        "W1": np.array([[0.369653353241397, 0.060693293517206, -0.387573472689778],
                        [0.534826676620698, 0.630346646758603, 0.156213263655111]]),
        "b1": np.array([0.011608892206899, -0.023217784413799, -0.081262245448296]),
        "W2": np.array([[0.694702335034582, -0.194702335034582], [0.906311227241482, 0.293688772758518],
                        [0.343786736344889, 0.556213263655111]]),
        "b2": np.array([0.116088922068995, -0.116088922068995])}

    def check():
        check_scores(call(two_layer_net_loss, name, params, X), [[3.28, 5.31]], reveal=True)
        loss, grads = gradients(call(two_layer_net_loss, name, params, X, y, reg=1.0))
        assert_close(name, "loss", loss, 1.4033988119798508, tol=1e-9, slips=[
            ("the penalty is reg / 2 * (sum of squares), not reg * (...)", 2.6833988119798508),
            ("the L2 penalty is missing from the loss", 0.12339881197985085)])
        check_gradients(params, grads, grads_expected, 1.0, "", reveal=True)

    blaming_layers(check, env)


@test_case(name="two_layer_net_loss: random batches", points=3)
def random_batches(two_layer_net_loss, env):
    """Scores, loss and gradients on random batches (N >= 4, hidden units of both signs), reg 0 and > 0."""
    sizes = [(5, 4, 6, 3, 0.0), (6, 3, 5, 4, 0.5), (4, 5, 3, 6, 0.1)]
    blaming_layers(lambda: check_batches(two_layer_net_loss, sizes, 0, reveal=True), env)


@test_case(name="two_layer_net_loss: gradient check", points=2)
def gradient_check(two_layer_net_loss, env):
    """Every gradient agrees with centered differences of the loss, for reg = 0 and reg > 0."""
    sizes = [(5, 4, 6, 3, 0.0), (4, 3, 5, 4, 0.7)]
    blaming_layers(lambda: check_gradient(two_layer_net_loss, sizes, 10, reveal=True), env)


@test_case(name="two_layer_net_loss: leaves its inputs alone", points=1)
def inputs_untouched(two_layer_net_loss, env):
    """Correct values, with params, X and y unchanged (no update step inside) and new arrays returned."""
    blaming_layers(lambda: check_untouched(two_layer_net_loss, 20, reveal=True), env)
