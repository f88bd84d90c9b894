"""Read a submitted file (a notebook, or the zip grader.export() makes) into a notebook, or say why not."""

import ast
import hashlib
import json
import lzma
import os
import pathlib
import stat
import zipfile
import zlib

import nbformat

MAX_NOTEBOOK_BYTES = 50 << 20
MAX_CELLS = 2000


class InvalidSubmission(Exception):
    """The file cannot be graded as this assignment; the message says why, for the student and the TA."""


def is_regular_file(path):
    """True for a regular file itself: not a symbolic link (to /dev/zero, say), a pipe, a device or a socket."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def file_hash(path):
    """
    The SHA-256 of a file, read in chunks (a huge upload must not fill memory).

    Inputs:
    - path: the file.

    Returns:
    - the hex digest; '' for what is not a regular file, which is never opened (reading a link to /dev/zero,
      or a pipe, would never end), and for a file that cannot be read.
    """
    if not is_regular_file(path):
        return ""
    digest = hashlib.sha256()
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:  # unreadable (permissions): never reused; reading it for grading says why
        return ""
    return digest.hexdigest()


def read_notebook(path, expected_name=None):
    """
    The notebook in a submitted file.

    Inputs:
    - path: a .ipynb file, or a .zip holding one notebook (otter's export).
    - expected_name: the assignment's notebook name, preferred when a zip holds several (None: no preference).

    Returns:
    - an nbformat v4 notebook.
    """
    path = pathlib.Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".ipynb", ".zip"):
        raise InvalidSubmission(f"{path.name} is not a .ipynb notebook or a .zip made by grader.export()")
    mode = os.lstat(path).st_mode  # a file gone since it was listed raises OSError: "cannot be read"
    if stat.S_ISLNK(mode):  # it could point at anything the grader can read
        raise InvalidSubmission("the file is a symbolic link: submit the notebook itself")
    if not stat.S_ISREG(mode):  # a pipe or a device: opening or reading it may never end
        raise InvalidSubmission("the file is not a regular file (a pipe, a device or a socket): submit the notebook itself")
    if path.stat().st_size == 0:
        raise InvalidSubmission("the file is empty (0 bytes): was the notebook saved before uploading?")
    data = _from_zip(path, expected_name) if suffix == ".zip" else _read_capped(path)
    return parse_notebook(data)


def _read_capped(path):
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise InvalidSubmission(f"the notebook is larger than {MAX_NOTEBOOK_BYTES >> 20} MB: clear its outputs")
    return path.read_bytes()


def _from_zip(path, expected_name):
    with open(path, "rb") as handle:  # a file that cannot be opened raises OSError: "cannot be read"
        return _notebook_in_zip(handle, expected_name)


def _notebook_in_zip(handle, expected_name):
    """The bytes of the notebook in an open zip file; a damaged or odd archive is InvalidSubmission."""
    try:
        with zipfile.ZipFile(handle) as archive:
            notebooks = [info for info in archive.infolist()
                         if info.filename.lower().endswith(".ipynb") and not info.is_dir()
                         and "__MACOSX" not in info.filename and ".ipynb_checkpoints" not in info.filename]
            if not notebooks:
                raise InvalidSubmission("the zip holds no .ipynb notebook")
            if len(notebooks) > 1:
                named = [info for info in notebooks if pathlib.PurePosixPath(info.filename).name == expected_name]
                if len(named) != 1:
                    names = ", ".join(sorted(info.filename for info in notebooks))
                    raise InvalidSubmission(f"the zip holds several notebooks ({names}); submit one")
                notebooks = named
            if notebooks[0].file_size > MAX_NOTEBOOK_BYTES:
                raise InvalidSubmission(f"the notebook in the zip is larger than {MAX_NOTEBOOK_BYTES >> 20} MB")
            with archive.open(notebooks[0]) as member:
                return member.read(MAX_NOTEBOOK_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, zlib.error,
            lzma.LZMAError, OSError, ValueError) as error:
        # RuntimeError: encrypted; zlib.error, LZMAError and OSError (bz2's "Invalid data stream"): a corrupt
        # compressed stream; OSError also: a damaged header pointing before the file's start; ValueError
        # (UnicodeDecodeError): a member name flagged UTF-8 that is not
        raise InvalidSubmission(f"the file is not a readable zip ({error})") from None


def _cells(content):
    """
    The cells of a notebook's JSON, in any nbformat: a list (v4), or the cells of its worksheets (v3).

    Inputs:
    - content: the parsed JSON.

    Returns:
    - a list, or None when the JSON has no cells where a notebook keeps them.
    """
    if not isinstance(content, dict):
        return None
    if "cells" in content or "worksheets" not in content:
        cells = content.get("cells", [])
        return cells if isinstance(cells, list) else None
    worksheets = content["worksheets"]
    if not isinstance(worksheets, list) or not all(
            isinstance(sheet, dict) and isinstance(sheet.get("cells", []), list) for sheet in worksheets):
        return None
    return [cell for sheet in worksheets for cell in sheet.get("cells", [])]


def parse_notebook(data):
    """
    Parse notebook bytes, with a message a student understands when they are not a notebook.

    Inputs:
    - data: the file's bytes.

    Returns:
    - an nbformat v4 notebook (older formats, such as v3's worksheets, are converted).
    """
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidSubmission("the file is not text (UTF-8): is it really a .ipynb notebook?") from None
    except json.JSONDecodeError as error:
        raise InvalidSubmission(f"the file is not valid notebook JSON ({error.msg} at line {error.lineno}, "
                                f"column {error.colno}): was it edited outside Jupyter or cut short?") from None
    except (ValueError, RecursionError, MemoryError) as error:  # a 5000-digit number, nesting 100000 deep...
        raise InvalidSubmission(f"the file is not a notebook Jupyter could have written ({type(error).__name__})") from None
    cells = _cells(content)
    if cells is None or "nbformat" not in content:
        raise InvalidSubmission("the file is JSON but not a Jupyter notebook (no nbformat and cells)")
    if len(cells) > MAX_CELLS:
        raise InvalidSubmission(f"the notebook has {len(cells)} cells, more than the {MAX_CELLS} "
                                "the grader reads")
    try:
        notebook = nbformat.reads(json.dumps(content), as_version=4)
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        raise InvalidSubmission(f"the notebook cannot be read ({type(error).__name__}: {error})") from None
    for cell in notebook.cells:
        if not isinstance(cell, dict) or not isinstance(cell.get("source", ""), str):
            raise InvalidSubmission("the notebook has a malformed cell")
    return notebook


def defined_names(sources):
    """
    The names some code defines or assigns, at any depth: functions, classes, variables.

    Inputs:
    - sources: Python sources (a source that does not parse is skipped).

    Returns:
    - a set of names.
    """
    defined = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
    return defined


def check_assignment(cells, functions):
    """
    Refuse a notebook that has no code, or that defines none of the assignment's functions.

    Inputs:
    - cells: the definition cells, (index, source) pairs.
    - functions: the names the assignment asks for.
    """
    if not any(source.strip() for _, source in cells):
        raise InvalidSubmission("the notebook has no code cells")
    if not defined_names(source for _, source in cells) & set(functions):
        raise InvalidSubmission("the notebook defines none of this assignment's questions ("
                                + ", ".join(functions) + "): is it the right notebook?")
