"""What student code may pass to a trusted function it calls back: plain numbers and arrays, bounded.

The trusted side computes for the sandbox when student code calls a function
the grader handed it (a reference layer standing in for a wrong one, a test's
f in a gradient check). Whatever arrives is first made plain: arrays become
float64 (integer ones int64, for labels; booleans stay), lists of numbers
become such arrays, numbers become bounded numbers; tuples, lists and dicts
keep their structure. So no object array (from an integer above int64, say)
and no subclass with its own arithmetic ever reaches NumPy on the trusted
side, and the work done there is bounded by the size of the arguments.
Anything else is refused with a sentence the student can act on.
"""

import numbers

import numpy as np

from .codec import Handle

MAX_ELEMENTS = 1 << 19  # 4 MB of float64 over all the arguments of one call
MAX_DEPTH = 16
MAX_TEXT = 1000
INT64 = np.iinfo(np.int64)
PLAIN_NUMBERS = (int, float, bool)  # checked by type first: an ABC check per number is slow


class Refused(TypeError):
    """An argument a trusted function does not take from student code."""


def bounded_arguments(args, kwargs, name):
    """
    The arguments of a call from the sandbox to a trusted function, made plain and bounded.

    Inputs:
    - args: a list of positional arguments; kwargs: a dict of keyword arguments (both as decoded).
    - name: the trusted function's name, for messages.

    Returns:
    - (args, kwargs): arrays float64, int64 or bool; numbers int (within int64), float or bool; tuples,
      lists and dicts of them; None, short strings, and callables of either side as they were.
      Raises Refused (a TypeError, which student code sees) for anything else, or past MAX_ELEMENTS.
    """
    budget = [MAX_ELEMENTS]
    where = f"the grader's {name}"
    return ([_plain(value, budget, where, 0) for value in args],
            {key: _plain(value, budget, where, 0) for key, value in kwargs.items()})


def _plain(value, budget, where, depth):
    if depth > MAX_DEPTH:
        raise Refused(f"{where} takes arguments nested at most {MAX_DEPTH} deep")
    if value is None or isinstance(value, bool) or (callable(value) and not isinstance(value, (np.ndarray, Handle))):
        return value
    if isinstance(value, Handle):
        raise Refused(f"{where} takes numbers, arrays and tuples, lists or dicts of them, not a "
                      f"{type(value).__name__} object")
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise Refused(f"{where} takes no text longer than {MAX_TEXT} characters")
        return value
    if isinstance(value, (np.ndarray, np.generic)) or _numeric_list(value):
        return _array(value, budget, where)
    if isinstance(value, numbers.Number):
        return _number(value, where)
    if isinstance(value, (tuple, list)):
        items = [_plain(item, budget, where, depth + 1) for item in value]
        return type(value)(items) if isinstance(value, list) else _same_tuple(value, items)
    if isinstance(value, dict):
        for key in list(value):  # a dict decoded for this call alone: changed in place, so changes to it show
            value[key] = _plain(value[key], budget, where, depth + 1)
        return value
    raise Refused(f"{where} takes numbers, arrays and tuples, lists or dicts of them, not {type(value).__name__}")


def _same_tuple(model, items):
    """A tuple of the model's own type (a namedtuple stays one) holding items."""
    try:
        return type(model)(items) if not hasattr(model, "_fields") else type(model)(*items)
    except TypeError:
        return tuple(items)


def _numeric_list(value):
    """Whether value is a non-empty list (of lists) of plain numbers."""
    if type(value) is not list or not value:
        return False
    stack = [value]
    while stack:
        for item in stack.pop():
            kind = type(item)
            if kind is list:
                stack.append(item)
            elif kind not in PLAIN_NUMBERS and (not isinstance(item, numbers.Real) or isinstance(item, Handle)):
                return False
    return True


def _number(value, where):
    """A number as int (within int64), float or bool; complex and unbounded ones are refused."""
    if isinstance(value, numbers.Integral):
        integer = int(value)
        if INT64.min <= integer <= INT64.max:
            return integer
        try:
            return float(integer)
        except OverflowError:
            raise Refused(f"{where} takes no integer as large as {str(integer)[:20]}...") from None
    if isinstance(value, numbers.Real):
        return float(value)
    raise Refused(f"{where} takes real numbers, not {type(value).__name__}")


def _array(value, budget, where):
    """An array as float64, int64 or bool (a list of numbers included), counted against the budget."""
    try:
        array = np.asarray(value)
        if array.dtype == object:  # a list holding integers beyond int64
            array = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError, OverflowError) as error:
        raise Refused(f"{where} takes rectangular arrays of real numbers ({error})") from None
    budget[0] -= array.size
    if budget[0] < 0:
        raise Refused(f"{where} takes at most {MAX_ELEMENTS} numbers per call, in all its arguments")
    kind = array.dtype.kind
    if kind == "b":
        plain = array.astype(np.bool_, copy=False)
    elif kind == "i" or (kind == "u" and (array.size == 0 or array.max() <= INT64.max)):
        plain = array.astype(np.int64, copy=False)
    elif kind in "uf":
        plain = array.astype(np.float64, copy=False)
    else:
        raise Refused(f"{where} takes arrays of real numbers, not of dtype {array.dtype}")
    return plain[()] if isinstance(value, np.generic) else plain
