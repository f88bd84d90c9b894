"""Checks that turn a wrong answer into a message a student can act on.

Shared by the public and the hidden tests, and shipped to students next to
their notebook: nothing here knows a solution or an expected value. Every
check raises AssertionError with a message that names the function, the
output, and what is wrong with it; the caller decides whether the message may
reveal expected values (public tests) or not (hidden tests).
"""

import copy

import numpy as np

USES_EXP = ("softmax_loss", "two_layer_net_loss")  # where a non-finite value most likely comes from np.exp


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
            f"{name} is not defined: run the cell that defines it, and keep its name.")
    if not callable(func):
        raise AssertionError(f"{name} should be a function; it is {describe(func)}.")
    if copy_inputs:
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise AssertionError(
            f"{name} is not implemented yet: replace the TODO in its cell "
            "(it raised NotImplementedError).") from None
    except Exception as exc:  # the student's code crashed: say how
        raise AssertionError(f"{name} raised {type(exc).__name__}: {exc}") from None


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
    if shape is not None:
        assert_shape(name, label, value, shape)
    if not np.all(np.isfinite(value)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(value))[0])
        where = f" at index {bad}" if bad else ""
        hint = ("Large scores overflow np.exp: subtract each row's maximum first." if name in USES_EXP
                else "Look for a division by zero, or a value that grows without bound.")
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
    return np.abs(actual - expected) / np.maximum(1e-8, np.abs(actual) + np.abs(expected))


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
                    "their inputs: compute into a new array (e.g. x.copy() or np.maximum).")


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
