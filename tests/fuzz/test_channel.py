"""Fuzz backprop.sandbox.channel: whatever the sandbox writes on the pipe ends as messages, a value, the sandbox's own
error re-raised, or a SandboxFailure (ProtocolError, ChannelClosed...), and never hangs.

A SandboxFailure is what the grader turns into a restart and an error row; any other exception out of a call
would be taken for the student's function raising it.
"""

import json
import os
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop.sandbox.channel import HEADER, LENGTH, Channel
from backprop.sandbox.errors import RemoteError, SandboxFailure, identifier

from .strategies import examples, json_values, numbers, odd_text, trees

SECONDS = 10.0


def pipe_with(data):
    """
    A pipe whose write end a thread fills with data, then closes (so any amount fits, and the reader sees EOF).

    Returns:
    - (read fd, thread).
    """
    read_fd, write_fd = os.pipe()

    def write():
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(write_fd, view):]
        except OSError:  # the reader closed its end first
            pass
        finally:
            os.close(write_fd)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return read_fd, thread


@st.composite
def payloads(draw):
    """A frame's JSON text: a message object, other JSON, text that is not JSON, too deep, or too big a number."""
    kind = draw(st.sampled_from(["message", "message", "json", "raw", "deep", "digits", "utf8"]))
    if kind == "message":
        message = draw(st.fixed_dictionaries({}, optional={
            "kind": st.one_of(st.sampled_from(["return", "raise", "call", "deepcopy", "ready", "exec"]), odd_text),
            "id": numbers, "values": json_values, "changes": json_values, "type": odd_text, "message": odd_text}))
        return json.dumps(message).encode()
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "raw":
        return draw(st.binary(max_size=50))
    if kind == "deep":
        return b"[" * draw(st.sampled_from([10, 1000, 100_000])) + b"1"
    if kind == "digits":
        return b'{"kind": "return", "id": 0, "values": ' + b"9" * draw(st.sampled_from([10, 5000])) + b"}"
    return '{"kind": "\ud800"}'.encode("utf-8", "surrogatepass")


@st.composite
def frames(draw, payload_strategy=payloads()):
    """Bytes of one or more frames: header, JSON and buffers, each length true or a lie; garbage around them."""
    data = b""
    for _ in range(draw(st.integers(1, 3))):
        payload = draw(payload_strategy)
        buffers = draw(st.lists(st.binary(max_size=40), max_size=3))
        length = len(payload) if draw(st.integers(0, 4)) else draw(st.sampled_from([0, 1, 2 ** 20, 2 ** 32 - 1]))
        count = len(buffers) if draw(st.integers(0, 4)) else draw(st.sampled_from([0, 1, 100_001, 2 ** 32 - 1]))
        data += HEADER.pack(length, count) + payload
        for buffer in buffers:
            size = len(buffer) if draw(st.integers(0, 4)) else draw(st.sampled_from([0, 2 ** 20, 2 ** 64 - 1]))
            data += LENGTH.pack(size) + buffer
    if draw(st.integers(0, 4)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data + draw(st.binary(max_size=8))


def frame(payload):
    """One well-formed frame holding a payload and no buffers."""
    return HEADER.pack(len(payload), 0) + payload


def read_all(data):
    """Read the messages in data from a pipe until a SandboxFailure (EOF included), checking each; bounded in time."""
    read_fd, thread = pipe_with(data)
    channel = Channel(read_fd, -1, parity=0, max_message=1 << 20)
    channel.deadline = started = time.monotonic()
    channel.deadline += SECONDS
    try:
        while True:
            message, buffers = channel.receive()
            assert isinstance(message, dict) and all(isinstance(buffer, bytes) for buffer in buffers)
    except SandboxFailure:
        pass
    finally:
        os.close(read_fd)
        thread.join(SECONDS)
    assert time.monotonic() - started < SECONDS


@pytest.mark.parametrize("payload", [b"[" * 100_000 + b"1", b'{"kind": "return", "id": 0, "values": ' + b"9" * 5000
                                     + b"}"], ids=["nested-too-deep", "too-many-digits"])
def test_json_the_parser_refuses_is_a_protocol_error(payload):
    """Is a frame whose JSON Python cannot parse (nested 100000 deep, a 5000-digit number) a ProtocolError, as other
    malformed JSON is, not an exception a test would take for the student's (found by this fuzzing)?"""
    read_all(frame(payload))


@settings(max_examples=examples(1.0))
@given(data=st.one_of(st.binary(max_size=200), frames()))
def test_any_bytes_on_the_pipe_are_messages_or_a_sandbox_failure(data):
    """Do random bytes and frames (lying lengths, bad JSON, deep nesting, huge numbers) read as messages until a
    SandboxFailure (EOF included), never another exception, within a deadline?"""
    read_all(data)


@st.composite
def replies(draw):
    """
    What a hostile sandbox sends after a call: replies to it or to other ids, requests of its own (calls of the
    trusted function it was given, deep copies), changes to the caller's arrays, with well-formed or bad values.

    Returns:
    - (the frames' bytes, the type names its raise replies give).
    """
    data, raised = b"", set()
    for _ in range(draw(st.integers(1, 4))):
        buffers = draw(st.lists(st.binary(max_size=40), max_size=2))
        kind = draw(st.sampled_from(["return", "return", "raise", "call", "deepcopy", "other"]))
        message = {"kind": kind if kind != "other" else draw(odd_text), "id": draw(st.one_of(st.just(0), numbers))}
        result = draw(trees(buffers))
        if kind == "return" and draw(st.booleans()):  # a call's reply: (result, the dicts it changed)
            where = draw(st.one_of(st.integers(-1, 3), odd_text, numbers))
            changed = {"t": "list", "items": [{"t": "list", "items": [where, draw(trees(buffers))]}]}
            result = {"t": "tuple", "items": [result, changed if draw(st.booleans()) else draw(trees(buffers))]}
        if kind in ("call", "deepcopy"):  # a request: its arguments, maybe calling the trusted function (token 4)
            result = {"t": "list", "items": [{"t": "ref", "token": draw(st.sampled_from([0, 2, 4, 6]))}, result,
                                             {"t": "dict", "items": []}]} if draw(st.booleans()) else result
        message["values"] = result
        if draw(st.booleans()):
            message["changes"] = [{"token": draw(st.sampled_from([0, 2, 4, 6])), "dtype": "<f8",
                                   "shape": [3], "buf": len(buffers)}]
            buffers.append(draw(st.binary(min_size=24, max_size=24)))
        if kind == "raise":
            message.update(type=draw(st.one_of(st.sampled_from(["ValueError", "SystemExit", "KeyError", "Oops"]),
                                               odd_text)), message=draw(odd_text))
            raised.add(message["type"])
        payload = json.dumps(message, allow_nan=True).encode()
        data += HEADER.pack(len(payload), len(buffers)) + payload
        data += b"".join(LENGTH.pack(len(buffer)) + buffer for buffer in buffers)
    return data, raised


@settings(max_examples=examples(1.0))
@given(script=replies())
def test_a_call_ends_with_a_value_the_remote_error_or_a_sandbox_failure(script):
    """Does calling a sandbox function, when the sandbox answers with any replies, requests and changes, return, raise
    the error a raise reply names, or raise a SandboxFailure, within its deadline, and nothing else?"""
    data, raised = script
    read_fd, writer = pipe_with(data)
    down_read, down_write = os.pipe()
    drain = threading.Thread(target=lambda: all(iter(lambda: os.read(down_read, 1 << 16), b"")), daemon=True)
    drain.start()  # reads what the call writes (its request, replies to requests) until the channel closes its end
    channel = Channel(read_fd, down_write, parity=0, max_message=1 << 20)
    channel.call_seconds = SECONDS
    function = channel.codec.decode({"t": "handle", "token": 1, "type": "function", "callable": True, "name": "f"}, [])
    started = time.monotonic()
    try:
        function(np.arange(3.0), {"a": np.ones(3)}, lambda *args, **kwargs: (args, kwargs))
    except SandboxFailure:
        pass
    except Exception as error:  # only what a raise reply asked for
        assert isinstance(error, RemoteError) or type(error).__name__ in {identifier(name) for name in raised}, error
    finally:
        os.close(read_fd)
        os.close(down_write)
        writer.join(SECONDS)
        drain.join(SECONDS)
        os.close(down_read)
    assert time.monotonic() - started < SECONDS
