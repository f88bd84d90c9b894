"""The trusted side of the template process (template.py): start it, ask it for sandboxes, reap them.

One template per grading process and sandbox user, started on the first
sandbox and reused; a template found dead is started again, transparently.
A process forked from one that holds templates (a grading worker forked by
the batch) does not use them: it starts its own, as the templates' children
must die with the process that grades with them. The kernel's parent-death
signal follows the thread that started the template: start sandboxes from a
thread that lives as long as the grading (the main thread, as the batch does).
"""

import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parents[2]
BOOT = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from backprop.sandbox.template import main; main()"
ENVIRONMENT = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HOME": "/nonexistent", "TMPDIR": "/nonexistent"}
START_SECONDS = 60  # for the template to import NumPy on a loaded machine
REPLY_SECONDS = 30  # for a fork or for reaping a killed child
MAX_REPLY = 1 << 16


class TemplateStartError(RuntimeError):
    """The template process could not start (the message says why)."""


class TemplateGone(RuntimeError):
    """The template stopped answering (it died): start another."""


class Template:
    """
    One template process and the socket to it.

    Inputs:
    - switch: Popen keyword arguments that run it as another user ({} for this process's own; see
      process.account).
    """

    def __init__(self, switch):
        self.owner = os.getpid()
        self.lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT, str(theirs.fileno()), str(os.getpid())],
                pass_fds=(theirs.fileno(),), cwd="/", env=ENVIRONMENT, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, **switch)
        except OSError as error:
            ours.close()
            raise TemplateStartError(f"the sandbox process could not start: {error}") from None
        finally:
            theirs.close()
        self.connection = ours
        try:
            ready = self._receive(START_SECONDS)
        except TemplateGone:
            self.close()  # first: a template that hangs would never end its stderr
            error = self.process.stderr.read().decode(errors="replace").strip()
            raise TemplateStartError(f"the sandbox did not start (its template exited with code "
                                     f"{self.process.returncode}): {error[-2000:]}") from None
        finally:
            self.process.stderr.close()
        self.pid = ready.get("ready")
        if self.pid != self.process.pid:
            self.close()
            raise TemplateStartError(f"the sandbox's template sent {ready!r} instead of its pid")

    def _receive(self, seconds):
        self.connection.settimeout(seconds)
        try:
            data = self.connection.recv(MAX_REPLY)
        except OSError:  # a timeout included: a template that does not answer is as good as dead
            data = b""
        if not data:
            raise TemplateGone()
        try:
            reply = json.loads(data)
        except ValueError:
            raise TemplateGone(f"it sent {data[:200]!r}") from None
        if not isinstance(reply, dict):
            raise TemplateGone(f"it sent {reply!r}"[:200])
        return reply

    def _ask(self, message, fds=()):
        with self.lock:
            try:
                socket.send_fds(self.connection, [json.dumps(message).encode()], list(fds))
            except OSError:
                raise TemplateGone() from None
            return self._receive(REPLY_SECONDS)

    def spawn(self, settings, read_fd, write_fd):
        """
        Fork a new sandbox that serves on these pipe ends.

        Inputs:
        - settings: the dict worker.serve reads; read_fd, write_fd: the sandbox's ends of its two pipes.

        Returns:
        - the sandbox's pid (also its process group). Raises TemplateGone if the template is dead.
        """
        reply = self._ask({"op": "spawn", "settings": settings}, (read_fd, write_fd))
        if not isinstance(reply.get("pid"), int):
            raise TemplateGone(reply.get("error", f"it replied {reply!r}"))
        return reply["pid"]

    def wait(self, pid):
        """
        Reap a sandbox this template forked, after it was killed or exited.

        Inputs:
        - pid: the sandbox's pid.

        Returns:
        - its return code: the exit code, or minus the signal that killed it.
        """
        try:
            reply = self._ask({"op": "wait", "pid": pid})
        except TemplateGone:  # the template died, and its children with it (their parent-death signal)
            self.close()
            return -signal.SIGKILL
        return reply.get("returncode", -signal.SIGKILL)  # no such child: the template was not its parent

    def alive(self):
        """True while the template runs and belongs to this process."""
        return self.owner == os.getpid() and self.process.poll() is None

    def close(self):
        """Stop the template (its sandboxes die with it) and reap it."""
        self.connection.close()
        if self.owner != os.getpid():
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()


_TEMPLATES = {}  # user ("" for this process's own) -> the Template of this process
_INHERITED = []  # templates of the process this one was forked from: kept, never used or reaped here


def template_for(user, switch):
    """
    This process's template for a user, started now if there is none or if it died.

    Inputs:
    - user: the account name ("" for this process's own); switch: its Popen arguments (process.account).

    Returns:
    - a running Template. Raises TemplateStartError, saying why, when none can start.
    """
    template = _TEMPLATES.get(user)
    if template is None or not template.alive():
        if template is not None:
            template.close()
        template = _TEMPLATES[user] = Template(switch)
    return template


def spawn(user, switch, settings, read_fd, write_fd):
    """
    A new sandbox forked by this process's template for a user; a dead template is replaced once.

    Inputs:
    - user, switch: see template_for; settings, read_fd, write_fd: see Template.spawn.

    Returns:
    - (the Template, the sandbox's pid). Raises TemplateStartError when no template can fork it.
    """
    for attempt in range(2):
        template = template_for(user, switch)
        try:
            return template, template.spawn(settings, read_fd, write_fd)
        except TemplateGone as gone:
            template.close()
            reason = str(gone) or "it stopped answering"
    raise TemplateStartError(f"the sandbox's template could not fork a sandbox: {reason}")


def stop_templates():
    """Stop every template of this process (their sandboxes die with them)."""
    while _TEMPLATES:
        _, template = _TEMPLATES.popitem()
        template.close()


def _forget_inherited():
    """In a forked child: close the inherited sockets and set the parent's templates aside."""
    for template in _TEMPLATES.values():
        template.connection.close()
        _INHERITED.append(template)
    _TEMPLATES.clear()


os.register_at_fork(after_in_child=_forget_inherited)


class ForkedProcess:
    """
    A sandbox forked by a template, with the part of subprocess.Popen's interface the trusted side uses.

    Inputs:
    - template: the Template that forked it; pid: its pid.
    """

    def __init__(self, template, pid):
        self.template, self.pid, self.returncode = template, pid, None

    def kill(self):
        """Kill the sandbox and its process group (the group only once it has called setsid)."""
        if self.returncode is not None or not self.template.alive():
            return  # reaped, or dead with its template (and its pid maybe another process's by now)
        for kill in (os.kill, os.killpg):  # the pid is not reaped yet: it cannot name another process
            try:
                kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def wait(self):
        """Reap the sandbox (killed, or exited, before) and return its return code."""
        if self.returncode is None:
            self.returncode = self.template.wait(self.pid)
        return self.returncode

