"""Checks that turn a wrong answer into a message a student can act on.

Shared by the public and the hidden tests, and shipped to students next to
their notebook: nothing here knows a solution or an expected value. Every
check raises AssertionError with a message that names the function, the
output, and what is wrong with it; the caller decides whether the message may
reveal expected values (public tests) or not (hidden tests).
"""

import copy
import numbers
import re

import numpy as np

NONFINITE_HINTS = {}  # function name -> what a non-finite output of it usually means (set by its tests: explain_nonfinite)
CRASH_HINTS = (  # (words of the exception's message, what it usually means)
    ("truth value of an array", "an array was used as a condition: compare with None using `is None`, "
                                "or use .any() or .all()."),
    ("mismatch in its core dimension", "the shapes do not fit a matrix product (N, D) @ (D, M): check which "
                                       "operand needs a transpose (batches are in rows)."),
    ("could not be broadcast together", "the shapes do not fit together: print them, and check which axis "
                                        "a sum or a max should keep (keepdims=True)."),
)
STUB = re.compile(r"^(\w+): replace this line with your code")  # the skeleton's raise, naming its function


def describe(value):
    """
    Describe a value in a few words, for messages.

    Inputs:
    - value: anything a student's function might return.

    Returns:
    - text: e.g. "an ndarray of shape (3, 2) and dtype float64", "None".
    """
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


def call(func, name, *args, copy_inputs=True, **kwargs):
    """
    Call a student's function and turn a crash into a message that names it.

    Inputs:
    - func: the student's function (None when the notebook did not define it).
    - name: the function's name, for messages.
    - args, kwargs: its arguments.
    - copy_inputs: pass deep copies, so that a function that modifies its
      inputs cannot corrupt the test's own arrays (a separate check catches
      the modification itself).

    Returns:
    - whatever the function returns.
    """
    if func is None:
        raise AssertionError(
            f"{name} is not defined: run the cell that defines it (if it shows an error, fix that first), "
            "and keep its name.")
    if not callable(func):
        raise AssertionError(f"{name} should be a function; it is {describe(func)}.")
    if copy_inputs:
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        return func(*args, **kwargs)
    except NotImplementedError as exc:
        raise AssertionError(not_implemented(name, exc)) from None
    except NameError as exc:
        raise AssertionError(f"{name} raised NameError: {exc}. Check the spelling; if you defined it in a cell the "
                             "grader does not run (the gradient-check, training or plotting cells, or a grader.check "
                             f"cell), move it into the cell of the function that uses it.") from None
    except Exception as exc:  # the student's code crashed: say how, and what such a crash usually means
        hint = next((f" Hint: {text}" for pattern, text in CRASH_HINTS if pattern in str(exc)), "")
        raise AssertionError(f"{name} raised {type(exc).__name__}: {exc}.{hint}".replace("..", ".")) from None


def explain_nonfinite(name, hint):
    """
    Say what a non-finite output of a function usually means, in every later check of its outputs.

    Inputs:
    - name: the function's name; hint: a sentence, e.g. "Large scores overflow np.exp: subtract each row's maximum
      first."
    """
    NONFINITE_HINTS[name] = hint


def answered(name, value, kinds=None):
    """
    Check that a value question was answered, and with a value of the right kind.

    Inputs:
    - name: the question's name (the variable the student sets).
    - value: what the notebook holds under that name (None when it is not set).
    - kinds: a type or tuple of types the answer must be (e.g. (int, float)), or None for any.

    Returns:
    - value.
    """
    if value is None:
        raise AssertionError(f"{name} is not answered yet: in its cell, replace None with your answer, and run the cell.")
    if isinstance(getattr(value, "unusable", None), str):  # the grader's stand-in for a value too large to cross
        raise AssertionError(value.unusable)
    if callable(value):
        raise AssertionError(f"{name} should be a value you set; it is a function.")
    kinds = kinds if isinstance(kinds, tuple) or kinds is None else (kinds,)
    if kinds is not None and not _is_kind(value, kinds):
        wanted = " or ".join(kind.__name__ for kind in kinds)
        raise AssertionError(f"{name} should be of type {wanted}; it is {describe(value)}.")
    return value


def answered_choice(name, value, choices):
    """
    Check that a multiple-choice question was answered with one of its letters.

    Inputs:
    - name: the question's name; value: the student's answer; choices: the letters, e.g. ("a", "b", "c").

    Returns:
    - the letter, in lower case ("(b)", " B " and "b" all read as "b").
    """
    letter = answered(name, value, str).strip().strip("()").strip().lower()
    if letter not in choices:
        raise AssertionError(f"{name} should be one of {', '.join(map(repr, choices))}; it is {value!r}.")
    return letter


def _is_kind(value, kinds):
    """Whether a value is one of the kinds: int and float take NumPy's numbers too, but never a bool."""
    if isinstance(value, (bool, np.bool_)):
        return bool in kinds
    numeric = {int: numbers.Integral, float: numbers.Real}
    return any(isinstance(value, numeric.get(kind, kind)) for kind in kinds)


def not_implemented(name, exc):
    """
    The message for a NotImplementedError, naming the function that is still a stub.

    Inputs:
    - name: the function the check called; exc: the NotImplementedError.

    Returns:
    - the message: the stub's own function when another one raised it (name calls it).
    """
    stub = STUB.match(str(exc))
    if stub and stub.group(1) != name:
        return (f"{stub.group(1)} is not implemented yet ({name} calls it): in the cell of {stub.group(1)}, "
                "replace the TODO and the `raise NotImplementedError` line with your code.")
    return (f"{name} is not implemented yet: in its cell, replace the TODO and the `raise NotImplementedError` "
            "line with your code.")


def unpack(value, name, labels):
    """
    Check that a function returned a tuple with one item per label.

    Inputs:
    - value: what the function returned.
    - name: the function's name.
    - labels: the names of the items, e.g. ("out", "cache").

    Returns:
    - value, as a tuple.
    """
    wanted = f"a tuple ({', '.join(labels)})"
    if value is None:
        raise AssertionError(
            f"{name} returned None; it should return {wanted}. Is a return statement missing?")
    if not isinstance(value, tuple) or len(value) != len(labels):
        raise AssertionError(f"{name} should return {wanted}; it returned {describe(value)}.")
    return value


def as_float_array(name, label, value, shape=None):
    """
    Check that an output is a finite float64 array, optionally of a given shape.

    Inputs:
    - name: the function's name; label: the output's name.
    - value: the output.
    - shape: a tuple of ints, or None to skip the shape check.

    Returns:
    - value as an ndarray (a Python or NumPy float is accepted for shape ()).
    """
    if isinstance(value, (float, np.floating)) and not isinstance(value, np.ndarray):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        raise AssertionError(f"{name}: {label} should be a NumPy array; it is {describe(value)}.")
    if value.dtype != np.float64:
        raise AssertionError(
            f"{name}: {label} has dtype {value.dtype}; expected float64. "
            "Integer or float32 arithmetic loses the precision the checks need.")
    if shape == () and value.shape in ((1,), (1, 1)):
        raise AssertionError(f"{name}: {label} is an array of shape {value.shape}; it should be a single number. "
                             f"Return a float: e.g. {label}.item(), or sum without keepdims.")
    if shape is not None:
        assert_shape(name, label, value, shape)
    if not np.all(np.isfinite(value)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
        where = f" at index {bad}" if bad else ""
        hint = NONFINITE_HINTS.get(name, "Look for a division by zero, or a value that grows without bound.")
        raise AssertionError(f"{name}: {label} contains a non-finite value ({value[bad]}){where}. {hint}")
    return value


def assert_shape(name, label, value, shape, letters=None):
    """
    Check an output's shape; the message names expected and actual shape.

    Inputs:
    - name: the function's name; label: the output's name.
    - value: the output (anything with a .shape, else it fails).
    - shape: the expected shape, a tuple of ints.
    - letters: the shape in the fixed letters, e.g. "(N, M)", for the message.
    """
    actual = getattr(value, "shape", None)
    if actual is None:
        raise AssertionError(f"{name}: {label} should be an array; it is {describe(value)}.")
    if tuple(actual) != tuple(shape):
        expected = f"{letters} = {tuple(shape)}" if letters else f"{tuple(shape)}"
        hint = ""
        if len(actual) == len(shape) == 2 and tuple(actual) == tuple(shape)[::-1]:
            hint = " It is transposed: batches are in rows."
        raise AssertionError(
            f"{name}: {label} has shape {tuple(actual)}; expected {expected}.{hint}")


def relative_error(actual, expected):
    """
    Elementwise relative error, CS231n style: |a - e| / max(1e-8, |a| + |e|).

    Inputs:
    - actual, expected: arrays of the same shape.

    Returns:
    - errors: an array of that shape.
    """
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    with np.errstate(invalid="ignore", over="ignore"):  # inf against inf: no match, not a warning
        errors = np.abs(actual - expected) / np.maximum(1e-8, np.abs(actual) + np.abs(expected))
    return np.where(np.isnan(errors), np.inf, errors)


def assert_close(name, label, actual, expected, tol=1e-7, reveal=True, slips=()):
    """
    Check an output against its expected value by worst relative error.

    Inputs:
    - name: the function's name; label: the output's name.
    - actual: what the student's function returned.
    - expected: the expected array (or float).
    - tol: the largest relative error accepted.
    - reveal: whether the message may show the expected value (public tests).
    - slips: (hint, value) pairs; if actual matches a value, the message says
      the hint, e.g. ("the loss is summed over N, not averaged", loss * N).
    """
    expected = np.asarray(expected, dtype=float)
    actual = as_float_array(name, label, actual, expected.shape)
    errors = relative_error(actual, expected)
    if errors.size == 0 or errors.max() <= tol:
        return
    where = np.unravel_index(int(np.argmax(errors)), errors.shape)
    at = f" at index {tuple(int(i) for i in where)}" if errors.ndim else ""
    message = f"{name}: {label} is wrong (worst relative error {errors.max():.1e}{at}"
    if reveal:
        message += f": expected {expected[where]:.6g}, got {actual[where]:.6g}"
    message += f"; accepted up to {tol:.0e})."
    for hint, value in slips:
        if np.shape(value) == actual.shape and relative_error(actual, value).max() <= tol:
            message += f" Hint: {hint}."
            break
    raise AssertionError(message)


def snapshot(values):
    """
    Deep-copy a call's arguments, to compare them after the call.

    Inputs:
    - values: a tuple of arguments (arrays, dicts of arrays, numbers).

    Returns:
    - a deep copy.
    """
    return copy.deepcopy(values)


def _arrays(value, label):
    """Yield (label, array) for every array inside value (dicts are walked)."""
    if isinstance(value, np.ndarray):
        yield label, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _arrays(item, f"{label}[{key!r}]")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _arrays(item, f"{label}[{index}]")


def assert_inputs_unchanged(name, labels, before, after):
    """
    Check that a call left its inputs as they were.

    Inputs:
    - name: the function's name.
    - labels: the arguments' names.
    - before: snapshot of the arguments taken before the call.
    - after: the same arguments after the call.
    """
    for label, old, new in zip(labels, before, after):
        for (path, old_array), (_, new_array) in zip(_arrays(old, label), _arrays(new, label)):
            if not np.array_equal(old_array, new_array, equal_nan=True):
                raise AssertionError(
                    f"{name} modified its input {path} in place. Functions must not change "
                    "their inputs: compute into a new array (e.g. x.copy() or np.maximum)"
                    + (", and put results into a new dict (grads = {...}), not into one you were given."
                       if "[" in path else "."))


def assert_no_alias(name, outputs, inputs):
    """
    Check that no returned array shares memory with an input array.

    Inputs:
    - name: the function's name.
    - outputs: dict of output label -> returned value.
    - inputs: dict of input label -> argument.
    """
    for out_label, out_value in outputs.items():
        for out_path, out_array in _arrays(out_value, out_label):
            for in_label, in_value in inputs.items():
                for in_path, in_array in _arrays(in_value, in_label):
                    if np.shares_memory(out_array, in_array):
                        raise AssertionError(
                            f"{name}: the returned {out_path} shares memory with the input "
                            f"{in_path}. Return a new array, so that changing one cannot "
                            "silently change the other.")


def random_array(seed, shape, scale=1.0, margin=0.0):
    """
    A reproducible float64 array of standard normals, optionally kept away from 0.

    Inputs:
    - seed: an int; the same seed gives the same array on every machine.
    - shape: a tuple of ints.
    - scale: the standard deviation.
    - margin: entries are pushed to at least this magnitude, so that a kink at 0
      is never closer than that (a centered difference then stays on one side).

    Returns:
    - an ndarray of that shape.
    """
    values = scale * np.random.default_rng(seed).standard_normal(shape)
    small = np.abs(values) < margin
    values[small] = np.where(values[small] < 0, -margin, margin)
    return values


def random_arrays(seed, shapes, scale=1.0, margin=0.0):
    """
    Several reproducible arrays at once, e.g. a model's parameters.

    Inputs:
    - seed: an int; shapes: dict name -> shape; scale, margin: as for random_array.

    Returns:
    - a dict name -> ndarray, in the order of shapes.
    """
    return {key: random_array(seed * 100 + i, shape, scale, margin) for i, (key, shape) in enumerate(shapes.items())}


def random_labels(seed, N, C, missing=0):
    """
    Reproducible integer labels: with N > C - missing, some class repeats; the last `missing` classes never occur.

    Inputs:
    - seed: an int; N: the number of labels; C: the number of classes.
    - missing: how many classes get no example (a batch rarely holds every class).

    Returns:
    - y: an int64 array of shape (N,) with values in [0, C - missing).
    """
    rng = np.random.default_rng(seed)
    used = C - missing
    y = np.concatenate([np.arange(min(N, used)), rng.integers(0, used, size=max(0, N - used))])
    rng.shuffle(y)
    return y.astype(np.int64)


def _literal(value):
    """A value as plain lists, floats and dicts, the way it is written into a public test file."""
    if isinstance(value, dict):
        return {str(key): _literal(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_literal(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    return value


def _value(literal):
    """The value a public check compares with: lists become arrays (int or float), dicts stay dicts."""
    if isinstance(literal, dict):
        return {key: _value(item) for key, item in literal.items()}
    if isinstance(literal, list):
        return np.array(literal)
    return literal


class expected_values:
    """
    The expected values of checks: computed from the reference, or shipped with the public tests.

    In the autograder (and the master) `expected = expected_values()` computes
    each value from the reference solution at run time. `make assign` runs the
    public checks against the reference, records every value they ask for, and
    writes `expected = expected_values({...})` into the students' test files:
    the public checks then compare with those numbers, and no solution code is
    shipped. Inputs of public checks are fixed, so the numbers are what the
    reference gives on exactly those inputs.

    Inputs:
    - table: None (compute from the reference), or dict label -> shipped value.
    """

    def __init__(self, table=None):
        self.table = table
        self.recorded = None  # `make assign` sets it to {} to collect the values the checks ask for

    def __call__(self, label, compute):
        """
        One expected value.

        Inputs:
        - label: names the value, unique within a test file, e.g. "batch 1: out".
        - compute: a function of the reference module giving the value, e.g.
          lambda ref: ref.layer_forward(x, W, b)[0]; run only where there is a reference.

        Returns:
        - the value: arrays for arrays, dicts of arrays for dicts, floats for floats.
        """
        if self.table is not None:
            if label not in self.table:
                raise AssertionError(f"the public tests have no expected value for {label!r}: "
                                     "your copy of the tests folder is out of date")
            return _value(self.table[label])
        import reference  # only the autograder and the master have it

        value = compute(reference)
        if self.recorded is not None:
            literal = _literal(value)
            if self.recorded.get(label, literal) != literal:
                raise ValueError(f"two different expected values are labelled {label!r}: give them distinct labels")
            self.recorded[label] = literal
        return value


def show_messages_only():
    """
    Make otter's grader.check show a failed check's message alone, without the line of test code that raised it.

    otter prints "Error at line N in test ...:" and that line of the test file above every message: grader
    source that says nothing to a student, who is told what to fix by the message itself. Call it once,
    after `import otter`, in the notebook's set-up cell; it changes how messages are shown in that kernel only.
    """
    from otter.test_files.exception_test import ExceptionTestFile

    def message_only(self, excp, context=0):
        text = str(excp)
        return text if isinstance(excp, AssertionError) else f"{type(excp).__name__}: {text}"

    ExceptionTestFile._generate_error_message = message_only


def uses(env, user, dependency):
    """
    Whether the student's function calls another, directly or through one more of their functions, as far as its
    code shows (so a check never blames a function the checked one does not use).

    Inputs:
    - env: the notebook's names; user, dependency: function names.

    Returns:
    - a bool; True when user's code cannot be read (a grader's proxy: in make grade, no function is blamed anyway).
    """
    code = getattr(env.get(user), "__code__", None)
    if code is None:
        return True
    return dependency in code.co_names or any(
        dependency in getattr(getattr(env.get(name), "__code__", None), "co_names", ()) for name in code.co_names)


def root_cause(user, dependency, failure):
    """
    The message of a check that failed because a function it builds on is wrong: that function is the cause.

    Inputs:
    - user: the function checked (e.g. a composite); dependency: the wrong function it uses.
    - failure: the AssertionError that the dependency's own check of a small batch raised.

    Returns:
    - e.g. "g uses f, which is wrong on a small test batch (f: out is wrong). Fix f first (run its
      grader.check), then run this check again."
    """
    reason = str(failure).split(" (worst relative error")[0].rstrip(".")
    state = ("which is not implemented yet" if "not implemented yet" in reason else
             "which is not defined: run its cell (and fix any error it shows)" if "is not defined:" in reason else
             f"which is wrong on a small test batch ({reason})")
    return f"{user} uses {dependency}, {state}. Fix {dependency} first (run its grader.check), then run this check again."
