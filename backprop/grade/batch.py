"""Grade a folder of submissions in parallel, saving each as it finishes (see store.py).

Workers are processes with a memory cap; Ctrl-C stops them at once, and
every submission saved before it stays saved.
"""

import concurrent.futures
import functools
import os
import pathlib
import resource
import signal

from backprop.sandbox.linux import die_with_parent
from backprop.sandbox.process import Limits, stop_all

from .grader import grade_file, question_order
from .results import SubmissionResult
from .submission import file_hash
from .test_runner import not_graded

SUFFIXES = (".ipynb", ".zip")
TRUSTED_MEMORY_MB = 2048  # a grading worker's address space, at least (it holds otter, numpy and the tests)


def discover(folder, every_file=False):
    """
    The submissions in a folder: every .ipynb and .zip, in sub-folders too, sorted.

    Inputs:
    - folder: the submissions folder.
    - every_file: every file, whatever its name (a .py or a .pdf handed in instead of the notebook then gets
      a row that says why it cannot be graded, rather than vanishing).

    Returns:
    - a list of paths relative to folder (hidden files, hidden folders, .ipynb_checkpoints and __MACOSX are
      skipped).
    """
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no submissions folder at {folder}")
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for name in files:
            if not name.startswith(".") and (every_file or name.lower().endswith(SUFFIXES)):
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


def _error_row(name, autograder_dir, reason):
    """A result with status error: 0 on every case, with the reason."""
    results = not_graded(pathlib.Path(autograder_dir) / "tests", question_order(autograder_dir), reason)
    return SubmissionResult(name, "error", reason, tuple(results)).to_dict()


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
    - a list of SubmissionResult, in the order of names.
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
        result = SubmissionResult.from_dict(data)
        store.save(result)
        results[result.submission] = result
        on_result(result, len(results), len(names), False)

    if pending:
        grade = functools.partial(_grade_one, submissions_dir=submissions_dir, autograder_dir=autograder_dir,
                                  limits=limits)
        lost = "the grading worker process died on this file, alone in a fresh worker too (out of memory?)"
        in_pool(pending, grade, jobs, limits.memory_mb, finish,
                 lambda name: finish(_error_row(name, autograder_dir, lost)))
    return [results[name] for name in names]


def _init_worker(memory_mb):
    """
    Prepare a grading worker: Ctrl-C is left to the main process; termination (by the main process, or
    on its death) stops the sandbox at once; memory is capped, as student code can make the trusted
    functions it calls back (the reference layers) compute on inputs of its choosing.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    die_with_parent(signal.SIGTERM)
    memory = max(TRUSTED_MEMORY_MB, 2 * memory_mb) << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, resource.getrlimit(resource.RLIMIT_AS)[1]))


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
            if process.is_alive():
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        signal.signal(signal.SIGINT, previous)


def in_pool(names, grade, jobs, memory_mb, finish, lost):
    """
    Grade in worker processes, so that a worker's death costs only the file that caused it.

    When a worker dies, the pool breaks and every unfinished file with it; those files are then
    graded again one at a time, each in a fresh worker, and only a file whose own worker dies
    again is lost.

    Inputs:
    - names: the files; grade: a picklable function name -> result dict; jobs: workers.
    - memory_mb: the sandbox's memory limit (a worker's is derived from it).
    - finish: called with each result dict; lost: called with the name of a file that kills its worker.
    """
    for name in _pool_round(names, grade, jobs, memory_mb, finish):
        if _pool_round([name], grade, 1, memory_mb, finish):
            lost(name)


def _pool_round(names, grade, jobs, memory_mb, finish):
    """Grade names in one pool; returns the names left unfinished because a worker died (sorted)."""
    broken = []
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(names))),
                                                  initializer=_init_worker, initargs=(memory_mb,))
    try:
        futures = {pool.submit(grade, name): name for name in names}
        for future in concurrent.futures.as_completed(futures):
            try:
                data = future.result()
            except concurrent.futures.process.BrokenProcessPool:
                broken.append(futures[future])
                continue
            finish(data)
    except BaseException:  # Ctrl-C, or a failure writing results: stop grading now, keep what is saved
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    return sorted(broken)
