"""The template process: a clean Python with NumPy imported that forks one fresh sandbox per request.

Starting Python and importing NumPy costs more than grading most files, so each
grading process keeps one template (started by template_client.py, the way
sandboxes used to be started: -I, the sandbox's environment and user, its own
session, dying with its parent, not dumpable). The template imports NumPy and
the sandbox's own modules, nothing of the grader (no tests, no reference, no
otter), and never runs student code. For each request it forks; the child
makes itself a sandbox (become_sandbox: new session, dies with the template,
not dumpable, its scratch folder as cwd, HOME and TMPDIR, /dev/null on 0, 1, 2,
no descriptor but its pipe), then confines itself exactly as a freshly started
sandbox did (worker.serve). Each file thus still runs in a new process, under
the same walls and limits, and nothing a child does reaches the template or
the next child: a fork copies memory, it does not share it.

What a child inherits and a freshly started Python would not have shared:
- the hash seed (PYTHONHASHSEED is random per template, the same in its
  children). It orders sets and dicts of strings; it holds no data of any
  student, and guessing it gains nothing the walls do not already refuse.
- NumPy's global RandomState: re-seeded from the OS in every child, so
  np.random.rand() differs from one sandbox to the next, as in fresh processes
  (Python's random module re-seeds itself after fork).

The template runs one thread (OPENBLAS/OMP/MKL_NUM_THREADS=1, nothing else
starts one), so fork copies a consistent process; it refuses to serve if
another thread exists. It serves its parent over a SOCK_SEQPACKET socket:
- {"op": "spawn", "settings": {...}} with the child's two pipe ends attached
  (SCM_RIGHTS): fork a sandbox; reply {"pid": N} (or {"error": text}).
- {"op": "wait", "pid": N}: reap that child (the parent has killed it); reply
  {"returncode": code}, negative for a signal, as subprocess's. Children are
  reaped only on request: until then their pid cannot be reused, so the parent
  never signals a stranger.
It exits when the socket closes, and its children die with it.
"""

import gc
import json
import os
import signal
import socket
import sys
import threading

import numpy
import numpy.random  # noqa: F401  NumPy 2 imports it on first use: once here, not in every sandbox

from . import worker
from .linux import die_with_parent, not_dumpable

MAX_REQUEST = 1 << 16  # a request is a few hundred bytes of JSON


def thread_count():
    """The number of threads of this process (from /proc, which also counts threads Python did not start)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def become_sandbox(connection, read_fd, write_fd, settings, template_pid):
    """
    In a fresh fork child: cut every tie to the template, then serve as a sandbox. Never returns.

    Inputs:
    - connection: the template's socket (closed here).
    - read_fd, write_fd: the child's pipe ends, the only descriptors kept (besides 0, 1, 2 on /dev/null).
    - settings: the trusted side's settings (see worker.serve).
    - template_pid: the template's pid, to check that it is still this process's parent.
    """
    code = 1
    try:
        os.setsid()  # its own session and process group: the trusted side kills the group
        die_with_parent(signal.SIGKILL)  # a fork clears the parent-death signal: set it again
        if os.getppid() != template_pid:  # the template died before the request took effect
            os._exit(1)
        not_dumpable()  # inherited from the template, set again: other sandboxes cannot read its memory or pipes
        connection.close()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        keep = sorted({0, 1, 2, read_fd, write_fd})
        for low, high in zip(keep, keep[1:] + [os.sysconf("SC_OPEN_MAX")]):
            os.closerange(low + 1, high)  # the template's socket, /dev/null's spare descriptor, anything else
        scratch = settings["scratch"]
        os.chdir(scratch)
        os.environ.update(HOME=scratch, TMPDIR=scratch, MPLCONFIGDIR=scratch)
        if "tempfile" in sys.modules:
            sys.modules["tempfile"].tempdir = None  # read TMPDIR again when first asked
        numpy.random.seed()  # from the OS: the template's global state must not repeat in every child
        worker.serve(read_fd, write_fd, settings)
        code = 0
    finally:
        os._exit(code)  # never back into the template's loop, whatever happened


def spawn(connection, message, fds):
    """
    Fork a sandbox for one request.

    Inputs:
    - connection: the template's socket; message: the request; fds: the descriptors that came with it.

    Returns:
    - the reply: {"pid": N} or {"error": text}.
    """
    settings = message.get("settings")
    if len(fds) != 2 or not isinstance(settings, dict):
        return {"error": "a spawn request needs settings and two pipe ends"}
    if thread_count() != 1:  # fork copies only the calling thread: a lock held by another would stay held
        return {"error": f"the template runs {thread_count()} threads; it forks only with one"}
    template_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        become_sandbox(connection, fds[0], fds[1], settings, template_pid)
    return {"pid": pid}


def reap(message):
    """
    Wait for one child (already killed by the trusted side) and return its exit status.

    Inputs:
    - message: the request, with the child's pid.

    Returns:
    - {"returncode": code} (negative: the signal that killed it) or {"error": text}.
    """
    pid = message.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return {"error": "a wait request needs a child's pid"}
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return {"error": f"no child {pid}"}
    return {"returncode": os.waitstatus_to_exitcode(status)}


def serve(connection):
    """Answer spawn and wait requests until the trusted side closes the socket."""
    while True:
        data, fds, _, _ = socket.recv_fds(connection, MAX_REQUEST, 2)
        if not data:
            return
        try:
            message = json.loads(data)
            op = message.get("op") if isinstance(message, dict) else None
        except ValueError:
            message, op = None, None
        try:
            if op == "spawn":
                reply = spawn(connection, message, fds)
            elif op == "wait":
                reply = reap(message)
            else:
                reply = {"error": f"unknown request {op!r}"}
        finally:
            for fd in fds:  # the child has its copies; the template keeps none
                os.close(fd)
        connection.sendall(json.dumps(reply).encode())


def main():
    """Entry point (see template_client.BOOT): python -I -c BOOT SOCKET_FD PARENT_PID."""
    die_with_parent(signal.SIGKILL)  # the grading process dies: the template, then every sandbox, go with it
    if os.getppid() != int(sys.argv[2]):  # it died before the request took effect (a subreaper adopted us)
        os._exit(1)
    not_dumpable()  # children cannot read its memory through /proc, and they inherit the setting
    connection = socket.socket(fileno=int(sys.argv[1]))
    connection.sendall(json.dumps({"ready": os.getpid(), "threads": thread_count()}).encode())
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 2)  # stderr was a pipe to report a failed start; the trusted side stops reading it now
    os.close(devnull)
    gc.freeze()  # a child's garbage collections skip the template's objects: their pages stay shared, not copied
    serve(connection)
