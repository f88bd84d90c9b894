"""Tests for backprop.sandbox.channel: requests, nested calls back, errors and deadlines, over a real pipe."""

import os
import threading
import time

import numpy as np
import pytest

from backprop.sandbox.channel import HEADER, MAX_JSON, Channel, ChannelClosed, ChannelTimeout, MessageTooLarge


@pytest.fixture
def pair():
    """A trusted-side Channel and a sandbox-side one served by a thread; yields (trusted, sandbox)."""
    down_read, down_write = os.pipe()
    up_read, up_write = os.pipe()
    trusted = Channel(up_read, down_write, parity=0)
    sandbox = Channel(down_read, up_write, parity=1)
    thread = threading.Thread(target=sandbox.serve_forever, daemon=True)
    thread.start()
    yield trusted, sandbox
    os.close(down_write)
    thread.join(timeout=5)
    for fd in (down_read, up_read, up_write):
        os.close(fd)


def test_a_request_returns_the_handlers_result(pair):
    """Does a request run the other side's handler with the arguments and return its result?"""
    trusted, sandbox = pair
    sandbox.handlers["double"] = lambda x: x * 2
    assert trusted.request("double", np.arange(3.0)).tolist() == [0.0, 2.0, 4.0]


def test_calls_can_nest_back_to_the_caller(pair):
    """Can a sandbox function call a trusted callable it was given, which sees the sandbox's in-place change?"""
    trusted, sandbox = pair
    sandbox.handlers["lookup"] = lambda: {"f": lambda g, x: (x.__setitem__(0, 5.0), g())[1]}
    f = trusted.request("lookup")["f"]
    x = np.zeros(2)
    assert f(lambda: float(x.sum()) + 1, x) == 6.0 and x[0] == 5.0


def test_errors_cross_with_type_and_message(pair):
    """Does an exception in a handler arrive as the same type with its message, SystemExit included?"""
    trusted, sandbox = pair

    def fail(kind):
        if kind == "exit":
            raise SystemExit("bye")
        raise NotImplementedError("todo")

    sandbox.handlers["fail"] = fail
    with pytest.raises(NotImplementedError, match="todo"):
        trusted.request("fail", "todo")
    with pytest.raises(Exception, match="bye") as raised:
        trusted.request("fail", "exit")
    assert type(raised.value).__name__ == "SystemExit"


def test_a_slow_reply_times_out(pair):
    """Does a request past its deadline raise ChannelTimeout instead of waiting?"""
    trusted, sandbox = pair
    sandbox.handlers["slow"] = lambda: time.sleep(2)
    started = time.monotonic()
    with pytest.raises(ChannelTimeout):
        trusted.request("slow", deadline=time.monotonic() + 0.2)
    assert time.monotonic() - started < 1.5


def test_an_oversized_message_is_refused():
    """Is a message bigger than the receiver's limit refused before it is read?"""
    read_fd, write_fd = os.pipe()
    sender, receiver = Channel(-1, write_fd, 1), Channel(read_fd, -1, 0, max_message=1000)
    writer = threading.Thread(target=lambda: sender.post({"kind": "return", "id": 0}, "x" * 5000))
    writer.start()
    with pytest.raises(MessageTooLarge):
        receiver.receive()
    os.close(read_fd)
    writer.join(timeout=5)
    os.close(write_fd)


def test_a_frame_announcing_too_much_json_is_refused_from_its_header():
    """Is a frame whose JSON part is beyond MAX_JSON refused from its 8-byte header, before anything is parsed,
    even where the message limit is higher (arrays travel as buffers, not JSON)?"""
    read_fd, write_fd = os.pipe()
    receiver = Channel(read_fd, -1, 0, max_message=64 << 20)
    os.write(write_fd, HEADER.pack(MAX_JSON + 1, 0) + b"{},")
    with pytest.raises(MessageTooLarge, match="of JSON"):
        receiver.receive()
    os.close(read_fd)
    os.close(write_fd)


def test_a_closed_pipe_is_reported():
    """Does a pipe closed by the other side raise ChannelClosed?"""
    read_fd, write_fd = os.pipe()
    os.close(write_fd)
    with pytest.raises(ChannelClosed):
        Channel(read_fd, -1, 0).receive()
    os.close(read_fd)


def test_a_deep_copy_of_a_sandbox_object_is_made_in_the_sandbox(pair):
    """Does deep-copying a returned namedtuple give a copy made over there, which passes back as that type?"""
    import collections
    import copy

    trusted, sandbox = pair
    Cache = collections.namedtuple("Cache", "x")
    sandbox.handlers["make"] = lambda: Cache(np.zeros(2))
    sandbox.handlers["kind"] = lambda value: (type(value).__name__, value.x.tolist())
    made = trusted.request("make")
    copied = copy.deepcopy(made)
    assert copied is not made and type(copied).__name__ == "Cache"
    assert trusted.request("kind", copied) == ("Cache", [0.0, 0.0])


def test_a_dict_argument_changed_by_the_other_side_changes_here_too(pair):
    """Plain dicts cross by value: does a function that replaces an entry of a dict it was given (grads = params;
    grads["W"] = ...) change the caller's dict as it would in one process, an unchanged dict keeping its arrays?"""
    trusted, sandbox = pair

    def store(params, other, scale=None):
        params["W"] = params["W"] * 2
        params["new"] = 1.0
        return "done"

    sandbox.handlers["lookup"] = lambda: {"store": store}
    f = trusted.request("lookup")["store"]
    W, kept = np.ones(2), np.zeros(3)
    params, other, scale = {"W": W}, {"kept": kept}, {"s": 1.0}
    assert f(params, other, scale=scale) == "done"
    assert params["W"].tolist() == [2.0, 2.0] and params["new"] == 1.0 and W.tolist() == [1.0, 1.0]
    assert other["kept"] is kept and scale == {"s": 1.0}


def test_a_reply_that_is_not_a_result_and_changes_is_a_protocol_error():
    """Is a call's reply that is not (result, dict changes), or a change naming no argument, refused?"""
    from backprop.sandbox.channel import _apply_dict_changes
    from backprop.sandbox.errors import ProtocolError

    target = {"a": 1}
    _apply_dict_changes((target,), {}, [(0, {"b": 2})])
    assert target == {"b": 2}
    for changes in (None, [(5, {})], [("missing", {})], [(0, [1])], [(True, {})], [(0,)]):
        with pytest.raises(ProtocolError):
            _apply_dict_changes(({"a": 1},), {}, changes)
