"""Strategies the fuzz properties share: odd text, JSON, notebooks in every nbformat, files, Python values.

Values are drawn as Python source (expressions over tests/fixtures/fuzz/values.py), so that the same draws
serve a notebook graded in the sandbox and the codec tested in this process.
"""

import io
import json
import os
import warnings
import zipfile

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from conftest import COURSE_SAMPLES, FIXTURES

VALUES_PRELUDE = FIXTURES / "fuzz" / "values.py"
# the fixture course's short_answers notebook, solved, untouched, and in nbformat 3
SEEDS = [COURSE_SAMPLES / "solved.ipynb", COURSE_SAMPLES / "untouched.ipynb", COURSE_SAMPLES / "solved.nbformat3.ipynb"]
HOSTILE_CELLS = sorted((FIXTURES / "cells").glob("*.py"))


def examples(share):
    """
    A share of the current profile's max_examples, at least 2: the slow properties try fewer inputs.

    Inputs:
    - share: a fraction (0.1: a tenth).

    Returns:
    - an int for settings(max_examples=...).
    """
    return max(2, round(settings.default.max_examples * share))


# -- text ----------------------------------------------------------------------------------------------------
ODD_CHARACTERS = ["\x00", "\ud800", "\udcff", "\udfff", "\u202e", "\r", "\n", "\r\n", "\x1b[31m", "\ufeff", "\x7f",
                  "\U0001d518", "\t", "=", "+", "-", "@", "|", "'", '"', "\\", "é", "\u0301", "#", "%", "!", "`"]
odd_pieces = st.one_of(st.characters(), st.sampled_from(ODD_CHARACTERS))


def odd_strings(min_size=0, max_size=40):
    """Text mixing any characters with the odd ones (lone surrogates, NUL, escapes, line breaks, formula signs)."""
    return st.lists(odd_pieces, min_size=min_size, max_size=max_size).map("".join)


odd_text = odd_strings()

# -- JSON ----------------------------------------------------------------------------------------------------
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), odd_text)
json_values = st.recursive(json_scalars, lambda children: st.one_of(
    st.lists(children, max_size=6), st.dictionaries(odd_text, children, max_size=6)), max_leaves=40)


@st.composite
def json_bytes(draw, values=json_values):
    """
    A JSON document as a file's bytes: any value, any escaping and indentation, sometimes a BOM or UTF-16, or
    nested past any parser's depth limit.
    """
    value = draw(values)
    if draw(st.integers(0, 19)) == 0:  # nesting far too deep for a recursive parser
        depth = draw(st.sampled_from([100, 1000, 100_000]))
        kind = draw(st.sampled_from(["[", '{"a":']))
        close = "]" if kind == "[" else "}"
        return (kind * depth + json.dumps(value) + close * depth).encode()
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
    if draw(st.integers(0, 19)) == 0:  # a number with more digits than Python converts (drawn as text: hypothesis
        text = f"[{'9' * 5000}, {text}]"  # cannot print such an int in its own reports)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


def any_json(value_strategy):
    """The values of a strategy, or now and then any JSON in their place."""
    return st.one_of(value_strategy, value_strategy, value_strategy, json_values)


# -- notebooks -------------------------------------------------------------------------------------------------
ROLES = ["check", "exploration", "tests", "instructor", "otter", "solution", "", "\ud800"]
source_lines = st.one_of(odd_text, st.sampled_from(
    ["def f(x):\n", "    return x\n", "%matplotlib inline\n", "!pip install numpy\n", "%%time\n", "import otter\n",
     "grader = otter.Notebook()\n", "grader.check('q1')\n", "x = (\n", "'''\n", "?\n", "f??\n", "%%bash\n",
     "import numpy as np\n", "def double(x): return x\n", "\\\n", "lambda: (yield)\n", "async def g(): await x\n"]))
cell_sources = st.one_of(odd_strings(max_size=200), st.lists(source_lines, max_size=8).map("".join))
sources = any_json(st.one_of(cell_sources, st.lists(any_json(source_lines), max_size=6)))
metadata = any_json(st.fixed_dictionaries({}, optional={
    "tags": any_json(st.lists(any_json(st.sampled_from(ROLES)), max_size=3)),
    "deletable": st.booleans(), "name": odd_text, "trusted": st.booleans()}))
outputs = st.lists(st.fixed_dictionaries({"output_type": any_json(st.sampled_from(
    ["stream", "execute_result", "display_data", "error", "pyout"]))}, optional={
    "name": st.sampled_from(["stdout", "stderr"]), "text": sources, "data": any_json(st.just({})),
    "execution_count": any_json(st.integers(0, 5)), "metadata": metadata, "ename": odd_text, "traceback": sources}),
    max_size=2)


def v4_cell():
    """A cell of nbformat 4, with any field now and then of the wrong type, missing or extra."""
    return any_json(st.fixed_dictionaries(
        {"cell_type": any_json(st.sampled_from(["code", "code", "markdown", "raw", "heading"])),
         "source": sources, "metadata": metadata},
        optional={"outputs": any_json(outputs), "execution_count": any_json(st.none() | st.integers(0, 9)),
                  "id": any_json(odd_text), "attachments": json_values}))


def v3_cell():
    """A cell of nbformat 1 to 3 (input rather than source; headings with a level)."""
    return any_json(st.fixed_dictionaries(
        {"cell_type": any_json(st.sampled_from(["code", "code", "markdown", "heading", "raw"]))},
        optional={"input": sources, "source": sources, "language": any_json(st.just("python")),
                  "collapsed": st.booleans(), "level": any_json(st.integers(1, 6)), "outputs": any_json(outputs),
                  "prompt_number": any_json(st.integers(0, 9)), "metadata": metadata}))


nbformats = any_json(st.sampled_from([1, 2, 3, 4, 4, 4, 5, "4", 4.0, -1, 2 ** 64, True]))
minors = any_json(st.integers(-1, 10))


@st.composite
def notebook_json(draw):
    """A notebook's JSON in any nbformat's shape (v4 cells, v1-v3 worksheets), now and then malformed anywhere."""
    shape = draw(st.sampled_from(["v4", "v4", "v3", "v1"]))
    content = {"nbformat": draw(nbformats), "nbformat_minor": draw(minors), "metadata": draw(any_json(
        st.fixed_dictionaries({}, optional={"kernelspec": json_values, "language_info": json_values,
                                            "name": odd_text, "otter": json_values})))}
    if shape == "v4":
        content["cells"] = draw(any_json(st.lists(v4_cell(), max_size=6)))
    elif shape == "v3":
        content["worksheets"] = draw(any_json(st.lists(any_json(st.fixed_dictionaries(
            {"cells": any_json(st.lists(v3_cell(), max_size=5))}, optional={"metadata": metadata})), max_size=2)))
    else:
        content["cells"] = draw(any_json(st.lists(v3_cell(), max_size=5)))
    for key in draw(st.lists(st.sampled_from(sorted(content)), max_size=2, unique=True)):
        del content[key]
    return content


def _paths(value, prefix=()):
    """Every path (a tuple of keys and indices) into a JSON value, the root included."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, prefix + (key,))


@st.composite
def mutated_notebook(draw):
    """A real notebook (a sample submission, or an nbformat 3 one) with a few parts replaced by any JSON, or deleted."""
    content = json.loads(draw(st.sampled_from(SEEDS)).read_text())
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(content))
        path = paths[draw(st.integers(0, len(paths) - 1))]
        if not path:
            continue
        parent = content
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return content


notebook_bytes = st.one_of(json_bytes(st.one_of(notebook_json(), mutated_notebook())))


@st.composite
def zip_bytes(draw):
    """A zip archive (as grader.export() makes, or not): members of any name, content and compression; maybe damaged."""
    members = draw(st.lists(st.tuples(
        st.one_of(st.sampled_from(["short_answers.ipynb", "other.ipynb", "notes.txt", "__MACOSX/._short_answers.ipynb",
                                   "sub/short_answers.ipynb", ".ipynb_checkpoints/x-checkpoint.ipynb", "dir.ipynb/"]),
                  odd_strings(1, 20)),
        st.one_of(notebook_bytes, st.binary(max_size=200), st.sampled_from([b"", b"{}", b"\0" * 100_000]))),
        max_size=4))
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members:
            try:
                with warnings.catch_warnings():  # a name twice is one of the odd archives wanted
                    warnings.simplefilter("ignore", UserWarning)
                    archive.writestr(name.encode("utf-8", "surrogatepass").decode("utf-8", "replace"), data)
            except (ValueError, IndexError):  # a name zipfile refuses, or cuts to nothing at a NUL
                continue
    data = bytearray(buffer.getvalue())
    for _ in range(draw(st.integers(0, 3)) if data else 0):  # damage: flip bytes anywhere (headers, sizes, flags)
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if data and draw(st.integers(0, 9)) == 0:
        data = data[:draw(st.integers(0, len(data) - 1))]
    return bytes(data)


# -- file names -------------------------------------------------------------------------------------------------
def _file_name(raw, suffix=""):
    """A file name os.walk could give for these bytes: at most 255 bytes, not UTF-8 ones surrogate-escaped."""
    name = os.fsdecode(raw.replace(b"/", b"_").replace(b"\0", b"_")[:255 - len(suffix)]) + suffix
    return name if name not in (".", "..") else f"_{name}"


name_bytes = st.one_of(odd_strings(1, 30).map(lambda text: text.encode("utf-8", "replace")),
                       st.binary(min_size=1, max_size=40), st.binary(min_size=240, max_size=300))
submission_names = st.builds(lambda folders, raw, suffix: "/".join([_file_name(folder) for folder in folders]
                                                                   + [_file_name(raw, suffix)]),
                             st.lists(name_bytes, max_size=2), name_bytes,
                             st.sampled_from([".ipynb", ".zip", ".IPYNB", ""]))


# -- Python values, as source ------------------------------------------------------------------------------------
ALLOWED_DTYPES = ["<f8", "<f4", "<f2", "<c16", "<c8", "<i8", "<i4", "<i2", "|i1", "<u8", "<u4", "<u2", "|u1", "|b1"]
ODD_DTYPES = [">f8", ">i4", ">c16", "<f16", "<c32", "<M8[ns]", "<M8[D]", "<m8[s]", "<U3", "|S2", "|V4", "|O",
              "[('a', '<i4'), ('b', '>f8')]", "[('x', '<f8', (2,))]"]
LITERALS = ["None", "True", "False", "0", "-1", "2 ** 63", "-(2 ** 64)", "2 ** 100_000", "10 ** 4000", "1.5", "-0.0",
            "float('nan')", "float('inf')", "-float('inf')", "1e308 * 10", "5e-324", "1j", "complex('nan+infj')",
            "''", "'\\ud800'", "'caf\\udcff'", "'\\x00' * 3", "'\\x1b[2J'", "'=cmd|calc'", "'x' * 1_000_000",
            "b'\\xff'", "bytearray(3)", "memoryview(b'ab')", "...", "NotImplemented", "range(3)", "slice(1)", "{1, 2}",
            "frozenset()", "print", "len", "np", "int", "type", "object()", "Opaque()", "BrokenDunders()",
            "PretendTuple()", "RaisingList([1])", "RaisingDict(a=1)", "OddName()", "broken_array()",
            "BadMessage()", "ValueError('x')", "generator()", "(i for i in [])", "lambda *a, **k: a",
            "Point(1, np.ones(2))", "collections.OrderedDict(a=np.zeros(2))", "collections.defaultdict(list)",
            "np.float16(1.5)", "np.float64('nan')", "np.int64(-1)", "np.uint64(2 ** 64 - 1)", "np.bool_(True)",
            "np.complex64(1j)", "np.longdouble(1)", "np.datetime64('2000-01-01')", "np.timedelta64(3, 's')",
            "np.str_('x')", "np.bytes_(b'x')", "np.void(b'ab')", "np.array(5.0)", "np.array(np.nan)",
            "np.array([], dtype=object)", "np.array([1, 'a', None], dtype=object)", "np.empty((0, 3))",
            "np.empty((3, 0, 2), dtype='<i4')", "np.arange(24.0).reshape(2, 3, 4)", "np.zeros(1 << 20, dtype='<u1')",
            "nested(30)", "nested(33)", "nested(1000)", "nested(31, kind='tuple')", "nested(40, kind='dict')",
            "cyclic()", "cyclic('tuple')", "cyclic('dict')", "{'a': 1, 2: 'b', None: 3, 1.5: 4, True: 5}",
            "{(1, 2): 'tuple key'}", "{float('nan'): 1}", "{frozenset(): 1}", "dict(a=np.ones((2, 2)), b=[1, 2])",
            "list(range(100_001))", "[np.zeros(2)] * 3"]
SANDBOX_ONLY = ["ExitingList([1])", "np.zeros((3000, 3000))", "np.zeros(10 ** 10)", "list(range(10 ** 8))",
                "np.broadcast_to(1.0, (10 ** 5, 10 ** 5))", "'x' * (10 ** 9)", "nested(10 ** 6)"]
ARGUMENTS = ["args", "kwargs", "args[0] if args else None", "view(args[0], 'reversed') if args else None",
             "args[-1] if args else None", "(args, kwargs)",
             "args[0].reshape(-1) if args and hasattr(args[0], 'reshape') else 0"]


@st.composite
def array_source(draw):
    """An array expression: any dtype, shape and bytes, then a view or variant of it (strided, broadcast...)."""
    dtype = draw(st.sampled_from(ALLOWED_DTYPES + ALLOWED_DTYPES + ODD_DTYPES))
    shape = tuple(draw(st.lists(st.integers(0, 6), max_size=4)))
    if draw(st.integers(0, 9)) == 0:
        shape = draw(st.sampled_from([(0,), (1,), (100_000,), (500, 500), (0, 10 ** 6), (1,) * 30]))
    data = draw(st.one_of(st.none(), st.binary(min_size=1, max_size=64)))
    text = f"array({dtype if dtype.startswith('[') else repr(dtype)}, {shape!r}, {data!r})"
    for how in draw(st.lists(st.sampled_from(VIEW_NAMES), max_size=2)):
        text = f"view({text}, {how!r})"
    return text


KEYS = ["'a'", "'\\ud800'", "0", "-1", "1.5", "None", "True", "float('nan')", "(1, 2)", "''"]


def value_sources(huge=False, arguments=False):
    """
    Python expressions for values of every kind: scalars, odd strings, objects with broken dunders, arrays of any
    dtype and strides, containers deep, cyclic or shared.

    Inputs:
    - huge: include values too big for this process, or that end it (only for the sandbox, which has limits).
    - arguments: include expressions of the function's args and kwargs (inside a generated function).

    Returns:
    - a strategy of source strings (evaluated with values.py's names, np and collections in scope).
    """
    leaves = [st.sampled_from(LITERALS), array_source(), st.integers().map(repr), st.floats().map(_float_source),
              odd_text.map(repr)]
    if huge:
        leaves.append(st.sampled_from(SANDBOX_ONLY))
    if arguments:
        leaves.append(st.sampled_from(ARGUMENTS))
    return st.recursive(st.one_of(leaves), lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(children, max_size=4).map(lambda items: "(" + "".join(item + ", " for item in items) + ")"),
        st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=4).map(
            lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"),
        st.tuples(st.integers(0, 40), children, st.sampled_from(["list", "tuple", "dict"])).map(
            lambda args: f"nested({args[0]}, {args[1]}, {args[2]!r})"),
        children.map(lambda item: f"same_twice({item})"),
        children.map(lambda item: f"RaisingList([{item}])"),
        children.map(lambda item: f"Point({item}, {item})")), max_leaves=8)


def _float_source(value):
    """A float as an expression (repr gives nan and inf, which are not Python literals)."""
    return f"float({str(value)!r})"


def prelude_namespace():
    """The names value expressions use: values.py's helpers, np and collections (a fresh namespace each call)."""
    namespace = {"__name__": "fuzz_values"}
    exec(compile(VALUES_PRELUDE.read_text(), str(VALUES_PRELUDE), "exec"), namespace)
    return namespace


VIEW_NAMES = sorted(prelude_namespace()["VIEWS"])


# -- value trees, as the other side of the pipe may send them ------------------------------------------------------
KNOWN_TOKENS = list(range(10))  # tokens the receiving side already shares, in the tests that use trees()
tokens = st.one_of(st.sampled_from(KNOWN_TOKENS), st.integers(), st.integers(10, 40),
                   st.sampled_from([True, None, "1", 1.0]))
dtype_names = st.one_of(st.sampled_from(ALLOWED_DTYPES + ODD_DTYPES), odd_text)
numbers = st.one_of(st.integers(-3, 8), st.integers(), st.floats(), st.booleans(), st.none(),
                    st.sampled_from([2 ** 31, 2 ** 63, 2 ** 64, 2 ** 70, -(2 ** 70)]))


ODD_SHAPES = [[0, 2 ** 70], [2 ** 63, 0], [0, 2 ** 64, 2], [0] * 33, [1] * 32, [0, -1]]


@st.composite
def array_nodes(draw, buffers):
    """
    An array node: half of them with a buffer of the size their dtype and shape say (so that the shape, view,
    offset and strides are what gets checked), added to the message's buffers; the others wrong anywhere.
    """
    if draw(st.booleans()):
        dtype = draw(st.sampled_from(ALLOWED_DTYPES))
        shape = draw(st.one_of(st.lists(st.integers(0, 4), max_size=4), st.sampled_from(ODD_SHAPES)))
        size = int(np.prod([n if 0 <= n <= 4 else 0 for n in shape] or [1])) * np.dtype(dtype).itemsize
        if any(n < 0 for n in shape) or len(shape) > 32:
            size = 0
        buffers.append(draw(st.binary(min_size=size, max_size=size)))
        node = {"t": "array", "dtype": dtype, "shape": shape, "buf": len(buffers) - 1, "token": draw(tokens)}
        strides = st.lists(numbers, min_size=len(shape), max_size=len(shape))
    else:
        buffers.append(draw(st.binary(max_size=40)))
        node = {"t": "array", "dtype": draw(dtype_names), "buf": draw(numbers), "token": draw(tokens),
                "shape": draw(st.one_of(st.lists(st.integers(0, 4), max_size=4), st.lists(numbers, max_size=40),
                                        numbers))}
        strides = st.lists(numbers, max_size=4)
    for key, strategy in [("scalar", st.one_of(st.booleans(), numbers)), ("view_of", tokens), ("offset", numbers),
                          ("strides", strides)]:
        if draw(st.booleans()):
            node[key] = draw(strategy)
    return node


@st.composite
def trees(draw, buffers, depth=0):
    """
    A value tree as the other side might send it: well-formed, or wrong anywhere; array nodes whose buffers, added
    to the message's buffers, match their size or not.
    """
    kinds = ["scalar", "json", "array", "ref", "complex", "handle"] + (["container"] * 3 if depth < 6 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "scalar":
        return draw(st.one_of(numbers, odd_text))
    if kind == "json":
        return draw(json_values)
    if kind == "ref":
        return {"t": "ref", "token": draw(tokens)}
    if kind == "complex":
        return {"t": "complex", "re": draw(numbers), "im": draw(numbers)}
    if kind == "handle":
        node = {"t": "handle", "token": draw(tokens), "type": draw(st.one_of(odd_text, numbers))}
        if draw(st.booleans()):
            node.update(callable=draw(st.one_of(st.booleans(), numbers)), name=draw(st.one_of(odd_text, numbers)))
        return node
    if kind == "array":
        return draw(array_nodes(buffers))
    container = draw(st.sampled_from(["tuple", "list", "dict", "bogus"]))
    items = draw(st.lists(trees(buffers, depth + 1), max_size=4))
    if container == "dict" and draw(st.booleans()):
        items = [[draw(st.one_of(odd_text, numbers, json_values)), item] for item in items]
    node = {"t": container, "items": items}
    if draw(st.booleans()):
        node.update(token=draw(tokens), type=draw(st.one_of(odd_text, numbers)))
    return node
