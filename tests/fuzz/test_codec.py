"""Fuzz backprop.sandbox.codec and mirrors: any value crosses equal or is refused; any tree decodes or is a
ProtocolError.

What the codec documents: encoding a value that cannot cross raises ValueError (too deep, too many items, its
own methods fail; RecursionError is caught alongside it by the channel), and JSON refuses integers of more
than 4300 digits with ValueError too; decoding trusts nothing, and anything malformed raises ProtocolError.
"""

import json
import types

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop.sandbox.arrays import DTYPES
from backprop.sandbox.codec import Codec, Handle
from backprop.sandbox.errors import ProtocolError
from backprop.sandbox.mirrors import Mirrors

from .strategies import (KNOWN_TOKENS, ODD_SHAPES, dtype_names, examples, json_values, numbers, prelude_namespace,
                         tokens, trees, value_sources)

pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")  # values.py's views
REFUSED = (ValueError, RecursionError)  # what Channel._serve_one reports as "the result cannot be returned"
NAMESPACE = prelude_namespace()


class Stub:
    """What a side makes of the other side's callable."""

    def __init__(self, token, name):
        self.token, self.name = token, name


def sides(sandbox_sends):
    """
    The codecs of the two sides: the sandbox's (parity 1) shares containers by token, as in Channel.

    Returns:
    - (sender, receiver).
    """
    trusted, sandbox = (Codec(Mirrors(parity), Stub, None, share_containers=parity == 1) for parity in (0, 1))
    return (sandbox, trusted) if sandbox_sends else (trusted, sandbox)


def cross(source, sandbox_sends):
    """
    Build the value source describes and send it to the other side, as Channel does.

    Returns:
    - a namespace (value, received, sender, receiver), or None when encoding refused the value.
    """
    value = eval(source, dict(NAMESPACE))
    sender, receiver = sides(sandbox_sends)
    buffers = []
    try:
        tree = through_json(sender.encode(value, buffers))
    except REFUSED:
        return None
    return types.SimpleNamespace(value=value, received=receiver.decode(tree, buffers), sender=sender,
                                 receiver=receiver)


def through_json(tree):
    """A tree as Channel sends it: JSON text (NaN allowed), parsed back on the other side."""
    return json.loads(json.dumps({"values": tree}, allow_nan=True).encode())["values"]


def data_array(value):
    """The ndarray the codec sends for an array or NumPy scalar of an allowed dtype, else None."""
    if isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.str in DTYPES:
        return np.asarray(value)
    return None


def assert_same(sent, got):
    """
    Check that a decoded value is what was sent: equal data (NaN, -0.0 and dtypes included) or a handle.

    Types are read with type(), never isinstance: a value may lie about its __class__.
    """
    kind = type(sent)
    if sent is None or kind in (bool, int):
        assert got == sent and type(got) is kind
    elif kind is float:
        assert type(got) is float and (got == sent or got != got and sent != sent)
        assert np.signbit(got) == np.signbit(sent)
    elif issubclass(kind, str):  # JSON joins an escaped surrogate pair ("\ud800\udc00") into one character
        assert type(got) is str and got == str(sent).encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    elif kind is complex:
        assert type(got) is complex and np.array_equal(np.array([got]), np.array([sent]), equal_nan=True)
    elif data_array(sent) is not None and issubclass(kind, (np.ndarray, np.generic)):
        expected = data_array(sent)
        assert isinstance(got, np.ndarray if issubclass(kind, np.ndarray) else np.generic)
        assert got.dtype.str == expected.dtype.str and got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()
    elif issubclass(kind, (tuple, list)):
        assert isinstance(got, tuple if issubclass(kind, tuple) else list) and len(got) == len(sent)
        for item, back in zip(sent, got):
            assert_same(item, back)
    elif issubclass(kind, dict) and all(type(key) in (str, int, float, bool) or key is None for key in sent):
        assert isinstance(got, dict)
        assert len(got) == len(sent)
        for (key, item), (back_key, back) in zip(sent.items(), got.items()):
            assert_same(key, back_key)
            assert_same(item, back)
    elif callable(sent):
        assert isinstance(got, Stub)
    else:
        assert isinstance(got, Handle) and type(got).__name__


def array_pairs(sent, got, depth=0):
    """The (sent array, decoded array) pairs of a value that crossed, in the traversal of assert_same."""
    kind = type(sent)
    if depth > 40:
        return []
    if issubclass(kind, np.ndarray) and data_array(sent) is not None:
        return [(sent, got)]
    if issubclass(kind, (tuple, list)):
        return [pair for item, back in zip(sent, got) for pair in array_pairs(item, back, depth + 1)]
    if issubclass(kind, dict) and isinstance(got, dict):
        return [pair for item, back in zip(sent.values(), got.values()) for pair in array_pairs(item, back, depth + 1)]
    return []


@settings(max_examples=examples(1.0))
@example(source="['\\ud800\\udc00', '\\udcff\\ud800']", sandbox_sends=True)
@given(source=value_sources(), sandbox_sends=st.booleans())
def test_values_cross_equal_or_are_refused(source, sandbox_sends):
    """Does any value (odd dtypes and strides, deep, cyclic, shared, lying objects) either come out of the other side
    equal (data) or as a handle, or get refused with ValueError or RecursionError when encoded?"""
    crossed = cross(source, sandbox_sends)
    if crossed is not None:
        assert_same(crossed.value, crossed.received)


@settings(max_examples=examples(1.0))
@given(source=value_sources(), sandbox_sends=st.booleans(), fill=st.integers(0, 255), reshape=st.booleans())
def test_arrays_changed_in_place_on_the_other_side_change_here(source, sandbox_sends, fill, reshape):
    """After the receiver changes the arrays it got (fills them, or reshapes them in place), does syncing the mirrors
    back raise nothing and give the sender's own writable arrays the same bytes?"""
    crossed = cross(source, sandbox_sends)
    if crossed is None:
        return
    pairs = array_pairs(crossed.value, crossed.received)
    for _, array in pairs:
        array[...] = np.frombuffer(bytes([fill]) * array.itemsize, dtype=array.dtype)[0]
        if reshape and array.flags.c_contiguous and array.ndim != 1:
            array.shape = (-1,)
    buffers = []
    changes = through_json(crossed.receiver.mirrors.changes(buffers))
    crossed.sender.mirrors.apply(changes, buffers)
    originals = [original for original, _ in pairs]
    for original, copy in pairs:
        alone = not any(other is not original and np.may_share_memory(original, other) for other in originals)
        if alone and original.flags.writeable and copy.shape == original.shape:
            assert np.asarray(original).tobytes() == copy.tobytes()


# -- hostile trees ------------------------------------------------------------------------------------------------
def receiver(parity):
    """A codec that already shares objects of both parities: arrays, a list, a handle, a function."""
    codec = Codec(Mirrors(parity), Stub, None, share_containers=parity == 1)
    objects = [np.arange(12.0).reshape(3, 4), np.arange(6, dtype="<i2")[::-1], [1, 2], Handle(), len,
               np.zeros((0, 3)), np.array(1.5), (1, 2), {"a": 1}, np.ones(4, dtype="<c8")]
    for token, obj in zip(KNOWN_TOKENS, objects):
        codec.mirrors.add(obj, token)
    codec.mirrors.next_token = 100 + parity
    return codec


@st.composite
def messages(draw):
    """(tree, buffers) of one message."""
    buffers = draw(st.lists(st.binary(max_size=64), max_size=3))
    return draw(trees(buffers)), buffers


@settings(max_examples=examples(1.0))
@given(message=messages(), parity=st.sampled_from([0, 1]))
def test_any_tree_decodes_or_is_a_protocol_error(message, parity):
    """Does a value tree of any shape, types, tokens, dtypes, shapes, offsets and strides decode, or raise ProtocolError
    and nothing else?"""
    tree, buffers = message
    try:
        receiver(parity).decode(through_json(tree), buffers)
    except ProtocolError:
        pass


@st.composite
def changes(draw):
    """(changes, buffers): the in-place changes a side reports, well-formed or not."""
    buffers = draw(st.lists(st.binary(max_size=64), max_size=3))
    items = []
    for _ in range(draw(st.integers(0, 4))):
        token, dtype = draw(tokens), draw(dtype_names)
        shape = draw(st.one_of(st.lists(st.integers(0, 12), max_size=3), st.lists(numbers, max_size=4), numbers,
                               st.sampled_from(ODD_SHAPES)))
        change = {"token": token, "dtype": dtype, "shape": shape, "buf": draw(numbers)}
        if dtype in DTYPES and isinstance(shape, list) and all(type(n) is int for n in shape) and draw(st.booleans()):
            size = int(np.prod([n if 0 <= n <= 12 else 0 for n in shape] or [1])) * np.dtype(dtype).itemsize
            buffers.append(draw(st.binary(min_size=size, max_size=size)))
            change["buf"] = len(buffers) - 1
        items.append(draw(st.one_of(st.just(change), json_values)) if draw(st.integers(0, 5)) == 0 else change)
    return draw(st.one_of(st.just(items), json_values)) if draw(st.integers(0, 9)) == 0 else items, buffers


@settings(max_examples=examples(1.0))
@given(message=changes(), parity=st.sampled_from([0, 1]))
def test_any_changes_apply_or_are_a_protocol_error(message, parity):
    """Do reported in-place changes of any form (wrong tokens, dtypes, shapes, sizes, a reshape) apply, or raise
    ProtocolError and nothing else?"""
    items, buffers = message
    try:
        receiver(parity).mirrors.apply(through_json(items), buffers)
    except ProtocolError:
        pass
