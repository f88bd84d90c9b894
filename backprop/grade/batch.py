"""Grade a folder of submissions in parallel, saving each as it finishes (see store.py).

Workers are processes with a memory cap. A worker that holds one file past
its hard limit (student code can make the trusted side compute: the
reference layers it calls back) is killed, and that file gets a timeout row.
Ctrl-C or SIGTERM stops every worker and sandbox at once, and every
submission saved before it stays saved; a worker dies with the batch even
when it is stuck in a long computation.
"""

import concurrent.futures
import functools
import multiprocessing
import os
import pathlib
import queue
import resource
import signal
import time

from backprop.sandbox.linux import die_with_parent, not_dumpable
from backprop.sandbox.process import Limits, stop_all

from .grader import grade_file, no_verdict
from .results import SubmissionResult
from .submission import file_hash

SUFFIXES = (".ipynb", ".zip")
LITTER = ("thumbs.db", "desktop.ini")  # what operating systems leave in folders (hidden files aside)
SKIPPED_FOLDERS = ("__MACOSX",)  # and in archives; hidden folders (.ipynb_checkpoints) are skipped too
TRUSTED_MEMORY_MB = 2048  # a grading worker's address space, at least (it holds otter, numpy and the tests)
HARD_LIMIT_MARGIN = 60  # seconds a file may hold its worker past the submission's limit (start-up, reading, tests)


def discover(folder, every_file=False):
    """
    The submissions in a folder: every .ipynb and .zip, in sub-folders too, sorted.

    Inputs:
    - folder: the submissions folder.
    - every_file: every file, whatever its name (a .py or a .pdf handed in instead of the notebook then gets
      a row that says why it cannot be graded, rather than vanishing).

    Returns:
    - a list of paths relative to folder (hidden files and folders, .ipynb_checkpoints included, __MACOSX,
      Thumbs.db and desktop.ini are skipped).
    """
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no submissions folder at {folder}")
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in files:
            if name.startswith(".") or name.lower() in LITTER:
                continue
            if every_file or name.lower().endswith(SUFFIXES):
                found.append((pathlib.Path(root) / name).relative_to(folder))
    return sorted(found, key=lambda path: path.as_posix())


def ignored_files(folder, submissions):
    """
    How many files in a folder are not submissions (hidden, in checkpoints, or not among what discover found).

    Inputs:
    - folder: the submissions folder; submissions: what discover(folder) found there.

    Returns:
    - the count.
    """
    return sum(len(files) for _, _, files in os.walk(folder)) - len(submissions)


def _grade_one(name, submissions_dir, autograder_dir, limits):
    """Grade a file in a worker process; whatever goes wrong becomes an error row, never an exception."""
    try:
        return grade_file(pathlib.Path(submissions_dir) / name, autograder_dir, limits, name=name).to_dict()
    except Exception as error:  # a failure of the grader itself (e.g. the sandbox cannot start)
        return _error_row(name, autograder_dir,
                          f"the grader failed on this file ({type(error).__name__}: {error}); please report it")


def _error_row(name, autograder_dir, reason, status="error"):
    """A result with status error (or timeout), as a dict: 0 on every case, with the reason."""
    return no_verdict(name, status, reason, autograder_dir).to_dict()


def hard_limit(limits):
    """
    How long one file may hold a grading worker, whatever the trusted side is doing for it.

    Inputs:
    - limits: a Limits.

    Returns:
    - seconds: the submission's limit plus a margin for starting sandboxes, reading the file and the tests.
    """
    return limits.submission_seconds + max(HARD_LIMIT_MARGIN, 2 * limits.call_seconds)


def grade_folder(submissions_dir, store, autograder_dir, limits=Limits(), jobs=None, fresh=False,
                 on_result=lambda result, done, total, reused: None, names=None):
    """
    Grade every submission in a folder, in parallel, saving each as it finishes.

    Inputs:
    - submissions_dir: the folder; store: a Store; autograder_dir: the autograder folder.
    - limits: a Limits; jobs: worker processes (default: every core); fresh: ignore stored results.
    - on_result: called after each submission is saved, with (result, number done, total, reused), reused
      saying whether the stored result of an unchanged file was taken.
    - names: the files to grade, relative to submissions_dir (default: every one discover() finds).

    Returns:
    - a list of SubmissionResult, in the order of names. A row that cannot be saved (a disk error, text
      that cannot be written) becomes an error row saying so; the batch goes on.
    """
    submissions_dir = pathlib.Path(submissions_dir)
    names = [path.as_posix() for path in discover(submissions_dir, every_file=True)] if names is None else list(names)
    results, pending = {}, []
    for name in names:
        sha256 = file_hash(submissions_dir / name)  # '' for a link or a special file: never opened, never reused
        stored = None if fresh or not sha256 else store.cached(name, sha256)
        if stored is not None:
            results[name] = stored
            on_result(stored, len(results), len(names), True)
        else:
            pending.append(name)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))

    def finish(data):
        result = _saved(store, SubmissionResult.from_dict(data), autograder_dir)
        results[result.submission] = result
        on_result(result, len(results), len(names), False)

    if pending:
        grade = functools.partial(_grade_one, submissions_dir=submissions_dir, autograder_dir=autograder_dir,
                                  limits=limits)
        lost = "the grading worker process died on this file, alone in a fresh worker too (out of memory?)"
        seconds = hard_limit(limits)
        overdue = (f"grading this file held its worker past the hard limit of {seconds:g} s (the submission's "
                   f"{limits.submission_seconds:g} s and a margin), so the worker was stopped; work the grader "
                   "does for student code (its own layers, called back) counts too")
        in_pool(pending, grade, jobs, limits.memory_mb, finish,
                lambda name: finish(_error_row(name, autograder_dir, lost)),
                overdue=lambda name: finish(_error_row(name, autograder_dir, overdue, "timeout")),
                hard_seconds=seconds)
    return [results[name] for name in names]


def _saved(store, result, autograder_dir):
    """
    Save one result; if that fails, save an error row with the reason instead (kept in memory if even that fails).

    Returns:
    - the result as saved.
    """
    try:
        store.save(result)
        return result
    except Exception as error:  # a disk error, or text a writer cannot handle: that row only, never the batch
        reason = f"the result could not be saved ({type(error).__name__}: {error}); grade the file again"
        failed = no_verdict(result.submission, "error", reason, autograder_dir)
        try:
            store.save(failed)
        except Exception:  # the disk itself fails: the row still reaches grades.csv and the report
            pass
        return failed


def _init_worker(memory_mb, busy):
    """
    Prepare a grading worker: Ctrl-C is left to the main process; termination (by the main process) stops the
    sandbox at once, and the worker is killed outright if the main process dies, even in the middle of a long
    computation; memory is capped, as student code can make the trusted functions it calls back (the reference
    layers) compute on inputs of its choosing; other processes of this user (a sandbox without Landlock) cannot
    read or write its memory.

    Inputs:
    - memory_mb: the sandbox's memory limit; busy: the queue where the worker says which file it is grading.
    """
    global _BUSY
    _BUSY = busy
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    die_with_parent(signal.SIGKILL)
    not_dumpable()
    memory = max(TRUSTED_MEMORY_MB, 2 * memory_mb) << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, resource.getrlimit(resource.RLIMIT_AS)[1]))


_BUSY = None  # in a worker: the queue of (pid, file or None, time.monotonic()) read by the main process


def _tracked(grade, name):
    """Grade one file in a worker, telling the main process when it starts and ends (see _pool_round)."""
    _BUSY.put((os.getpid(), name, time.monotonic()))
    try:
        return grade(name)
    finally:
        _BUSY.put((os.getpid(), None, time.monotonic()))


def _terminated(signum, frame):
    """SIGTERM in a worker: an exception would be caught and reported by the pool's loop, so exit directly."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not re-enter the clean-up
    stop_all()
    os._exit(1)


def _stop_workers(pool):
    """Terminate a pool's workers at once, a second Ctrl-C notwithstanding (no public way before Python 3.14)."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        workers = [p for p in list(getattr(pool, "_processes", {}).values()) if p.is_alive()]
        for process in workers:
            process.terminate()  # the worker closes its sandbox and exits
        for process in workers:
            process.join(5)
            if process.is_alive():  # stuck in C code, where no Python signal handler runs
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        signal.signal(signal.SIGINT, previous)


def in_pool(names, grade, jobs, memory_mb, finish, lost, overdue=None, hard_seconds=None):
    """
    Grade in worker processes, so that a worker's death costs only the file that caused it.

    When a worker dies, the pool breaks and every unfinished file with it; those files are then
    graded again one at a time, each in a fresh worker, and only a file whose own worker dies
    again is lost. A worker that holds one file past hard_seconds is killed: that file is overdue,
    and the others the broken pool took with it are graded again together.

    Inputs:
    - names: the files; grade: a picklable function name -> result dict; jobs: workers.
    - memory_mb: the sandbox's memory limit (a worker's is derived from it).
    - finish: called with each result dict; lost: called with the name of a file that kills its worker.
    - overdue: called with the name of a file that held its worker too long; hard_seconds: that limit
      (None: no limit).
    """
    broken, late = _pool_round(names, grade, jobs, memory_mb, finish, hard_seconds)
    for name in late:
        overdue(name)
    if late and broken:  # the pool broke because a worker was stopped: the files it took along were not at fault
        in_pool(broken, grade, jobs, memory_mb, finish, lost, overdue, hard_seconds)
        return
    for name in broken:
        again, late = _pool_round([name], grade, 1, memory_mb, finish, hard_seconds)
        for late_name in late:
            overdue(late_name)
        if again:
            lost(name)


def _pool_round(names, grade, jobs, memory_mb, finish, hard_seconds=None):
    """
    Grade names in one pool.

    Returns:
    - (the names left unfinished because a worker died, sorted; the names whose worker was killed for holding
      them past hard_seconds).
    """
    broken, late, running = [], [], {}
    busy = multiprocessing.Queue()
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(names))),
                                                  initializer=_init_worker, initargs=(memory_mb, busy))
    try:
        futures = {pool.submit(_tracked, grade, name): name for name in names}
        waiting = set(futures)
        while waiting:
            done, waiting = concurrent.futures.wait(waiting, timeout=0.5,
                                                    return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                try:
                    data = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    if futures[future] not in late:
                        broken.append(futures[future])
                    continue
                if futures[future] in late:  # it finished as its worker was being killed
                    late.remove(futures[future])
                finish(data)
            # read the workers' reports even without a hard limit: a full queue would block every worker
            late += _stop_overdue(busy, running, float("inf") if hard_seconds is None else hard_seconds)
    except BaseException:  # Ctrl-C, SIGTERM, or a failure writing results: stop grading now, keep what is saved
        _stop_workers(pool)
        raise
    finally:
        busy.close()
    pool.shutdown(wait=True)
    return sorted(broken), late


def _stop_overdue(busy, running, hard_seconds):
    """
    Kill the workers that have held one file longer than hard_seconds.

    Inputs:
    - busy: the workers' queue of (pid, file or None, start time); running: pid -> (file, start time), updated.

    Returns:
    - the files whose worker was killed.
    """
    while True:
        try:
            pid, name, started = busy.get_nowait()
        except (queue.Empty, OSError, ValueError):
            break
        running[pid] = (name, started)
    killed = []
    for pid, (name, started) in list(running.items()):
        if name is not None and time.monotonic() - started > hard_seconds:
            try:
                os.kill(pid, signal.SIGKILL)  # its sandbox dies with it (parent-death signal)
            except ProcessLookupError:
                continue
            killed.append(name)
            del running[pid]
    return killed
