"""Linux process primitives for the sandbox: the C library, limits, capabilities, dying with the parent."""

import ctypes
import os
import resource
import signal
import sys

PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 38, 24, 1, 4


class ConfinementError(RuntimeError):
    """The requested isolation is not available here."""


def libc():
    """The interpreter's own C library, with errno kept for error messages."""
    return ctypes.CDLL(None, use_errno=True)


def no_new_privileges():
    """Set no_new_privs: nothing this process runs can gain privileges (Landlock and seccomp require it)."""
    if libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise ConfinementError(f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """Give up every capability (root keeps its uid but can no longer raise limits or bypass file modes)."""
    if os.geteuid() != 0:
        return
    c = libc()
    for capability in range(64):
        c.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails harmlessly past the last capability
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    if c.capset(ctypes.byref(header), data) != 0:
        raise ConfinementError(f"capset failed: {os.strerror(ctypes.get_errno())}")


def die_with_parent(signum):
    """
    Ask the kernel to send this process a signal when the process that started it dies.

    Inputs:
    - signum: the signal, e.g. signal.SIGKILL (a sandbox) or signal.SIGTERM (a grading worker).
    """
    if sys.platform.startswith("linux"):
        libc().prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(1)


def not_dumpable():
    """
    Make this process non-dumpable: other processes of the same user without capabilities (a sandbox where
    Landlock is missing) can then neither read nor write its memory (/proc/<pid>/mem, process_vm_*, ptrace)
    nor read its /proc entries (environ, fd). No effect outside Linux.
    """
    if sys.platform.startswith("linux") and libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise ConfinementError(f"prctl(SET_DUMPABLE) failed: {os.strerror(ctypes.get_errno())}")


def limit_resources(memory_bytes, cpu_seconds):
    """
    Set hard resource limits on this process: memory, CPU time, no file content, no core dumps.

    Inputs:
    - memory_bytes: the address space (RLIMIT_AS); a bigger allocation raises MemoryError.
    - cpu_seconds: CPU time, a backstop behind the grader's wall-clock limits.
    File size is limited to 0 bytes: even without Landlock, writing to a file fails (EFBIG).
    """
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for limit, value in [(resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_FSIZE, 0), (resource.RLIMIT_CORE, 0)]:
        resource.setrlimit(limit, (value, value))
