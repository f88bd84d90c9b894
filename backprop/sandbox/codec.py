"""Values across the trust boundary: plain data and handles, never pickles.

Arrays, numbers, strings, None and tuples, lists and dicts of them cross as
data (a JSON tree plus raw array bytes). Anything else (a function, a cache
object, a generator) stays where it lives and crosses as a handle: a token
the other side can pass back or, for a callable, call.

Every array that crosses becomes a mirror pair, one copy on each side under
one token. Before each message the sender ships the mirrors it changed, so an
input modified in place is seen by the caller; an array sent back is the
caller's own object again; a returned view of an input comes back as a view
of the caller's array. That keeps the test suite's side-effect and aliasing
checks meaningful across the boundary.

Decoding trusts nothing: types, dtypes, shapes, sizes and depth are checked,
and anything malformed raises ProtocolError.
"""

import builtins
import math

import numpy as np

DTYPES = frozenset(np.dtype(code).str for code in
                   ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"))
# Bound once, at import: in the sandbox, student code may later replace numpy's attributes.
_asarray, _frombuffer, _shares_memory, _ndarray, _generic, _dtype = (
    np.asarray, np.frombuffer, np.shares_memory, np.ndarray, np.generic, np.dtype)
MAX_DEPTH = 32
MAX_ITEMS = 100_000
BUILTIN_ERRORS = {cls.__name__: cls for cls in vars(builtins).values()
                  if isinstance(cls, type) and issubclass(cls, Exception)}


class SandboxFailure(BaseException):
    """
    The other side stopped answering properly: it exited, timed out or broke the protocol.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` in a
    test or in student code can swallow it: the grader must see it.
    """


class ProtocolError(SandboxFailure):
    """The other side sent something this protocol does not allow."""


class RemoteError(Exception):
    """Base of exceptions re-raised from the other side under their own type name."""


class Shared:
    """
    Mixin of values standing for an object of the other side (a cache, a namedtuple, an OrderedDict).

    Passed back, they give that very object; deep-copied (as the tests do with
    arguments), the other side deep-copies the original, as a kernel would.
    """

    _copy_remote = None  # set per Codec: a function asking the other side for a deep copy

    def __deepcopy__(self, memo):
        return self if self._copy_remote is None else self._copy_remote(self)


class Handle(Shared):
    """An object that stays on the other side: only passing it back, or deep-copying it, does anything."""

    def __repr__(self):
        return f"<{type(self).__name__} in the sandbox>"


def remote_exception(type_name, message):
    """
    An exception to raise for one raised on the other side.

    Inputs:
    - type_name: the original class name; message: its text.

    Returns:
    - an Exception instance: a builtin class of that name (not SystemExit and the
      like, which are not Exceptions), else a RemoteError subclass named after it.
    """
    cls = BUILTIN_ERRORS.get(type_name)
    if cls is None:
        cls = type(_identifier(type_name), (RemoteError,), {})
    try:
        return cls(message)
    except Exception:  # a builtin that takes other arguments
        return RemoteError(f"{type_name}: {message}")


def _identifier(text):
    name = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in str(text))[:60]
    return name if name and not name[0].isdigit() else f"_{name}"


class Mirrors:
    """
    This side's table of objects shared with the other side, by token.

    Inputs:
    - parity: 0 for the trusted side, 1 for the sandbox; tokens this side
      assigns have that parity, so the two sides never collide.
    """

    def __init__(self, parity):
        self.parity, self.next_token = parity, parity
        self.objects, self.synced, self.ids, self.pinned = {}, {}, {}, set()

    def pin(self):
        """Keep every object shared so far across resets (the notebook's functions)."""
        self.pinned = set(self.objects)

    def reset(self):
        """Forget every shared object but the pinned ones (between test cases); tokens are never reused."""
        self.objects = {token: obj for token, obj in self.objects.items() if token in self.pinned}
        self.synced = {token: copy for token, copy in self.synced.items() if token in self.pinned}
        self.ids = {id(obj): token for token, obj in self.objects.items()}

    def token_of(self, obj):
        """The token of an object this side already shares, else None."""
        token = self.ids.get(id(obj))
        return token if token is not None and self.objects.get(token) is obj else None

    def add(self, obj, token=None):
        """Share obj under a token (a new one unless given); arrays are remembered as last synced."""
        if token is None:
            token, self.next_token = self.next_token, self.next_token + 2
        self.objects[token], self.ids[id(obj)] = obj, token
        if isinstance(obj, _ndarray):
            self.synced[token] = _state(obj)
        return token

    def get(self, token):
        """The object shared under a token; a token never shared is a protocol error."""
        try:
            return self.objects[token]
        except (KeyError, TypeError):
            raise ProtocolError(f"unknown token {token!r}") from None

    def changes(self, buffers):
        """The arrays this side changed since the last message, appending their bytes to buffers."""
        changed = []
        for token, last in self.synced.items():
            array = self.objects[token]
            state = _state(array)
            if state != last and array.dtype.str in DTYPES:
                changed.append({"token": token, "dtype": array.dtype.str, "shape": list(array.shape),
                                "buf": len(buffers)})
                buffers.append(state[2])
                self.synced[token] = state
        return changed

    def apply(self, changes, buffers):
        """Write the other side's changes into this side's arrays, in place."""
        if not isinstance(changes, list):
            raise ProtocolError("changes must be a list")
        for change in changes:
            if not isinstance(change, dict):
                raise ProtocolError("a change must be an object")
            array = self.get(change.get("token"))
            if not isinstance(array, _ndarray):
                raise ProtocolError("a change names a non-array")
            new = _array_from(change, buffers)
            if new.shape == array.shape and new.dtype == array.dtype and array.flags.writeable:
                array[...] = new
            self.synced[change["token"]] = _state(array)


def _state(array):
    """An array's shape, dtype and bytes: compared with builtins only, whatever numpy's attributes become."""
    return array.shape, array.dtype.str, array.tobytes(order="C")


def _add_buffer(buffers, array):
    buffers.append(array.tobytes(order="C"))
    return len(buffers) - 1


def _array_from(node, buffers):
    dtype, shape, index = node.get("dtype"), node.get("shape"), node.get("buf")
    if dtype not in DTYPES:
        raise ProtocolError(f"dtype {dtype!r} is not allowed")
    if (not isinstance(shape, list) or len(shape) > 32
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
        raise ProtocolError("bad shape")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(buffers):
        raise ProtocolError("bad buffer index")
    dtype = _dtype(dtype)
    if math.prod(shape) * dtype.itemsize != len(buffers[index]):
        raise ProtocolError("array size does not match its bytes")
    return _frombuffer(buffers[index], dtype=dtype).reshape(shape).copy()


def _view_of(base, node, data):
    """A view of base with the geometry the other side reported, if base's memory allows it; else data."""
    offset, strides = node.get("offset"), node.get("strides")
    if (not isinstance(offset, int) or not isinstance(strides, list) or len(strides) != data.ndim
            or not all(isinstance(s, int) for s in strides) or not base.flags.c_contiguous):
        return data
    try:
        view = np.ndarray(data.shape, dtype=data.dtype, buffer=base.reshape(-1).view(np.uint8),
                          offset=offset, strides=tuple(strides))
    except (TypeError, ValueError):
        return data
    return view if np.array_equal(view, data, equal_nan=True) else data


class Codec:
    """
    Encode and decode message values against this side's Mirrors.

    Inputs:
    - mirrors: this side's Mirrors.
    - make_stub: called with (token, type name) for a remote callable; returns
      the local object that calls it (the Channel provides it).
    - copy_remote: called with a Shared value, returns a deep copy made on the other side (or None).
    - share_containers: send tuples and container subclasses with a token (the sandbox does), so
      that they come back as themselves; see _by_reference.
    """

    def __init__(self, mirrors, make_stub, copy_remote=None, share_containers=False):
        self.mirrors, self.make_stub, self.copy_remote = mirrors, make_stub, copy_remote
        self.share_containers, self.types = share_containers, {}

    def shared_type(self, base, type_name):
        """
        A local class standing for a remote type, named after it (messages then describe it by its name).

        Inputs:
        - base: tuple, list, dict or Handle; type_name: the remote type's name.

        Returns:
        - a subclass of base and Shared.
        """
        key = (base, type_name)
        if key not in self.types:
            bases = (base,) if base is Handle else (Shared, base)
            copy_remote = staticmethod(self.copy_remote) if self.copy_remote else None
            self.types[key] = type(_identifier(type_name), bases, {"_copy_remote": copy_remote})
        return self.types[key]

    def encode(self, value, buffers, depth=0):
        """
        Turn a value into a JSON-able tree, appending array bytes to buffers.

        Inputs:
        - value: any Python object.
        - buffers: a list of bytes, extended in place.

        Returns:
        - the tree.
        """
        if depth > MAX_DEPTH:
            raise ValueError("value nested too deeply to cross the sandbox boundary")
        token = self.mirrors.token_of(value)
        if token is not None:
            return {"t": "ref", "token": token}
        if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
            return value
        if type(value) is complex:
            return {"t": "complex", "re": value.real, "im": value.imag}
        if isinstance(value, (_ndarray, _generic)) and _asarray(value).dtype.str in DTYPES:
            return self._encode_array(value, buffers)
        if isinstance(value, (tuple, list)):
            node = {"t": "tuple" if isinstance(value, tuple) else "list",
                    "items": [self.encode(item, buffers, depth + 1) for item in value]}
            return self._by_reference(node, value)
        if isinstance(value, dict) and all(type(key) in (str, int, float, bool) or key is None for key in value):
            node = {"t": "dict", "items": [[key, self.encode(item, buffers, depth + 1)] for key, item in value.items()]}
            return self._by_reference(node, value)
        name = getattr(value, "__name__", None) if callable(value) else None
        return {"t": "handle", "token": self.mirrors.add(value), "type": type(value).__name__,
                "callable": callable(value), "name": name if isinstance(name, str) else type(value).__name__}

    def _by_reference(self, node, value):
        """
        Let a container come back as itself: tuples (a cache, a namedtuple) and list or dict subclasses
        (an OrderedDict of gradients) cross as plain data plus a token; passed back, the token gives the
        original object. Plain lists and dicts cross by value only, as they may be changed on the way.
        """
        if self.share_containers and (isinstance(value, tuple) or type(value) not in (list, dict)):
            node.update(token=self.mirrors.add(value), type=type(value).__name__)
        return node

    def _encode_array(self, value, buffers):
        if isinstance(value, _generic):
            array = _asarray(value)
            return {"t": "array", "dtype": array.dtype.str, "shape": [], "buf": _add_buffer(buffers, array), "scalar": True}
        array = _asarray(value)
        node = {"t": "array", "dtype": array.dtype.str, "shape": list(array.shape), "buf": _add_buffer(buffers, array)}
        for token, shared in list(self.mirrors.objects.items()):
            if isinstance(shared, _ndarray) and shared.flags.c_contiguous and _shares_memory(array, shared):
                start = shared.__array_interface__["data"][0]
                node.update(view_of=token, offset=array.__array_interface__["data"][0] - start,
                            strides=list(array.strides))
                break
        node["token"] = self.mirrors.add(array)
        return node

    def decode(self, node, buffers, depth=0):
        """
        Turn a tree from the other side back into values; arrays become mirrors.

        Inputs:
        - node: the tree; buffers: the message's byte buffers.

        Returns:
        - the value.
        """
        if depth > MAX_DEPTH:
            raise ProtocolError("value nested too deeply")
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if not isinstance(node, dict):
            raise ProtocolError(f"unexpected {type(node).__name__} in a message")
        kind = node.get("t")
        if kind == "ref":
            return self.mirrors.get(node.get("token"))
        if kind == "array":
            return self._decode_array(node, buffers)
        if kind in ("tuple", "list", "dict"):
            return self._shared(node, self._decode_container(kind, node.get("items"), buffers, depth))
        if kind == "complex" and isinstance(node.get("re"), float) and isinstance(node.get("im"), float):
            return complex(node["re"], node["im"])
        if kind == "handle":
            return self._decode_handle(node)
        raise ProtocolError(f"unknown value kind {kind!r}")

    def _decode_container(self, kind, items, buffers, depth):
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise ProtocolError("bad items")
        if kind != "dict":
            values = [self.decode(item, buffers, depth + 1) for item in items]
            return tuple(values) if kind == "tuple" else values
        result = {}
        for pair in items:
            if not isinstance(pair, list) or len(pair) != 2 or not (pair[0] is None or isinstance(pair[0], (str, int, float, bool))):
                raise ProtocolError("bad dict item")
            result[pair[0]] = self.decode(pair[1], buffers, depth + 1)
        return result

    def _shared(self, node, value):
        """A decoded container as a Shared value registered under the sender's token, if it sent one."""
        token, type_name = node.get("token"), node.get("type")
        if token is None:
            return value
        if (not isinstance(token, int) or token % 2 == self.mirrors.parity or token in self.mirrors.objects
                or not isinstance(type_name, str)):
            raise ProtocolError("bad container token")
        value = self.shared_type(type(value), type_name)(value)
        self.mirrors.add(value, token)
        return value

    def _decode_array(self, node, buffers):
        data = _array_from(node, buffers)
        if node.get("scalar") is True:
            return data[()]
        view_of = node.get("view_of")
        if view_of is not None:
            base = self.mirrors.get(view_of)
            if isinstance(base, _ndarray):
                data = _view_of(base, node, data)
        token = node.get("token")
        if not isinstance(token, int) or token % 2 == self.mirrors.parity or token in self.mirrors.objects:
            raise ProtocolError("bad array token")
        self.mirrors.add(data, token)
        return data

    def _decode_handle(self, node):
        token, type_name = node.get("token"), node.get("type")
        if (not isinstance(token, int) or token % 2 == self.mirrors.parity or token in self.mirrors.objects
                or not isinstance(type_name, str)):
            raise ProtocolError("bad handle")
        if node.get("callable") is True:
            name = node.get("name")
            obj = self.make_stub(token, _identifier(name) if isinstance(name, str) else "function")
        else:
            obj = self.shared_type(Handle, type_name)()
        self.mirrors.add(obj, token)
        return obj
