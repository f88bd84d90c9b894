"""A notebook's definitions loaded in a sandbox, restarted after a crash or a timeout.

The test runner asks it for the namespace (name -> function proxy) before
each test case. A cell that hangs or kills the sandbox is skipped on the
next start, so one bad cell costs what it defines and nothing else; a call
that hangs or kills it costs the test case that made it.
"""

import contextlib
import copy
import time

import numpy as np

from backprop.sandbox.cell_names import cell_name
from backprop.sandbox.channel import MessageTooLarge
from backprop.sandbox.errors import SandboxFailure
from backprop.sandbox.process import Limits, Sandbox, SandboxStartError

from .results import printable

MAX_STARTS = 12
MISSING = object()
PLAIN = (np.ndarray, np.generic, list, tuple, dict, str, bytes, int, float, complex)  # data, not handles


def unusable(name, reason):
    """
    A stand-in for a notebook value that cannot cross the boundary: calling it says why.

    Inputs:
    - name: the function's name; reason: the error.

    Returns:
    - a function raising RuntimeError.
    """
    def stand_in(*args, **kwargs):
        raise RuntimeError(f"{name} cannot be used by the grader: its value cannot leave the sandbox ({reason})")

    stand_in.__name__ = name
    stand_in.unusable = f"{name} cannot be used by the grader: its value cannot leave the sandbox ({reason})"
    return stand_in


def detached(value):
    """
    A value the notebook set (a number, a string, an array, a container of them), as a copy the sandbox can no
    longer change: a shared array's later changes in the sandbox would otherwise reach the trusted side. Functions
    and handles to sandbox objects are returned as they are.
    """
    if isinstance(value, PLAIN):
        try:
            return copy.deepcopy(value)
        except Exception:  # a container holding a handle: kept as it is (its checks see a handle, not data)
            return value
    return value


class NotGraded(Exception):
    """The submission's budget (time or restarts) is spent: the remaining checks cannot run."""


class SandboxedNotebook:
    """
    The trusted side's handle on one submission's code.

    Inputs:
    - cells: the definition cells, (index, source) pairs.
    - names: the functions and values the tests need.
    - limits: a Limits.
    - files: (relative path, file) pairs: the assignment's data files, put in the sandbox's working folder.
    """

    def __init__(self, cells, names, limits=Limits(), files=()):
        self.cells, self.names, self.limits, self.files = list(cells), list(names), limits, list(files)
        self.deadline = time.monotonic() + limits.submission_seconds
        self.sandbox, self.functions = None, None
        self.cell_errors, self.skipped, self.events, self.starts = {}, set(), [], 0
        self.unsendable = {}  # name -> why its value cannot cross

    def namespace(self):
        """
        The notebook's functions (proxies) and other values the tests asked for.

        Returns:
        - a dict name -> value; a name the notebook does not define is absent.
        """
        while self.functions is None:
            self._start()
        return self.functions

    def _start(self):
        if time.monotonic() >= self.deadline:
            raise NotGraded(f"not run: the submission's time limit ({self.limits.submission_seconds:g} s) ran out")
        if self.starts >= MAX_STARTS:
            raise NotGraded(f"not run: the sandbox was restarted {MAX_STARTS} times, the most allowed")
        self.starts += 1
        try:
            self.sandbox = Sandbox(self.limits, self.deadline, self.files)
        except SandboxStartError:
            if self.starts == 1:  # no sandbox ever ran: the machine's failure, reported as the grader's
                raise
            raise NotGraded("not run: the sandbox could not be restarted within the submission's time limit") from None
        for index, source in self.cells:
            if index in self.skipped:
                continue
            try:
                self.sandbox.request("exec", index, source)
            except SandboxFailure as failure:
                kind, text = self._lost(failure)
                self.skipped.add(index)
                self.cell_errors[index] = f"{cell_name(source)}: {text}; the cell was skipped"
                self.events.append((kind, f"{cell_name(source)}: {text}"))
                return
            except Exception as error:  # the student's cell raised: record it, run the next ones
                self.cell_errors.setdefault(
                    index, f"{cell_name(source)} raised {printable(f'{type(error).__name__}: {error}', 500)}")
        functions = {}
        for name in self.names:
            if name in self.unsendable:  # its value broke an earlier sandbox's channel: not asked for again
                functions[name] = unusable(name, self.unsendable[name])
                continue
            try:
                functions[name] = detached(self._lookup(name))
            except MessageTooLarge as failure:  # this one value is too large to cross: it costs its own checks
                self.unsendable[name] = self._lost(failure)[1]
                return
            except SandboxFailure as failure:
                self.events.append(self._lost(failure))
                return
        if not self._grader_request("pin"):
            return
        self.sandbox.channel.mirrors.pin()
        self.functions = {name: value for name, value in functions.items() if value is not MISSING}

    def _lookup(self, name):
        """One name's value from the sandbox; MISSING if undefined; a stand-in that explains, if it cannot cross."""
        try:
            found = self.sandbox.request("lookup", [name])
        except Exception as error:  # e.g. a value nested too deeply to cross (a SandboxFailure goes through)
            return unusable(name, printable(f"{type(error).__name__}: {error}", 300))
        return found[name] if isinstance(found, dict) and name in found else MISSING

    def _lost(self, failure):
        kind, text = self.sandbox.explain(failure)
        self.sandbox, self.functions = None, None
        return kind, text

    def _grader_request(self, kind):
        """
        Make a request of the grader's own (no student function runs in it); any failure stops the sandbox.

        Inputs:
        - kind: "pin" or "reset".

        Returns:
        - True when it succeeded; False when the sandbox was lost (the event is recorded).
        """
        try:
            self.sandbox.request(kind)
            return True
        except SandboxFailure as failure:
            self.events.append(self._lost(failure))
        except Exception as error:  # an error in answer to the grader's own request: the sandbox was tampered with
            self.sandbox.close()
            self.sandbox, self.functions = None, None
            self.events.append(("error", f"the sandbox failed the grader's request ({type(error).__name__})"))
        return False

    def before_case(self):
        """Start (or restart) the sandbox if needed and forget the previous case's shared values."""
        self.namespace()
        if self._grader_request("reset"):
            self.sandbox.channel.mirrors.reset()
        else:
            self.namespace()  # a fresh sandbox has nothing to forget

    def trusted_globals(self, trusted):
        """
        The notebook's globals of those names set to trusted functions, for the block (a context).

        Inputs:
        - trusted: dict name -> function; the sandbox calls them back across the boundary.
        """
        proxy = next((value for value in self.namespace().values() if hasattr(value, "substitute")), None)
        if proxy is None:  # no function crossed: nothing of the student's can call the trusted ones
            return contextlib.nullcontext()
        return proxy.substitute(**trusted)

    def failed(self, failure):
        """
        Record a SandboxFailure raised during a test case; the next case gets a fresh sandbox.

        Returns:
        - the message for that case.
        """
        kind, text = self._lost(failure)
        self.events.append((kind, text))
        return f"{text}. This check was stopped; the sandbox was restarted for the next ones."

    def printed(self):
        """What the notebook printed (capped), or '' when the sandbox is gone."""
        if self.sandbox is None:
            return ""
        try:
            return printable(self.sandbox.request("output"), self.limits.output_chars + 100).replace("\r", "")
        except SandboxFailure as failure:
            self._lost(failure)
        except Exception:  # the output could not be read back: it is only shown to the student, never graded
            pass
        return ""

    def close(self):
        """Stop the sandbox."""
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox, self.functions = None, None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
