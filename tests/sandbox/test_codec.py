"""Tests for backprop.sandbox.codec: what crosses the boundary, and how hostile input is refused."""

import numpy as np
import pytest

from backprop.sandbox.codec import Codec, Handle
from backprop.sandbox.errors import ProtocolError, RemoteError, remote_exception
from backprop.sandbox.mirrors import Mirrors


class Sides:
    """Two codecs standing for the trusted side (0) and the sandbox (1), passing messages directly."""

    def __init__(self):
        self.trusted, self.sandbox = (Codec(Mirrors(parity), lambda token, name: ("stub", name), None, parity == 1)
                                      for parity in (0, 1))

    def send(self, value, sender=None, receiver=None):
        """Encode on one side, decode on the other (trusted -> sandbox by default)."""
        sender, receiver = sender or self.trusted, receiver or self.sandbox
        buffers = []
        tree = sender.encode(value, buffers)
        return receiver.decode(tree, buffers)

    def back(self, value):
        """Sandbox -> trusted."""
        return self.send(value, self.sandbox, self.trusted)

    def sync(self, sender, receiver):
        """Ship sender's changed arrays to receiver."""
        buffers = []
        changes = sender.mirrors.changes(buffers)
        receiver.mirrors.apply(changes, buffers)


def test_plain_data_round_trips_with_types_and_dtypes():
    """Do numbers, strings, None, containers and arrays of every allowed dtype come back equal and same-typed?"""
    sides = Sides()
    value = (1, 2.5, True, None, "text", 3 + 4j, [np.float64(1.5), np.int64(3)],
             {"a": np.arange(6, dtype=np.float32).reshape(2, 3), 1: np.array([True, False])}, np.array(np.nan))
    got = sides.send(value)
    assert type(got) is tuple and type(got[6]) is list and type(got[6][0]) is np.float64
    assert got[7]["a"].dtype == np.float32 and got[7]["a"].shape == (2, 3) and got[7][1].dtype == bool
    assert np.isnan(got[8]) and got[:6] == value[:6]


def test_other_objects_cross_as_named_handles_and_come_back_as_themselves():
    """Does a non-data object stay home as a handle named after its type, and resolve to itself when sent back?"""
    sides = Sides()

    class Cache:
        pass

    cache = Cache()
    handle = sides.back(cache)
    assert isinstance(handle, Handle) and type(handle).__name__ == "Cache"
    assert sides.send(handle) is cache
    assert sides.back(lambda: 1) == ("stub", "_lambda_")  # names are made identifiers


def test_an_array_sent_back_is_the_callers_own_object():
    """Does an input returned as is (a cache, say) decode to the very array the caller passed?"""
    sides = Sides()
    x = np.ones((2, 2))
    in_sandbox = sides.send(x)
    assert sides.back((in_sandbox, 3))[0] is x


def test_in_place_changes_reach_the_other_side():
    """Is an input modified in the sandbox modified in the caller's array after a sync?"""
    sides = Sides()
    x = np.zeros(3)
    remote = sides.send(x)
    remote[1] = 7.0
    sides.sync(sides.sandbox, sides.trusted)
    assert x.tolist() == [0.0, 7.0, 0.0]


def test_changes_are_seen_even_when_numpy_is_patched(monkeypatch):
    """Does change detection ignore a patched np.array_equal (student code could patch it in the sandbox)?"""
    sides = Sides()
    x = np.zeros(3)
    remote = sides.send(x)
    monkeypatch.setattr(np, "array_equal", lambda *args, **kwargs: True)
    remote[0] = 5.0
    sides.sync(sides.sandbox, sides.trusted)
    assert x[0] == 5.0


def test_a_returned_view_of_an_input_shares_memory_with_the_callers_input():
    """Do x.T and x[1:] returned from the sandbox come back as views of the caller's x?"""
    sides = Sides()
    x = np.arange(6.0).reshape(2, 3)
    remote = sides.send(x)
    transposed, tail = sides.back((remote.T, remote[1:]))
    assert np.shares_memory(transposed, x) and np.shares_memory(tail, x)
    assert np.array_equal(transposed, x.T) and np.array_equal(tail, x[1:])
    fresh = sides.back(remote * 2)
    assert not np.shares_memory(fresh, x)


def test_exceptions_keep_their_type_name():
    """Is a builtin error re-raised as itself, and a student's own class, or SystemExit, as a named Exception?"""
    assert type(remote_exception("NotImplementedError", "todo")) is NotImplementedError
    custom = remote_exception("ShapeMismatch", "bad")
    assert isinstance(custom, RemoteError) and type(custom).__name__ == "ShapeMismatch"
    exit_error = remote_exception("SystemExit", "3")
    assert isinstance(exit_error, Exception) and type(exit_error).__name__ == "SystemExit"


@pytest.mark.parametrize("tree, buffers", [
    ({"t": "array", "dtype": "|O", "shape": [1], "buf": 0, "token": 1}, [b"\0" * 8]),
    ({"t": "array", "dtype": "<f8", "shape": [3], "buf": 0, "token": 1}, [b"\0" * 8]),
    ({"t": "array", "dtype": "<f8", "shape": [-1], "buf": 0, "token": 1}, [b""]),
    ({"t": "array", "dtype": "<f8", "shape": [1], "buf": 5, "token": 1}, [b"\0" * 8]),
    ({"t": "array", "dtype": "<f8", "shape": [1], "buf": 0, "token": 2}, [b"\0" * 8]),
    ({"t": "ref", "token": 99}, []),
    ({"t": "pickle", "data": "gASV"}, []),
    ({"t": "dict", "items": [[["unhashable"], 1]]}, []),
    ([1, 2], []),
])
def test_malformed_values_from_the_sandbox_are_refused(tree, buffers):
    """Are object dtypes, size mismatches, bad tokens, unknown kinds and raw lists refused as protocol errors?"""
    with pytest.raises(ProtocolError):
        Codec(Mirrors(0), lambda token, name: None).decode(tree, buffers)


def test_deep_nesting_is_refused_both_ways():
    """Is a value nested beyond the limit refused when encoding, and when decoding?"""
    value = []
    for _ in range(40):
        value = [value]
    with pytest.raises(ValueError):
        Codec(Mirrors(1), None).encode(value, [])
    tree = 0
    for _ in range(40):
        tree = {"t": "list", "items": [tree]}
    with pytest.raises(ProtocolError):
        Codec(Mirrors(0), None).decode(tree, [])


def test_reset_forgets_shared_values_but_keeps_pinned_ones():
    """After pin() and reset(), are the pinned functions still known and the case's arrays forgotten?"""
    mirrors = Mirrors(0)
    kept = mirrors.add(print)
    mirrors.pin()
    dropped = mirrors.add(np.zeros(2))
    mirrors.reset()
    assert mirrors.get(kept) is print
    with pytest.raises(ProtocolError):
        mirrors.get(dropped)
    assert mirrors.add(np.zeros(1)) > dropped  # tokens are never reused


def test_namedtuples_and_dict_subclasses_cross_as_their_base_type_and_come_back_as_themselves():
    """Do a namedtuple and an OrderedDict arrive as a tuple and a dict of that name, and return as themselves?"""
    import collections

    sides = Sides()
    Cache = collections.namedtuple("Cache", "x W")
    cache = Cache(np.ones(2), np.zeros((2, 2)))
    grads = collections.OrderedDict(W=np.ones(3))
    got_cache, got_grads = sides.back((cache, grads))
    assert isinstance(got_cache, tuple) and type(got_cache).__name__ == "Cache" and len(got_cache) == 2
    assert isinstance(got_grads, dict) and type(got_grads).__name__ == "OrderedDict"
    assert sides.send(got_cache) is cache and sides.send(got_grads) is grads
    plain = {"a": 1}
    assert sides.send(sides.back(plain)) is not plain  # plain dicts travel by value


@pytest.mark.parametrize("direction", ["sandbox reshapes", "trusted side reshapes"])
def test_an_in_place_reshape_reaches_the_other_side(direction):
    """Is `b.shape = (1, -1)` on one side's mirror of an array applied to the other side's, with its values (so a
    function that reshapes its input in place is caught, as in the student's kernel)?"""
    sides = Sides()
    x = np.arange(3.0)
    remote = sides.send(x)
    changed, other = (remote, x) if direction == "sandbox reshapes" else (x, remote)
    changed.shape = (1, -1)
    changed[0, 2] = 9.0
    sender, receiver = (sides.sandbox, sides.trusted) if changed is remote else (sides.trusted, sides.sandbox)
    sides.sync(sender, receiver)
    assert other.shape == (1, 3) and other.tolist() == [[0.0, 1.0, 9.0]]
    assert receiver.mirrors.changes([]) == []  # taken as synced: not echoed back as the receiver's own change
