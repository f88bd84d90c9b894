"""Confine the sandbox process before it runs student code: every wall, in order.

Landlock leaves the process able to read only what Python and NumPy need
(the interpreter, the venv, system libraries) and to write only in its
scratch folder: the autograder, the other submissions and the results are out
of reach. Resource limits cap memory, CPU time and file sizes; a root process
then gives up every capability, so that it cannot raise them again; a seccomp
filter refuses new processes, sockets and signals to anyone else.
"""

import os
import pathlib
import sys

from .landlock import landlock_abi, restrict_filesystem
from .linux import ConfinementError, drop_capabilities, limit_resources
from .seccomp import SYSCALLS, restrict_syscalls

SYSTEM_FOLDERS = ("/usr", "/lib", "/lib64", "/lib32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/mime.types")  # not /etc itself: no passwords, keys
DEVICES = ("/dev/zero", "/dev/urandom", "/dev/random")
WRITABLE_DEVICES = ("/dev/null",)
CODE_ROOT = str(pathlib.Path(__file__).resolve().parents[2])  # the grader's folder: never readable


def library_folders():
    """
    Where this Python finds its code: its prefixes and every folder on sys.path but the grader's own.

    Returns:
    - a sorted list of paths (site-packages added by a .pth file included).
    """
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    folders.update(os.path.realpath(path) for path in sys.path if path and os.path.isdir(path))
    return sorted(folders - {CODE_ROOT})


def landlock_in_use(isolation="auto"):
    """
    The Landlock ABI a sandbox with this isolation setting gets on this machine.

    Inputs:
    - isolation: "auto", "landlock" or "none" (see confine).

    Returns:
    - the ABI, 0 for none.
    """
    return landlock_abi() if isolation != "none" else 0


def describe_isolation(isolation="auto"):
    """
    One line saying how the sandbox is isolated on this machine, for logs and reports.

    Inputs:
    - isolation: the sandbox's isolation setting (Limits.isolation).

    Returns:
    - text.
    """
    abi = landlock_in_use(isolation)
    base = "process + resource limits" + (" + seccomp (no processes, sockets, shared memory or signals out)"
                                          if sys.platform.startswith("linux") and os.uname().machine in SYSCALLS else "")
    if abi == 0:
        return f"{base} only (Landlock unavailable: student code can read what this user can read)"
    parts = ["files"] + (["TCP"] if abi >= 4 else []) + (["signals"] if abi >= 6 else [])
    return f"{base} + Landlock ABI {abi} ({', '.join(parts)})"


def confine(scratch, memory_bytes, cpu_seconds, isolation="auto"):
    """
    Apply Landlock, limits, no capabilities and the seccomp filter; once, after imports, before student code.

    Inputs:
    - scratch: the sandbox's own empty folder (its cwd, HOME and TMPDIR), readable only: student code
      writes no file anywhere, so it cannot fill a disk or leave anything for another submission.
    - memory_bytes, cpu_seconds: see limit_resources.
    - isolation: "landlock" (fail without it), "auto" (use it when the kernel has it) or "none".

    Returns:
    - the Landlock ABI applied (0 for none).
    """
    abi = landlock_in_use(isolation)
    if isolation == "landlock" and abi == 0:
        raise ConfinementError("Landlock is not available on this kernel; grade with --isolation auto or none")
    if abi:
        readable = library_folders() + list(SYSTEM_FOLDERS) + list(SYSTEM_FILES) + list(DEVICES)
        restrict_filesystem(readable + [scratch], list(WRITABLE_DEVICES), abi)
    limit_resources(memory_bytes, cpu_seconds)
    drop_capabilities()
    restrict_syscalls()
    return abi
