"""A seccomp filter that refuses new processes: no fork, no exec, no clone but a thread's.

So no child can multiply the sandbox's memory limit, outlive its kill, or
run another program. Filters exist for x86_64 and aarch64 Linux.
"""

import ctypes
import errno
import os
import sys

from .linux import ConfinementError, libc, no_new_privileges


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
LOAD, JUMP_IF_EQUAL, JUMP_IF_BITS, RETURN = 0x20, 0x15, 0x45, 0x06
ALLOW, ERRNO = 0x7FFF0000, 0x00050000
CLONE_THREAD = 0x00010000
# architecture -> (audit arch, syscalls refused with EPERM, clone, clone3)
SYSCALLS = {
    "x86_64": (0xC000003E, {"fork": 57, "vfork": 58, "execve": 59, "execveat": 322}, 56, 435),
    "aarch64": (0xC00000B7, {"execve": 221, "execveat": 281}, 220, 435),
}


def _no_processes_filter(machine):
    """
    A seccomp program: no new processes and no exec; threads (clone with CLONE_THREAD) are allowed.

    Inputs:
    - machine: os.uname().machine.

    Returns:
    - a list of (code, jt, jf, k) instructions, or None for an architecture this does not know.
    """
    if machine not in SYSCALLS:
        return None
    arch, refused, clone, clone3 = SYSCALLS[machine]
    eperm, enosys = ERRNO | errno.EPERM, ERRNO | errno.ENOSYS
    program = [(LOAD, 0, 0, 4), (JUMP_IF_EQUAL, 1, 0, arch), (RETURN, 0, 0, eperm), (LOAD, 0, 0, 0)]
    for number in refused.values():
        program += [(JUMP_IF_EQUAL, 0, 1, number), (RETURN, 0, 0, eperm)]
    program += [(JUMP_IF_EQUAL, 0, 1, clone3), (RETURN, 0, 0, enosys)]  # glibc then falls back to clone
    program += [(JUMP_IF_EQUAL, 0, 4, clone), (LOAD, 0, 0, 16), (JUMP_IF_BITS, 0, 1, CLONE_THREAD),
                (RETURN, 0, 0, ALLOW), (RETURN, 0, 0, eperm)]
    return program + [(RETURN, 0, 0, ALLOW)]


def forbid_new_processes():
    """
    Refuse fork, exec and every clone but a thread's, so that nothing escapes the sandbox's limits or its kill.

    Returns:
    - True when the filter is in place (Linux on x86_64 or aarch64), else False.
    """
    program = _no_processes_filter(os.uname().machine) if sys.platform.startswith("linux") else None
    if program is None:
        return False
    filters = (_SockFilter * len(program))(*[_SockFilter(*instruction) for instruction in program])
    fprog = _SockFprog(len(program), filters)
    no_new_privileges()
    if libc().prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise ConfinementError(f"seccomp failed: {os.strerror(ctypes.get_errno())}")
    return True
