"""Which files a run grades: the whole class folder, or a part of it merged into the class's results.

The results folder remembers the class folder it was graded from (class.json). A later run pointed at a
sub-folder or a single file of that class (a section, a regrade request) grades only those files and keeps
every other row; a run pointed at the class folder itself, or at a folder of another class, grades the
whole folder, as the first run did.
"""

import dataclasses
import json
import os
import pathlib

from .store import write_atomically

RECORD = "class.json"  # in the results folder: the class folder's absolute path, the roster's and the --id-pattern


@dataclasses.dataclass(frozen=True)
class Scope:
    """
    What one run grades.

    - root: the class folder; names of files are relative to it.
    - part: the sub-folder or file graded, relative to root ('' for the whole class).
    - note: a line for the log when the results folder changed class ('' otherwise).
    """

    root: pathlib.Path
    part: str = ""
    note: str = ""

    def covers(self, name):
        """Whether this run grades the file of that name (relative to root)."""
        return not self.part or name == self.part or name.startswith(self.part.rstrip("/") + "/")


def _record(results):
    """The results folder's record as a dict ({} when there is none or it cannot be read)."""
    try:
        record = json.loads((pathlib.Path(results) / RECORD).read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def recorded_class(results):
    """
    The class folder a results folder was graded from.

    Inputs:
    - results: the results folder.

    Returns:
    - an absolute path, or None (no record, or one that cannot be read).
    """
    folder = _record(results).get("submissions")
    return pathlib.Path(folder) if isinstance(folder, str) else None


def recorded_students(results):
    """
    How the class's earlier run told students apart: its roster and its --id-pattern.

    Inputs:
    - results: the results folder.

    Returns:
    - (the roster's absolute path or None, the pattern or None).
    """
    record = _record(results)
    roster, pattern = record.get("roster"), record.get("id_pattern")
    return (roster if isinstance(roster, str) else None), (pattern if isinstance(pattern, str) else None)


def scope_of(submissions, results):
    """
    Decide what a run grades from what it was pointed at and what the results folder holds.

    Inputs:
    - submissions: the folder or file the run was given; results: the results folder.

    Returns:
    - a Scope: within the recorded class folder, that part of the class; anything else, the whole folder
      (a single file outside a recorded class: its folder's class, that file only).
    """
    given = pathlib.Path(os.path.abspath(submissions))
    recorded = recorded_class(results)
    if recorded is not None and recorded.is_dir() and (given == recorded or recorded in given.parents):
        return Scope(recorded, "" if given == recorded else given.relative_to(recorded).as_posix())
    root = given if given.is_dir() else given.parent
    part = "" if given.is_dir() else given.name
    note = ""
    if recorded is not None and recorded != root:
        note = (f"{results} held the grades of {recorded}; it now holds those of {root} (a folder that is not "
                "part of that class is graded as a class of its own)")
    return Scope(root, part, note)


def remember(scope, results, roster=None, id_pattern=None):
    """
    Record in the results folder the class folder it holds grades of, and how its students were told apart, so
    that a later run of a part of the class (a section regraded without --roster) tells them apart alike.

    Inputs:
    - scope: the run's Scope; results: the results folder; roster: the roster file or None; id_pattern: the
      --id-pattern or None.
    """
    record = {"submissions": str(scope.root), "roster": os.path.abspath(roster) if roster else None,
              "id_pattern": id_pattern or None}
    write_atomically(pathlib.Path(results) / RECORD, json.dumps(record, indent=1) + "\n")
