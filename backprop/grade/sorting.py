"""Sort a folder's submitted files by assignment, in the grading workers (capped memory, time limits).

Reading a file to tell its assignment parses student bytes: a small zip can
unpack into a notebook whose cells take gigabytes to parse. So it happens
where grading does, in worker processes whose memory is capped, under a time
limit, a file at a time; a file that is too costly to read fits no assignment,
with the reason, and costs nothing else.
"""

import functools
import pathlib
import time

from backprop.sandbox.deadline import ran_out, time_limit

from .assignments import read_any, recognize
from .batch import HARD_LIMIT_MARGIN, in_pool
from .submission import InvalidSubmission


def _classify(name, folder, descriptions, seconds):
    """In a worker: one file's assignment, or why it has none, as a dict (submission, assignment, reason)."""
    found, reason = None, ""
    started = time.monotonic()
    try:
        with time_limit(seconds):
            found = recognize(read_any(pathlib.Path(folder) / name, descriptions), name, descriptions)
    except InvalidSubmission as error:
        reason = str(error)
    except OSError as error:
        reason = f"the file cannot be read ({error.strerror or error})"
    except MemoryError:
        reason = "reading the notebook needs more memory than the grader allows"
    except Exception as error:  # IPython could not translate a cell, say, or the time ran out: fits nothing, with why
        reason = (f"reading the notebook took more than {seconds:g} s" if ran_out(error, started, seconds)
                  else f"the notebook's code cannot be read ({type(error).__name__})")
    return {"submission": name, "assignment": found, "reason": reason}


def sort_files(folder, names, descriptions, wanted, limits, jobs=None):
    """
    Sort a folder's submitted files by assignment.

    Inputs:
    - folder: the submissions folder; names: its files, relative paths.
    - descriptions: dict name -> description of every assignment; wanted: the names to grade (at least one).
    - limits: the grading Limits (a worker's memory follows memory_mb; a file may take call_seconds to read);
      jobs: worker processes.

    Returns:
    - (dict wanted assignment -> its files, in order; list of (file, reason) not graded here: files that fit
      no assignment, and files of an assignment not wanted). With one assignment, every file is its own; with
      one wanted, so is every file that fits none: each gets its row there, with the reason.
    """
    by_assignment = {name: [] for name in wanted}
    if len(descriptions) == 1:
        by_assignment[next(iter(descriptions))] = list(names)
        return by_assignment, []
    found = {}
    grade = functools.partial(_classify, folder=str(folder), descriptions=descriptions,
                              seconds=limits.call_seconds)
    in_pool(list(names), grade, jobs or 1, limits.memory_mb, lambda data: found.__setitem__(data["submission"], data),
            lambda name: found.__setitem__(name, {"assignment": None, "reason": "reading the notebook killed the "
                                                  "grader's worker (out of memory?)"}),
            overdue=lambda name: found.__setitem__(name, {"assignment": None, "reason": "reading the notebook "
                                                          "took too long"}),
            hard_seconds=HARD_LIMIT_MARGIN)
    not_graded = []
    for name in names:
        assignment, reason = found[name]["assignment"], found[name]["reason"]
        if assignment is None and len(wanted) == 1:
            assignment = wanted[0]
        if assignment is None:
            not_graded.append((name, reason))
        elif assignment in by_assignment:
            by_assignment[assignment].append(name)
        else:
            not_graded.append((name, f"a notebook of {assignment}, not graded in this run (ASSIGNMENT="
                                     f"{' '.join(wanted)}): grade it with ASSIGNMENT={assignment}"))
    return by_assignment, not_graded
