"""Tests for backprop.sandbox.process and confine: a real sandbox process, its limits and its walls."""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest

from backprop.sandbox.errors import SandboxFailure
from backprop.sandbox.landlock import landlock_abi
from backprop.sandbox.seccomp import SYSCALLS
from backprop.sandbox.process import Limits, Sandbox, SandboxStartError
from conftest import COURSE_SAMPLES, FIXTURES, ROOT, TINY, world_readable_folder

LIMITS = Limits(call_seconds=1.0, submission_seconds=30.0, memory_mb=512)
needs_landlock = pytest.mark.skipif(landlock_abi() == 0, reason="the kernel has no Landlock")


def run(sandbox, source):
    """Run source in the sandbox and return the value of its `result` variable."""
    sandbox.request("exec", 0, source)
    return sandbox.request("lookup", ["result"]).get("result")


def explained(source):
    """Run source until it breaks the sandbox; return explain()'s (kind, text)."""
    with Sandbox(LIMITS) as sandbox:
        with pytest.raises(SandboxFailure) as failure:
            sandbox.request("exec", 0, source)
        return sandbox.explain(failure.value)


def test_code_runs_in_another_process():
    """Does the sandbox run code in a process other than this one?"""
    with Sandbox(LIMITS) as sandbox:
        assert run(sandbox, "import os\nresult = os.getpid()") not in (os.getpid(), None)


@pytest.mark.parametrize("source, kind, words", [
    ("while True:\n    pass", "timeout", "did not finish within 1 s"),
    ("import os\nos._exit(4)", "error", "exited with code 4"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "error", "killed by SIGSEGV"),
])
def test_a_broken_sandbox_is_explained(source, kind, words):
    """Are a hang, an exit and a crash each reported as timeout or error with a sentence saying which?"""
    got_kind, text = explained(source)
    assert got_kind == kind and words in text


def test_a_result_too_big_to_return_is_explained():
    """Is a value beyond the message limit reported as too big, not as tampering?"""
    with Sandbox(Limits(call_seconds=5.0, message_mb=1)) as sandbox:
        sandbox.request("exec", 0, "import numpy as np\ndef big():\n    return np.zeros(1_000_000)")
        with pytest.raises(SandboxFailure) as failure:
            sandbox.request("lookup", ["big"])["big"]()
        assert sandbox.explain(failure.value) == ("error", "it returned more than the 1 MB a result may take")


def test_memory_is_limited():
    """Does an allocation beyond the memory limit raise MemoryError in the sandbox, which keeps running?"""
    with Sandbox(LIMITS) as sandbox:
        with pytest.raises(MemoryError):
            sandbox.request("exec", 0, "import numpy as np\nbig = np.ones(200_000_000)")
        assert run(sandbox, "result = 1 + 1") == 2


def test_close_removes_the_scratch_folder():
    """Does close() stop the process and delete its scratch folder?"""
    sandbox = Sandbox(LIMITS)
    scratch = pathlib.Path(sandbox.scratch)
    assert scratch.is_dir() and run(sandbox, "import os\nresult = os.getcwd()") == str(scratch)
    sandbox.close()
    assert not scratch.exists() and sandbox.process.returncode is not None


@pytest.mark.skipif(os.uname().machine not in SYSCALLS, reason="no seccomp filter for this architecture")
@pytest.mark.parametrize("source", ["import os\nos.fork()", "import subprocess\nsubprocess.run(['true'])",
                                    "import multiprocessing\nmultiprocessing.Process(target=print).start()",
                                    "import socket\nsocket.socket(socket.AF_UNIX).connect('/run/any.sock')",
                                    "import socket\nsocket.create_connection(('127.0.0.1', 22))",
                                    "import os, signal\nos.kill(os.getppid(), signal.SIGCONT)",
                                    "import os, signal\nos.kill(-1, signal.SIGCONT)"])
def test_no_process_socket_or_signal_out(source):
    """Are new processes, every socket and signals to others refused, while threads work?"""
    with Sandbox(LIMITS) as sandbox:
        with pytest.raises(PermissionError):
            sandbox.request("exec", 0, source)
        assert run(sandbox, "import threading\nt = threading.Thread(target=print)\nt.start()\nt.join()\nresult = 3") == 3


LIBC = "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
REFUSED = "\n    raise PermissionError(ctypes.get_errno())"


@pytest.mark.skipif(os.uname().machine not in SYSCALLS, reason="no seccomp filter for this architecture")
@pytest.mark.parametrize("source", [
    LIBC + "if libc.shmget(0x5EED0001, 4096, 0o1000 | 0o600) == -1:" + REFUSED,
    LIBC + "if libc.semget(0x5EED0002, 1, 0o1000 | 0o600) == -1:" + REFUSED,
    LIBC + "if libc.msgget(0x5EED0003, 0o1000 | 0o600) == -1:" + REFUSED,
    LIBC + "if libc.prctl(1, 0, 0, 0, 0) != 0:" + REFUSED,  # clear the parent-death signal
    "open({folder!r} + '/answers.txt', 'x')", "import os\nos.mkdir({folder!r} + '/answers')",
    "import os\nos.symlink('/etc/hostname', {folder!r} + '/link')", "import os\nos.mkfifo({folder!r} + '/pipe')",
])
def test_nothing_outlives_the_sandbox_even_without_landlock(source, tmp_path):
    """Without Landlock, are shared memory, semaphores, message queues, new files, folders and links refused?"""
    with Sandbox(Limits(call_seconds=1.0, isolation="none")) as sandbox:
        with pytest.raises(PermissionError):
            sandbox.request("exec", 0, source.format(folder=str(tmp_path)))
        assert run(sandbox, f"result = open({str(ROOT / 'README.md')!r}).read(9)") == "# Backpro"
    assert list(tmp_path.iterdir()) == []


def alive(pid):
    """True while a process exists and is not a zombie (dead, awaiting its parent)."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def ends_soon(pid, seconds=5.0):
    """True when the process is gone (or a zombie) within a few seconds: signals are delivered asynchronously."""
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


@needs_landlock
@pytest.mark.parametrize("path", [TINY / "reference.py", TINY / "tests" / "double.py",
                                  COURSE_SAMPLES / "solved.ipynb", "/etc/passwd"])
def test_the_autograder_and_other_submissions_cannot_be_read(path):
    """Is opening the reference, a hidden test, another student's file or /etc/passwd refused in the sandbox?"""
    with Sandbox(LIMITS) as sandbox:
        with pytest.raises(PermissionError):
            sandbox.request("exec", 0, f"open({str(path)!r}).read()")


@pytest.mark.parametrize("target", ["mine.txt", "/tmp/theirs.txt"])
def test_no_file_can_be_written(target, tmp_path):
    """Is writing a file refused everywhere, the sandbox's own folder included (no disk to fill, nothing left)?"""
    with Sandbox(LIMITS) as sandbox:
        with pytest.raises(OSError):
            sandbox.request("exec", 0, f"with open({target!r}, 'w') as handle:\n    handle.write('x' * 100)")
        assert run(sandbox, "print('to /dev/null and the capped buffer')\nresult = 1") == 1


@needs_landlock
def test_the_grader_cannot_be_signalled_and_limits_cannot_be_raised():
    """Are a signal to the parent and raising the memory limit refused, even when the grader runs as root?"""
    with Sandbox(LIMITS) as sandbox:
        with pytest.raises(PermissionError):
            sandbox.request("exec", 0, "import os, signal\nos.kill(os.getppid(), signal.SIGTERM)")
        with pytest.raises(ValueError):
            sandbox.request("exec", 0, "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))")


def test_the_sandbox_dies_with_the_process_that_started_it(tmp_path):
    """When a grading worker dies abruptly, is its sandbox killed too instead of running on?"""
    script = ("import os, sys\nsys.path.insert(0, %r)\nfrom backprop.sandbox.process import Sandbox, Limits\n"
              "sandbox = Sandbox(Limits())\nprint(sandbox.process.pid, flush=True)\nos._exit(0)\n") % str(ROOT)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "TMPDIR": str(tmp_path)})  # its scratch folder is left behind
    pid = int(done.stdout.split()[0])
    assert ends_soon(pid)


@pytest.mark.parametrize("as_user", [True, False])
def test_student_code_run_as_another_user_cannot_read_root_files(unprivileged, as_user):
    """Without Landlock, does code run as nobody get nobody's uid and no access to a root-only file (root reads it)?"""
    folder = world_readable_folder("backprop-secret-")
    try:
        secret = folder / "reference.py"
        secret.write_text("the reference solution")
        secret.chmod(0o600)
        command = [unprivileged.python, str(FIXTURES / "scripts" / "sandbox_as_user.py"),
                   unprivileged.user if as_user else "", str(secret)]
        seen = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout)
    finally:
        shutil.rmtree(folder)
    if as_user:
        assert seen == {"uid": 65534, "read": "PermissionError"}
    else:
        assert seen == {"uid": 0, "read": "read"}


def test_a_missing_user_is_a_clear_start_error():
    """Does asking for an account that does not exist fail before any process starts, with a sentence?"""
    with pytest.raises(SandboxStartError, match="no user 'no-such-student'"):
        Sandbox(Limits(user="no-such-student"))


@pytest.mark.parametrize("grader", ["dumpable", "not-dumpable"])
def test_the_grader_memory_is_out_of_reach_of_a_sandbox_of_the_same_user(unprivileged, grader):
    """Run as one user without capabilities or Landlock (a TA's own account), can a sandbox open its grader's
    memory? Reading works only while the grader is dumpable (grading makes it not); writing and
    process_vm_readv/writev and ptrace are refused either way."""
    command = [unprivileged.python, str(FIXTURES / "scripts" / "grader_memory_as_user.py"), grader]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60,
                            user=unprivileged.user, cwd="/").stdout
    lines = dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)
    reading = next(value for key, value in lines.items() if key.endswith("mem rb"))
    writing = next(value for key, value in lines.items() if key.endswith("mem r+b"))
    assert reading == ("opened" if grader == "dumpable" else "refused (Permission denied)")
    assert writing == "refused (Operation not permitted)"
    assert all(lines[name].startswith("refused") for name in ("process_vm_readv", "process_vm_writev", "ptrace"))


def spin(x):
    """A trusted function that never returns (Python code: the call deadline's alarm can stop it)."""
    while True:
        x = x + 1


def test_a_trusted_function_called_back_is_stopped_at_the_call_deadline():
    """When student code calls back a trusted function that runs on and on, is the call stopped at its deadline
    (a timeout, the trusted side free again) instead of holding the grader?"""
    with Sandbox(LIMITS) as sandbox:
        sandbox.request("exec", 0, "def call(f):\n    return f(1.0)")
        started = time.monotonic()
        with pytest.raises(SandboxFailure) as failure:
            sandbox.request("lookup", ["call"])["call"](spin)
        assert time.monotonic() - started < LIMITS.call_seconds + 2
        assert sandbox.explain(failure.value)[0] == "timeout"


@pytest.mark.skipif(os.uname().machine not in SYSCALLS, reason="no seccomp filter for this architecture")
@pytest.mark.parametrize("source", [
    "import os\nos.open(PATH, os.O_WRONLY)", "open(PATH, 'r+')", "open(PATH, 'a')",
    "import os\nos.open(PATH, os.O_RDONLY | os.O_TRUNC)", "import os\nos.truncate(PATH, 0)",
    "import os\nos.ftruncate(os.open(PATH, os.O_RDONLY), 0)",
    "import os\nos.posix_fallocate(os.open(PATH, os.O_RDONLY), 0, 1 << 20)",
    "import os\nos.chmod(PATH, 0)", "import os\nos.utime(PATH, (0, 0))",
    "import os\nos.setxattr(PATH, 'user.answer', b'42')",
    "import fcntl, os\nfcntl.flock(os.open(PATH, os.O_RDONLY), fcntl.LOCK_SH)",
    "import fcntl, os\nfcntl.lockf(os.open(PATH, os.O_RDONLY), fcntl.LOCK_SH)",
    "import fcntl, os, struct\nfcntl.fcntl(os.open(PATH, os.O_RDONLY), 37, struct.pack('hhqqi4x', 0, 0, 0, 0, 0))",
    "import fcntl, os\nfcntl.fcntl(os.open(PATH, os.O_RDONLY), 1024, fcntl.F_RDLCK)",
    LIBC + "if libc.inotify_init1(0) < 0:" + REFUSED,
    LIBC + "if libc.syscall(248 if os.uname().machine == 'x86_64' else 217, b'user', b'answer', b'42', 2, -3) < 0:"
    + REFUSED,  # add_key to the user keyring, shared by every process of this user
    "import os, resource\nresource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (8, 8))",
    "import os\nos.sched_setaffinity(os.getppid(), {0})",
    "import array, fcntl, os\nfcntl.ioctl(os.open(PATH, os.O_RDONLY), 0x40086602, array.array('l', [0]))",  # chattr
    LIBC + "if libc.prctl(15, b'covert', 0, 0, 0) != 0:" + REFUSED,  # a name every process can read
    LIBC + "if libc.prctl(4, 1, 0, 0, 0) != 0:" + REFUSED,  # dumpable again: others could read its pipes
])
def test_no_existing_file_changes_and_nothing_signals_another_sandbox_even_without_landlock(source, tmp_path):
    """Without Landlock, are writing, truncating, growing, chmod, timestamps and attributes of a readable file
    refused, and so are file locks, leases, notifications, keyrings and the grader's limits and CPUs?"""
    path = tmp_path / "submission.ipynb"
    path.write_text("the other student's work")
    before = path.stat()
    with Sandbox(Limits(call_seconds=1.0, isolation="none")) as sandbox:
        with pytest.raises(PermissionError):
            sandbox.request("exec", 0, "import os\n" + source.replace("PATH", repr(str(path))))
        assert run(sandbox, f"result = open({str(path)!r}).read()") == "the other student's work"
    after = path.stat()
    assert (after.st_size, after.st_mode, after.st_mtime_ns) == (before.st_size, before.st_mode, before.st_mtime_ns)


def test_a_sandbox_cannot_reach_the_pipes_or_memory_of_another_sandbox_running_at_once():
    """Without Landlock and under one user, can a sandbox open another sandbox's pipes (/proc/<pid>/fd: reading its
    messages), its memory or its environment? Each sandbox makes itself non-dumpable before student code runs."""
    with Sandbox(Limits(call_seconds=2.0, isolation="none")) as victim, \
            Sandbox(Limits(call_seconds=2.0, isolation="none")) as thief:
        pid = victim.process.pid
        pipes = [f"/proc/{pid}/fd/{fd}" for fd in os.listdir(f"/proc/{pid}/fd")]  # listed by this (trusted) side
        for path in pipes + [f"/proc/{pid}/mem", f"/proc/{pid}/environ"]:
            with pytest.raises(PermissionError):
                thief.request("exec", 0, f"open({path!r}, 'rb').read(1)")
        assert run(victim, "result = 7") == 7


def test_data_files_land_in_the_sandbox_s_folder_even_through_a_linked_tmpdir(tmp_path, monkeypatch):
    """With TMPDIR reached through a symbolic link (as /var is on macOS), are an assignment's data files copied into
    the sandbox's working folder, read-only, and readable from its code?"""
    import tempfile

    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "points.csv").write_text("1,2\n")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "linked"))
    sandbox = Sandbox(Limits(), files=[("data/points.csv", tmp_path / "points.csv")])
    try:
        sandbox.request("exec", 0, "text = open('data/points.csv').read()")
        assert sandbox.request("lookup", ["text"])["text"] == "1,2\n"
    finally:
        sandbox.close()


def test_a_data_file_that_cannot_be_placed_is_the_grader_s_failure(tmp_path):
    """Is a data file that is missing, or would land outside the sandbox's folder, a SandboxStartError (the grader's
    set-up, never a student's 0), with no scratch folder left behind?"""
    import tempfile

    before = set(pathlib.Path(tempfile.gettempdir()).glob("backprop-sandbox-*"))
    for files in ([("data/missing.csv", tmp_path / "missing.csv")], [("../outside.csv", __file__)]):
        with pytest.raises(SandboxStartError, match="data files could not be put in the sandbox"):
            Sandbox(Limits(), files=files)
    assert set(pathlib.Path(tempfile.gettempdir()).glob("backprop-sandbox-*")) == before
