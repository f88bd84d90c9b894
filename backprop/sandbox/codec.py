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

from .arrays import (DTYPES, MAX_DEPTH, MAX_ITEMS, as_array, generic_type, ndarray_type, shares_memory, add_buffer,
                     array_from, view_of)
from .errors import ProtocolError, identifier
from .mirrors import NUMPY_REFUSALS


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
            self.types[key] = type(identifier(type_name), bases, {"_copy_remote": copy_remote})
        return self.types[key]

    def encode(self, value, buffers, depth=0):
        """
        Turn a value into a JSON-able tree, appending array bytes to buffers.

        Inputs:
        - value: any Python object.
        - buffers: a list of bytes, extended in place.

        Returns:
        - the tree; a value that cannot cross (nested too deeply, too many items, or its own methods fail: a list
          subclass whose __iter__ raises, an array too big to copy) raises ValueError, or RecursionError.
        """
        try:
            return self._encode(value, buffers, depth)
        except (ValueError, RecursionError):
            raise
        except Exception as error:  # the value's own code (in the sandbox: the student's) or its size failed
            raise ValueError(f"a {type(value).__name__} cannot cross the sandbox boundary "
                             f"({type(error).__name__} while encoding it)") from None

    def _encode(self, value, buffers, depth):
        if depth > MAX_DEPTH:
            raise ValueError("value nested too deeply to cross the sandbox boundary")
        token = self.mirrors.token_of(value)
        if token is not None:
            return {"t": "ref", "token": token}
        if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
            return value
        if type(value) is complex:
            return {"t": "complex", "re": value.real, "im": value.imag}
        if isinstance(value, (ndarray_type, generic_type)) and as_array(value).dtype.str in DTYPES:
            return self._encode_array(value, buffers)
        if isinstance(value, (tuple, list)):
            node = {"t": "tuple" if isinstance(value, tuple) else "list",
                    "items": [self.encode(item, buffers, depth + 1) for item in value]}
            return self._by_reference(_counted(node), value)
        if isinstance(value, dict) and all(type(key) in (str, int, float, bool) or key is None for key in value):
            node = {"t": "dict", "items": [[key, self.encode(item, buffers, depth + 1)] for key, item in value.items()]}
            return self._by_reference(_counted(node), value)
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
        if isinstance(value, generic_type):
            array = as_array(value)
            return {"t": "array", "dtype": array.dtype.str, "shape": [], "buf": add_buffer(buffers, array), "scalar": True}
        array = as_array(value)
        node = {"t": "array", "dtype": array.dtype.str, "shape": list(array.shape), "buf": add_buffer(buffers, array)}
        for token, shared in list(self.mirrors.objects.items()):
            if isinstance(shared, ndarray_type) and shared.flags.c_contiguous and shares_memory(array, shared):
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
            key = pair[0] if pair[0] == pair[0] else float("nan")  # JSON gives every NaN as one object: two keys
            result[key] = self.decode(pair[1], buffers, depth + 1)
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
        try:
            data = array_from(node, buffers)
        except NUMPY_REFUSALS as error:  # a shape the checks let through but numpy refuses ([0, 2 ** 70], say)
            raise ProtocolError(f"bad array ({type(error).__name__}: {error})") from None
        if node.get("scalar") is True:
            return data[()]
        base_token = node.get("view_of")
        if base_token is not None:
            base = self.mirrors.get(base_token)
            if isinstance(base, ndarray_type):
                try:
                    data = view_of(base, node, data)
                except NUMPY_REFUSALS:  # an offset or strides numpy cannot even represent: no view, as for others
                    pass
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
            obj = self.make_stub(token, identifier(name) if isinstance(name, str) else "function")
        else:
            obj = self.shared_type(Handle, type_name)()
        self.mirrors.add(obj, token)
        return obj


def _counted(node):
    """A container's node, if the other side accepts that many items (else ValueError, as for a value too deep)."""
    if len(node["items"]) > MAX_ITEMS:
        raise ValueError(f"a container of more than {MAX_ITEMS} items cannot cross the sandbox boundary")
    return node
