"""Arrays as bytes: the dtypes that may cross, and the checks on the way in.

NumPy's functions are bound once, at import: in the sandbox, student code may
later replace numpy's attributes, and these helpers must not change with them.
"""

import math

import numpy as np

from .errors import ProtocolError

DTYPES = frozenset(np.dtype(code).str for code in
                   ("?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"))
ndarray_type, generic_type = np.ndarray, np.generic
as_array, from_buffer, shares_memory, dtype_of = np.asarray, np.frombuffer, np.shares_memory, np.dtype
MAX_DEPTH = 32
MAX_ITEMS = 100_000


def array_state(array):
    """An array's shape, dtype and bytes: compared with builtins only, whatever numpy's attributes become."""
    return array.shape, array.dtype.str, array.tobytes(order="C")


def add_buffer(buffers, array):
    """Append an array's bytes (C order) to a message's buffers; returns their index."""
    buffers.append(array.tobytes(order="C"))
    return len(buffers) - 1


def array_from(node, buffers):
    """
    The array a message node describes, after checking its dtype, shape, buffer index and size.

    Inputs:
    - node: {"dtype", "shape", "buf"}; buffers: the message's byte buffers.

    Returns:
    - a new writable ndarray; anything malformed raises ProtocolError.
    """
    dtype, shape, index = node.get("dtype"), node.get("shape"), node.get("buf")
    if dtype not in DTYPES:
        raise ProtocolError(f"dtype {dtype!r} is not allowed")
    if (not isinstance(shape, list) or len(shape) > 32
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
        raise ProtocolError("bad shape")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(buffers):
        raise ProtocolError("bad buffer index")
    dtype = dtype_of(dtype)
    if math.prod(shape) * dtype.itemsize != len(buffers[index]):
        raise ProtocolError("array size does not match its bytes")
    return from_buffer(buffers[index], dtype=dtype).reshape(shape).copy()


def view_of(base, node, data):
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
