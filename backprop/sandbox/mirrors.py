"""The objects one side shares with the other, by token, and the changes made to shared arrays."""

from .arrays import DTYPES, ndarray_type, array_from, array_state
from .errors import ProtocolError

NUMPY_REFUSALS = (ValueError, OverflowError, TypeError)  # what numpy raises for a geometry it cannot make


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
        if isinstance(obj, ndarray_type):
            self.synced[token] = array_state(obj)
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
            state = array_state(array)
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
            if not isinstance(array, ndarray_type):
                raise ProtocolError("a change names a non-array")
            try:
                new = array_from(change, buffers)
            except NUMPY_REFUSALS as error:  # a shape the checks let through but numpy refuses ([0, 2 ** 70], say)
                raise ProtocolError(f"bad array change ({type(error).__name__}: {error})") from None
            if new.shape != array.shape and new.size == array.size and array.flags.writeable:
                try:  # the other side reshaped it in place (b.shape = (1, -1)): so does this side's copy
                    array.shape = new.shape
                except (AttributeError, ValueError):  # a view that cannot be reshaped without copying
                    pass
            if new.shape == array.shape and new.dtype == array.dtype and array.flags.writeable:
                array[...] = new
            self.synced[change["token"]] = array_state(array)
