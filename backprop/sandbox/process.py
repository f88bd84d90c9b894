"""Start, talk to and stop one sandbox process (the trusted side of the boundary)."""

import dataclasses
import os
import pathlib
import pwd
import shutil
import signal
import tempfile
import time
import weakref

import numpy as np

from .channel import MAX_JSON, Channel, ChannelClosed, ChannelTimeout, MessageTooLarge
from .errors import ProtocolError, SandboxFailure
from .template_client import ForkedProcess, TemplateStartError, spawn, stop_templates


@dataclasses.dataclass(frozen=True)
class Limits:
    """
    What one submission may use.

    - call_seconds: one call of a student function, or one notebook cell.
    - submission_seconds: everything for one submission, restarts included.
    - memory_mb: the sandbox's address space.
    - output_chars: printed output kept (the rest is counted and dropped).
    - message_mb: the largest value a student function may return.
    - isolation: "auto" (Landlock when the kernel has it), "landlock" (required) or "none".
    - user: the account student code runs as ("" for this process's own); switching needs root.
      On Gradescope the grader runs as root and student code as an unprivileged user, who cannot
      read the autograder's files whatever the kernel offers besides.
    """

    call_seconds: float = 10.0
    submission_seconds: float = 120.0
    memory_mb: int = 1024
    output_chars: int = 100_000
    message_mb: int = 64
    isolation: str = "auto"
    user: str = ""


START_SECONDS = 60  # for a sandbox to be forked and confine itself (on a loaded machine)
CALLBACK_BYTES = 4 << 20  # what student code may pass to a trusted function (a reference layer)
_RUNNING = weakref.WeakSet()  # the sandboxes of this process, for stop_all()


def stop_all():
    """Close every sandbox this process started, and its templates (on SIGTERM, before exiting)."""
    for sandbox in list(_RUNNING):
        sandbox.close()
    stop_templates()


def describe_end(code):
    """
    How a sandbox process ended, in words.

    Inputs:
    - code: its return code (negative: the signal that killed it; None: unknown).

    Returns:
    - text such as "was killed by SIGKILL" or "exited with code 3".
    """
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}"
    return f"exited with code {code}"


class SandboxStartError(RuntimeError):
    """The sandbox process could not be started (a problem of this machine, not of the submission)."""


def account(user):
    """
    The Popen arguments that run a process as another user, with that user's group only.

    Inputs:
    - user: an account name ("" for this process's own).

    Returns:
    - a dict of keyword arguments for subprocess.Popen (empty for "").
    """
    if not user:
        return {}
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        raise SandboxStartError(f"no user {user!r} on this machine to run student code as") from None
    if os.geteuid() != 0 and entry.pw_uid != os.geteuid():
        raise SandboxStartError(f"running student code as {user!r} needs root; the grader runs as uid {os.geteuid()}")
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


PREFLIGHT = "import numpy as np\ndef double(x):\n    return 2 * x\n"


def preflight(limits):
    """
    Start one sandbox with these limits and have it run a tiny notebook, before anything is graded.

    Inputs:
    - limits: the Limits the batch will grade with.

    Raises SandboxStartError, saying why, when the sandbox cannot start or cannot run student code (a
    --sandbox-user that cannot run this Python, say): then no file would get a real verdict.
    """
    with Sandbox(limits) as sandbox:
        try:
            sandbox.request("exec", 0, PREFLIGHT)
            doubled = sandbox.request("lookup", ["double"])["double"](np.arange(3.0))
        except (SandboxFailure, KeyError, TypeError) as failure:
            reason = sandbox.explain(failure)[1] if isinstance(failure, SandboxFailure) else repr(failure)
            raise SandboxStartError(f"the sandbox started but could not run a tiny notebook: {reason}") from None
        except Exception as error:  # student-side exceptions arrive as themselves: here the set-up is at fault
            raise SandboxStartError(f"the sandbox started but a tiny notebook failed in it: "
                                    f"{type(error).__name__}: {error}") from None
    if not isinstance(doubled, np.ndarray) or doubled.tolist() != [0.0, 2.0, 4.0]:
        raise SandboxStartError(f"the sandbox computed {doubled!r} for 2 * [0, 1, 2]")


def _copy_into(folder, files):
    """Copy (relative path, file) pairs into a folder, readable by every user (the sandbox may run as another)."""
    for relative, source in files:
        target = pathlib.Path(folder, relative)
        if pathlib.Path(folder).resolve() not in target.resolve().parents:
            raise ValueError(f"data file {relative!r} would land outside the sandbox's folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        for parent in [target.parent, *target.parent.parents]:
            if parent == pathlib.Path(folder):
                break
            parent.chmod(0o755)
        shutil.copyfile(source, target)
        target.chmod(0o444)


class Sandbox:
    """
    One confined worker process, forked by this process's template (template.py), and the channel to it.

    Inputs:
    - limits: a Limits.
    - deadline: a time.monotonic() value no request may run past (the submission's budget).
    - files: (relative path, file) pairs copied into its working folder first: the data files an assignment
      ships with its notebook, where the notebook's code expects them.
    """

    def __init__(self, limits, deadline=None, files=()):
        self.limits = limits
        switch = account(limits.user)
        self.scratch = os.path.realpath(tempfile.mkdtemp(prefix="backprop-sandbox-"))  # TMPDIR may be a link
        _RUNNING.add(self)
        try:
            _copy_into(self.scratch, files)
        except (OSError, ValueError) as error:  # the assignment's data files: the grader's set-up, not the file's
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise SandboxStartError(f"the assignment's data files could not be put in the sandbox ({error})") from None
        if switch:
            os.chown(self.scratch, switch["user"], switch["group"])
        to_sandbox_read, to_sandbox_write = os.pipe()
        from_sandbox_read, from_sandbox_write = os.pipe()
        settings = {"scratch": self.scratch, "memory_bytes": limits.memory_mb << 20,
                    "cpu_seconds": int(2 * limits.submission_seconds) + 10, "output_chars": limits.output_chars,
                    "message_bytes": limits.message_mb << 20, "isolation": limits.isolation}
        try:  # a fork of this process's template (template.py): a fresh process, without starting Python again
            template, pid = spawn(limits.user, switch, settings, to_sandbox_read, from_sandbox_write)
        except TemplateStartError as error:
            for fd in (to_sandbox_write, from_sandbox_read):
                os.close(fd)
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise SandboxStartError(str(error)) from None
        finally:
            os.close(to_sandbox_read)
            os.close(from_sandbox_write)
        self.process = ForkedProcess(template, pid)
        self.channel = Channel(from_sandbox_read, to_sandbox_write, parity=0, max_message=limits.message_mb << 20)
        self.channel.call_seconds, self.channel.final_deadline = limits.call_seconds, deadline
        self.channel.max_request = CALLBACK_BYTES
        os.set_blocking(to_sandbox_write, False)  # a sandbox that stops reading cannot block us past a deadline
        self._await_ready()

    def _await_ready(self):
        self.channel.deadline = time.monotonic() + START_SECONDS
        if self.channel.final_deadline is not None:  # a restart never outlasts the submission's time
            self.channel.deadline = min(self.channel.deadline, max(self.channel.final_deadline, time.monotonic() + 1))
        try:
            message, _ = self.channel.receive()
        except (SandboxFailure, OSError) as failure:
            self.close()
            raise SandboxStartError(f"the sandbox did not start ({type(failure).__name__}): it "
                                    f"{describe_end(self.process.returncode)}") from None
        finally:
            self.channel.deadline = None
        if message.get("kind") == "unconfined":
            self.close()
            raise SandboxStartError(f"the sandbox could not confine itself: {message.get('error')}")
        if message.get("kind") != "ready":
            self.close()
            raise SandboxStartError(f"the sandbox sent {message.get('kind')!r} instead of 'ready'")

    def request(self, kind, *values):
        """Send one request (see backprop.sandbox.worker for the kinds) and return its result."""
        return self.channel.request(kind, *values)

    def explain(self, failure):
        """
        Say in words what a SandboxFailure means, and stop the process.

        Inputs:
        - failure: the SandboxFailure raised by a request.

        Returns:
        - (kind, text): kind is "timeout" or "error".
        """
        final = self.channel.final_deadline
        self.close()
        if isinstance(failure, ChannelTimeout):
            if final is not None and time.monotonic() >= final - 0.01:
                return "timeout", f"the submission's time limit ({self.limits.submission_seconds:g} s) ran out"
            return "timeout", (f"it did not finish within {self.limits.call_seconds:g} s "
                               "(an infinite loop, a long sleep or a very slow computation?)")
        if isinstance(failure, ChannelClosed):
            code = self.process.returncode
            if code is not None and code < 0:
                return "error", f"the sandbox process {describe_end(code)} (a crash, or a limit of memory or CPU)"
            return "error", f"the sandbox process {describe_end(code)} (os._exit? code must return, not exit)"
        if isinstance(failure, MessageTooLarge) and "of JSON" in str(failure):
            return "error", (f"it returned a value of more than {MAX_JSON >> 20} MB as text (long lists or many "
                             "objects; NumPy arrays cross as bytes)")
        if isinstance(failure, MessageTooLarge):
            return "error", f"it returned more than the {self.limits.message_mb} MB a result may take"
        if isinstance(failure, ProtocolError):
            return "error", f"the sandbox broke the message protocol ({failure}); was the grader's pipe tampered with?"
        return "error", f"the sandbox failed: {type(failure).__name__}: {failure}"

    def close(self):
        """Kill the process and everything it started, reap it (its template does), and remove its scratch folder."""
        if getattr(self, "process", None) is not None and self.process.returncode is None:
            self.process.kill()
            self.process.wait()
        for fd in (self.channel.read_fd, self.channel.write_fd) if hasattr(self, "channel") else ():
            try:
                os.close(fd)
            except OSError:
                pass
        if hasattr(self, "channel"):
            self.channel.read_fd = self.channel.write_fd = -1
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
