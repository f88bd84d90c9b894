"""One end of the sandbox's message pipe: framed messages, calls both ways, time limits.

A frame is an 8-byte header (two little-endian uint32: the JSON length and
the number of byte buffers), the JSON, then each buffer as a uint64 length
and its bytes. A request carries an id; while one side waits for its reply
it serves the other side's requests (a student function calling back a
trusted one, say), so calls can nest in either direction.
"""

import contextlib
import copy
import json
import os
import select
import struct
import time

from .callbacks import bounded_arguments
from .codec import Codec
from .deadline import time_limit
from .errors import ProtocolError, SandboxFailure, remote_exception
from .mirrors import Mirrors

HEADER = struct.Struct("<II")
LENGTH = struct.Struct("<Q")
MAX_BUFFERS = 100_000  # more arrays than any honest value holds: the frame is garbage
MAX_JSON = 8 << 20  # the JSON part of one message (arrays travel as buffers): parsed in C, with no alarm
READ_CHUNK = 1 << 16  # a pipe's default capacity: what one read takes at most when a message needs less


class ChannelClosed(SandboxFailure):
    """The other side closed the pipe (it exited or was killed)."""


class ChannelTimeout(SandboxFailure):
    """No reply before the deadline."""


class MessageTooLarge(ProtocolError):
    """A message bigger than this side accepts."""


class Channel:
    """
    A message pipe plus the shared-object table of this side.

    Inputs:
    - read_fd, write_fd: the pipe's file descriptors.
    - parity: 0 on the trusted side, 1 in the sandbox (see Mirrors).
    - max_message: the largest incoming message accepted, in bytes.
    """

    def __init__(self, read_fd, write_fd, parity, max_message=64 << 20):
        self.read_fd, self.write_fd, self.max_message = read_fd, write_fd, max_message
        self.mirrors = Mirrors(parity)
        self.codec = Codec(self.mirrors, self._stub, lambda value: self.request("deepcopy", value),
                           share_containers=parity == 1)
        self.handlers = {"call": _call if parity else _call_trusted, "deepcopy": copy.deepcopy}
        self.next_id = parity
        self.deadline = None  # of the request in flight
        self.call_seconds = None  # default time limit of an outermost request
        self.final_deadline = None  # no request may run past this time.monotonic() value
        self.max_request = None  # the largest request (a call back to this side) served, in bytes
        self.last_size = 0
        self.pending = bytearray()  # bytes read from the pipe beyond the last message taken

    # -- frames -------------------------------------------------------------------------------------------
    def _send(self, message, buffers):
        payload = json.dumps(message, allow_nan=True).encode()
        parts = [HEADER.pack(len(payload), len(buffers)), payload]
        for buffer in buffers:
            parts += [LENGTH.pack(len(buffer)), buffer]
        view = memoryview(b"".join(parts))
        while view:
            try:
                view = view[os.write(self.write_fd, view):]
            except BlockingIOError:  # a non-blocking pipe that is full: wait, but not past the deadline
                self._wait(write=True)
            except (OSError, ValueError):  # the other side is gone (a broken pipe) or closed our end
                raise ChannelClosed() from None

    def _wait(self, write=False):
        """Wait until the pipe can be read (or written), or raise ChannelTimeout at the deadline."""
        remaining = None if self.deadline is None else self.deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise ChannelTimeout()
        try:
            ready = select.select([], [self.write_fd], [], remaining) if write else \
                select.select([self.read_fd], [], [], remaining)
        except (OSError, ValueError):
            raise ChannelClosed() from None
        if not any(ready):
            raise ChannelTimeout()

    def _read_exactly(self, count):
        """
        The next count bytes from the pipe. What is waiting is read in one go (up to READ_CHUNK, or what the message
        still needs, at most 1 MB a call) and kept for the next call: most messages take one system call, not one
        per header, JSON part and buffer.
        """
        while len(self.pending) < count:
            if self.deadline is not None:
                self._wait()
            try:
                chunk = os.read(self.read_fd, min(max(count - len(self.pending), READ_CHUNK), 1 << 20))
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                raise ChannelClosed()
            self.pending += chunk
        with memoryview(self.pending) as view:
            data = view[:count].tobytes()
        del self.pending[:count]
        return data

    def receive(self):
        """Read one message: (the JSON object, its byte buffers); raises on timeout, EOF or a bad frame."""
        length, count = HEADER.unpack(self._read_exactly(HEADER.size))
        if count > MAX_BUFFERS:
            raise ProtocolError(f"a frame announcing {count} buffers")
        if length > min(self.max_message, MAX_JSON):
            raise MessageTooLarge(f"a message of {length} bytes of JSON")
        try:
            message = json.loads(self._read_exactly(length))
        except (ValueError, RecursionError) as error:  # not UTF-8 or JSON, nested too deep, a 5000-digit integer
            raise ProtocolError(f"malformed message: {type(error).__name__}: {str(error)[:200]}") from None
        if not isinstance(message, dict):
            raise ProtocolError("a message must be a JSON object")
        buffers, total = [], length
        for _ in range(count):
            (size,) = LENGTH.unpack(self._read_exactly(LENGTH.size))
            total += size
            if total > self.max_message:
                raise MessageTooLarge(f"more than {self.max_message >> 20} MB in one message")
            buffers.append(self._read_exactly(size))
        self.last_size = total
        return message, buffers

    # -- calls --------------------------------------------------------------------------------------------
    def post(self, message, values=None):
        """Send a message with values (encoded) and this side's changed mirrors."""
        buffers = []
        if values is not None:
            message["values"] = self.codec.encode(values, buffers)
        message["changes"] = self.mirrors.changes(buffers)
        self._send(message, buffers)

    def request(self, kind, *values, deadline=None):
        """
        Ask the other side to do something and wait for its answer, serving its requests meanwhile.

        Inputs:
        - kind: a handler name on the other side.
        - values: its arguments (encoded as data and handles).
        - deadline: a time.monotonic() value, or None to wait forever.

        Returns:
        - the decoded result; an exception raised over there is raised here.
        """
        request_id, self.next_id = self.next_id, self.next_id + 2
        outer = self.deadline
        if deadline is None and outer is None and self.call_seconds is not None:
            deadline = time.monotonic() + self.call_seconds
        if deadline is not None and self.final_deadline is not None:
            deadline = min(deadline, self.final_deadline)
        self.deadline = deadline if deadline is not None else outer
        try:
            self.post({"kind": kind, "id": request_id}, list(values))
            while True:
                message, buffers = self.receive()
                self.mirrors.apply(message.get("changes", []), buffers)
                if message.get("kind") in ("return", "raise"):
                    if message.get("id") != request_id:
                        raise ProtocolError("a reply to a request that was not made")
                    return self._outcome(message, buffers)
                if self.deadline is not None and time.monotonic() >= self.deadline:
                    raise ChannelTimeout()
                self._serve_one(message, buffers)
        finally:
            self.deadline = outer

    def _outcome(self, message, buffers):
        if message["kind"] == "return":
            return self.codec.decode(message.get("values"), buffers)
        type_name, text = message.get("type"), message.get("message")
        if not isinstance(type_name, str) or not isinstance(text, str):
            raise ProtocolError("bad error reply")
        raise remote_exception(type_name, text)

    def _serve_one(self, message, buffers):
        kind, request_id = message.get("kind"), message.get("id")
        handler = self.handlers.get(kind)
        if handler is None or not isinstance(request_id, int):
            raise ProtocolError(f"unknown request {kind!r}")
        try:
            args = self.codec.decode(message.get("values"), buffers)
            if not isinstance(args, list):
                raise ProtocolError("request arguments must be a list")
            if self.max_request is not None and self.last_size > self.max_request:
                raise MemoryError(f"the arguments ({self.last_size >> 10} KB) exceed the "
                                  f"{self.max_request >> 10} KB a call to a grader's function may pass")
            with self._bounded():
                result = handler(*args)
        except SandboxFailure:  # a ProtocolError included: not the handler's error, this side's
            raise
        except BaseException as error:  # reported to the caller, whatever it is (SystemExit included)
            if isinstance(error, KeyboardInterrupt) and self.mirrors.parity == 0:
                raise
            self.post({"kind": "raise", "id": request_id, "type": type(error).__name__,
                        "message": _text_of(error)})
            return
        try:
            self.post({"kind": "return", "id": request_id}, result)
        except (ValueError, RecursionError) as error:  # a result that cannot cross
            self.post({"kind": "raise", "id": request_id, "type": "TypeError",
                        "message": f"the result cannot be returned from the sandbox: {error}"})

    def _bounded(self):
        """On the trusted side, the time limit of work done for the other side: the request in flight's deadline."""
        if self.mirrors.parity == 0 and self.deadline is not None:
            return time_limit(self.deadline - time.monotonic(), ChannelTimeout)
        return contextlib.nullcontext()

    def serve_forever(self):
        """Answer requests until the other side closes the pipe (the sandbox's main loop)."""
        while True:
            try:
                message, buffers = self.receive()
            except ChannelClosed:
                return
            self.mirrors.apply(message.get("changes", []), buffers)
            self._serve_one(message, buffers)

    def _stub(self, token, type_name):
        """A local callable that calls the other side's callable under token."""
        return RemoteFunction(self, type_name)


class RemoteFunction:
    """
    A function that lives on the other side of the channel; calling it sends the call there.

    Inputs:
    - channel: the Channel; name: the remote function's name (for messages).
    """

    def __init__(self, channel, name):
        self.channel, self.__name__ = channel, name

    def __call__(self, *args, **kwargs):
        reply = self.channel.request("call", self, args, kwargs)
        if not isinstance(reply, tuple) or len(reply) != 2:
            raise ProtocolError("a call's reply must be (result, dict changes)")
        _apply_dict_changes(args, kwargs, reply[1])
        return reply[0]

    def __repr__(self):
        return f"<function {self.__name__} across the sandbox boundary>"

    def __deepcopy__(self, memo):
        return self  # like a function: copying it gives itself

    @contextlib.contextmanager
    def substitute(self, **replacements):
        """
        Run this function with other functions in place of the globals it calls, then put them back.

        Inputs:
        - replacements: global name -> function (trusted ones cross as callable handles).
        """
        self.channel.request("substitute", self, replacements)
        try:
            yield
        finally:
            self.channel.request("restore")


def _dict_arguments(args, kwargs):
    """The plain dicts passed as arguments, by position (an int) or keyword (a str)."""
    named = list(enumerate(args)) + list(kwargs.items())
    return [(where, value) for where, value in named if type(value) is dict]


def _call(func, args, kwargs):
    """
    Call a function this side shared, with arguments from the other side.

    Plain dicts cross by value, so a function that changes a dict it was given (params["w"] = ...) would
    change only this side's copy: the new contents of every such dict go back with the result, and the
    caller puts them into its own dict, as if the call had run there.

    Returns:
    - (the result, [(position or keyword, the dict's new contents)] for the dicts the call changed).
    """
    dicts = _dict_arguments(args, kwargs)
    before = [[(key, id(item)) for key, item in value.items()] for _, value in dicts]
    result = func(*args, **kwargs)
    changed = [(where, value) for (where, value), items in zip(dicts, before)
               if [(key, id(item)) for key, item in value.items()] != items]
    return result, changed


def _call_trusted(func, args, kwargs):
    """_call for a trusted function called from the sandbox: its arguments made plain and bounded first."""
    if not isinstance(args, (list, tuple)) or not isinstance(kwargs, dict):
        raise ProtocolError("a call's arguments must be a list and a dict")
    args, kwargs = bounded_arguments(args, kwargs, getattr(func, "__name__", "function"))
    return _call(func, args, kwargs)


def _apply_dict_changes(args, kwargs, changed):
    """Put the other side's new contents of the dicts a call changed into this side's dicts."""
    if not isinstance(changed, list):
        raise ProtocolError("bad dict changes")
    for change in changed:
        if not isinstance(change, (list, tuple)) or len(change) != 2:
            raise ProtocolError("bad dict change")
        where, contents = change
        if isinstance(where, int) and not isinstance(where, bool) and 0 <= where < len(args):
            target = args[where]
        elif isinstance(where, str) and where in kwargs:
            target = kwargs[where]
        else:
            raise ProtocolError("a dict change names no argument")
        if type(target) is not dict or not isinstance(contents, dict):
            raise ProtocolError("a dict change for a non-dict")
        target.clear()
        target.update(contents)


def _text_of(error):
    """An exception's message, even when its __str__ fails."""
    try:
        return str(error)[:2000]
    except BaseException:  # a student's exception class with a broken __str__
        return "(message unavailable)"
