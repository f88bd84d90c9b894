"""The assignments a grader knows (autograder/<name>/assignment.json), and which one a submitted notebook is."""

import json
import pathlib

from .submission import InvalidSubmission, defined_names, read_notebook

DESCRIPTION = "assignment.json"


def describe(autograder_dir):
    """
    An assignment's description, as `make assign` wrote it.

    Inputs:
    - autograder_dir: the assignment's autograder folder (autograder/<name>).

    Returns:
    - a dict: name, title, notebook, questions (in notebook order), points (per question), total, gradescope.
    """
    path = pathlib.Path(autograder_dir) / DESCRIPTION
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing: is {autograder_dir} an autograder folder made by "
                                "`make assign`?") from None


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
    if (autograder / DESCRIPTION).is_file():
        found = {describe(autograder)["name"]: autograder}
    else:
        found = {describe(path)["name"]: path for path in sorted(autograder.iterdir())
                 if (path / DESCRIPTION).is_file()} if autograder.is_dir() else {}
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
    questions the notebook defines the most of.

    Inputs:
    - notebook: the submitted notebook (nbformat v4); file_name: its file's name.
    - descriptions: dict name -> description (see describe).

    Returns:
    - the assignment's name; InvalidSubmission when none fits, or two fit equally.
    """
    metadata = notebook.get("metadata", {})
    tagged = metadata.get("backprop", {}).get("assignment") if isinstance(metadata.get("backprop"), dict) else None
    if isinstance(tagged, str) and tagged in descriptions:
        return tagged
    stem = pathlib.PurePosixPath(file_name).name.lower()
    named = sorted((name for name in descriptions if stem.startswith(name.lower())), key=len)
    if named:
        return named[-1]
    defined = defined_names(cell.get("source", "") for cell in notebook.cells if cell.get("cell_type") == "code")
    overlap = {name: len(defined & set(description["questions"])) for name, description in descriptions.items()}
    best = max(overlap.values(), default=0)
    winners = [name for name, count in overlap.items() if count == best]
    if best == 0:
        raise InvalidSubmission("this notebook is none of the assignments (" + ", ".join(descriptions)
                                + "): it defines none of their questions; is it the right file?")
    if len(winners) > 1:
        raise InvalidSubmission(f"this notebook could be {' or '.join(winners)}: it defines as many questions of "
                                "each; submit the assignment's own notebook")
    return winners[0]


def sort_files(folder, names, descriptions, wanted):
    """
    Sort a folder's submitted files by assignment.

    Inputs:
    - folder: the submissions folder; names: its files, relative paths.
    - descriptions: dict name -> description of every assignment; wanted: the names to grade (at least one).

    Returns:
    - (dict wanted assignment -> its files, in order; list of (file, reason) that fit no assignment; list of
      files of other assignments). With one assignment, every file is its own; with one wanted, so is every
      file that fits none: each gets its row there, with the reason.
    """
    by_assignment = {name: [] for name in wanted}
    unrecognized, others = [], []
    for name in names:
        if len(descriptions) == 1:
            by_assignment[next(iter(descriptions))].append(name)
            continue
        try:
            notebook = read_notebook(pathlib.Path(folder) / name)
            found = recognize(notebook, name, descriptions)
        except InvalidSubmission as reason:
            found, why = None, str(reason)
        except OSError as error:
            found, why = None, f"the file cannot be read ({error.strerror or error})"
        if found is None and len(wanted) == 1:
            found = wanted[0]
        if found is None:
            unrecognized.append((name, why))
        elif found in by_assignment:
            by_assignment[found].append(name)
        else:
            others.append(name)
    return by_assignment, unrecognized, others
