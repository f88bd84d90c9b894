"""The assignments a grader knows (autograder/<name>/assignment.json), and which one a submitted notebook is."""

import functools
import json
import pathlib

from .notebook_code import definition_cells
from .submission import InvalidSubmission, defined_names, read_notebook

DESCRIPTION = "assignment.json"


def describe(autograder_dir):
    """
    An assignment's description, as `make assign` wrote it: read once per process (again if it changed on disk),
    as every file graded asks for it.

    Inputs:
    - autograder_dir: the assignment's autograder folder (autograder/<name>).

    Returns:
    - a dict (shared: not to be changed): name, title, notebook, questions (in notebook order), points (per
      question), total, files, gradescope.
    """
    path = (pathlib.Path(autograder_dir) / DESCRIPTION).resolve()
    try:
        return _read_description(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing: is {autograder_dir} an autograder folder made by "
                                "`make assign`?") from None


@functools.lru_cache(maxsize=None)
def _read_description(path, mtime):
    return json.loads(pathlib.Path(path).read_text())


def course(autograder, names=()):
    """
    The assignments in an autograder folder: the folder itself when it is one assignment's, else its sub-folders.

    Inputs:
    - autograder: autograder/ (every assignment) or autograder/<name> (one).
    - names: the assignments wanted (empty for every one); an unknown name raises ValueError listing the known.

    Returns:
    - dict name -> autograder folder, sorted by name.
    """
    autograder = pathlib.Path(autograder).resolve()
    folders = [autograder] if (autograder / DESCRIPTION).is_file() else sorted(
        path for path in autograder.iterdir() if (path / DESCRIPTION).is_file()) if autograder.is_dir() else []
    found = {}
    for path in folders:
        name = describe(path)["name"]
        if name in found:  # a backup copy of a folder, say: which one grades must never be a guess
            raise ValueError(f"two folders describe the assignment {name!r}: {found[name]} and {path}; keep one")
        found[name] = path
    if not found:
        raise ValueError(f"no assignment in {autograder}: run `make assign` first")
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ValueError(f"no assignment {unknown[0]!r} in {autograder}; there are: {', '.join(found)}")
    return {name: folder for name, folder in found.items() if not names or name in names}


def recognize(notebook, file_name, descriptions):
    """
    Which assignment a submitted notebook is.

    In order: the name the generator put in the notebook's metadata (it survives renaming and copying the
    file); else the assignment whose name the file's name starts with (the longest); else the one whose
    questions the notebook defines the most of. A claim by metadata or name yields to the questions when the
    notebook defines none of the claimed assignment's questions and some of another's (metadata is easy to
    copy from the wrong file).

    Inputs:
    - notebook: the submitted notebook (nbformat v4); file_name: its file's name.
    - descriptions: dict name -> description (see describe).

    Returns:
    - the assignment's name; InvalidSubmission when none fits, or two fit equally.
    """
    defined = defined_names(source for _, source in definition_cells(notebook))
    overlap = {name: len(defined & set(description["questions"])) for name, description in descriptions.items()}
    metadata = notebook.get("metadata", {})
    tagged = metadata.get("backprop", {}).get("assignment") if isinstance(metadata.get("backprop"), dict) else None
    stem = pathlib.PurePosixPath(file_name).name.lower()
    claims = ([tagged] if isinstance(tagged, str) and tagged in descriptions else []) + sorted(
        (name for name in descriptions if stem.startswith(name.lower())), key=len, reverse=True)
    for claim in claims:
        if overlap[claim] or not any(overlap.values()):
            return claim
    best = max(overlap.values(), default=0)
    winners = [name for name, count in overlap.items() if count == best]
    if best == 0:
        raise InvalidSubmission("this notebook is none of the assignments (" + ", ".join(descriptions)
                                + "): it defines none of their questions; is it the right file?")
    if len(winners) > 1:
        raise InvalidSubmission(f"this notebook could be {' or '.join(winners)}: it defines as many questions of "
                                "each; submit the assignment's own notebook")
    return winners[0]


def read_any(path, descriptions):
    """
    A submitted file's notebook, for sorting: a zip holding several notebooks is read for the one named as an
    assignment's notebook.

    Inputs:
    - path: the file; descriptions: dict name -> description.

    Returns:
    - the notebook; InvalidSubmission (or OSError) when it cannot be read.
    """
    try:
        return read_notebook(path)
    except InvalidSubmission as reason:
        if "several notebooks" not in str(reason):
            raise
        for description in descriptions.values():
            try:
                return read_notebook(path, description["notebook"])
            except InvalidSubmission:
                continue
        raise
