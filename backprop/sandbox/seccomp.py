"""A seccomp filter for the sandbox: no new processes, no sockets, no shared state, signals only to itself.

No fork, exec or clone but a thread's: no child can multiply the memory
limit, outlive the sandbox's kill or run another program. No socket at all:
a UNIX socket file (a desktop bus, docker.sock) is not covered by Landlock on
every kernel. Signals may only target the sandbox itself, so the grader is
safe from them even where Landlock cannot scope signals. No ptrace, no
io_uring. Nothing that outlives the sandbox and a later one could read: no
System V shared memory, semaphores or message queues, no POSIX message
queues, no new file, folder or link (open with O_CREAT included), even where
Landlock is missing; so one submission cannot pass answers to the next, and
memory cannot be parked outside the sandbox's limit. The parent-death signal
cannot be cleared. Filters exist for x86_64 and aarch64 Linux.
"""

import collections
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
ARCH_OFFSET, NUMBER_OFFSET, FIRST_ARGUMENT_OFFSET = 4, 0, 16  # in struct seccomp_data (little-endian)
ALLOW, ERRNO = 0x7FFF0000, 0x00050000
CLONE_THREAD = 0x00010000
O_CREAT = 0o100  # the same on x86_64 and aarch64
PR_SET_PDEATHSIG = 1

Table = collections.namedtuple("Table", "audit_arch refused clone clone3 own_pid_only creating_open prctl")
SYSCALLS = {
    "x86_64": Table(0xC000003E, {
        "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "socket": 41, "socketpair": 53, "ptrace": 101,
        "process_vm_readv": 310, "process_vm_writev": 311, "tkill": 200, "pidfd_open": 434,
        "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "shmget": 29, "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66,
        "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "mq_open": 240,
        "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245,
        "mkdir": 83, "mkdirat": 258, "rmdir": 84, "creat": 85, "link": 86, "linkat": 265, "unlink": 87,
        "unlinkat": 263, "symlink": 88, "symlinkat": 266, "rename": 82, "renameat": 264, "renameat2": 316,
        "mknod": 133, "mknodat": 259, "openat2": 437},
        56, 435, {"kill": 62, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297},
        {"open": (2, 1), "openat": (257, 2)}, 157),
    "aarch64": Table(0xC00000B7, {
        "execve": 221, "execveat": 281, "socket": 198, "socketpair": 199, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "tkill": 130, "pidfd_open": 434, "pidfd_send_signal": 424,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "shmget": 194, "shmat": 196, "shmctl": 195, "shmdt": 197, "semget": 190, "semop": 193, "semctl": 191,
        "semtimedop": 192, "msgget": 186, "msgsnd": 189, "msgrcv": 188, "msgctl": 187, "mq_open": 180,
        "mq_unlink": 181, "mq_timedsend": 182, "mq_timedreceive": 183, "mq_notify": 184, "mq_getsetattr": 185,
        "mkdirat": 34, "linkat": 37, "unlinkat": 35, "symlinkat": 36, "renameat": 38, "renameat2": 276,
        "mknodat": 33, "openat2": 437},
        220, 435, {"kill": 129, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240},
        {"openat": (56, 2)}, 167),
}


def argument_offset(index):
    """Where the low 32 bits of a system call's argument sit in struct seccomp_data (little-endian)."""
    return FIRST_ARGUMENT_OFFSET + 8 * index


def sandbox_filter(machine, pid):
    """
    The seccomp program, as BPF instructions.

    Inputs:
    - machine: os.uname().machine; pid: the sandbox's own process id (the only target of its signals).

    Returns:
    - a list of (code, jt, jf, k) instructions, or None for an architecture this does not know.
    """
    if machine not in SYSCALLS:
        return None
    table = SYSCALLS[machine]
    eperm, enosys = ERRNO | errno.EPERM, ERRNO | errno.ENOSYS
    program = [(LOAD, 0, 0, ARCH_OFFSET), (JUMP_IF_EQUAL, 1, 0, table.audit_arch), (RETURN, 0, 0, eperm),
               (LOAD, 0, 0, NUMBER_OFFSET)]
    for number in table.refused.values():
        program += [(JUMP_IF_EQUAL, 0, 1, number), (RETURN, 0, 0, eperm)]
    program += [(JUMP_IF_EQUAL, 0, 1, table.clone3), (RETURN, 0, 0, enosys)]  # glibc then falls back to clone
    program += [(JUMP_IF_EQUAL, 0, 4, table.clone), (LOAD, 0, 0, FIRST_ARGUMENT_OFFSET),
                (JUMP_IF_BITS, 0, 1, CLONE_THREAD), (RETURN, 0, 0, ALLOW), (RETURN, 0, 0, eperm)]
    for number in table.own_pid_only.values():
        program += [(JUMP_IF_EQUAL, 0, 4, number), (LOAD, 0, 0, FIRST_ARGUMENT_OFFSET),
                    (JUMP_IF_EQUAL, 1, 0, pid), (RETURN, 0, 0, eperm), (RETURN, 0, 0, ALLOW)]
    for number, flags in table.creating_open.values():  # reading is fine, creating is not
        program += [(JUMP_IF_EQUAL, 0, 4, number), (LOAD, 0, 0, argument_offset(flags)),
                    (JUMP_IF_BITS, 0, 1, O_CREAT), (RETURN, 0, 0, eperm), (RETURN, 0, 0, ALLOW)]
    program += [(JUMP_IF_EQUAL, 0, 4, table.prctl), (LOAD, 0, 0, FIRST_ARGUMENT_OFFSET),
                (JUMP_IF_EQUAL, 0, 1, PR_SET_PDEATHSIG), (RETURN, 0, 0, eperm), (RETURN, 0, 0, ALLOW)]
    return program + [(RETURN, 0, 0, ALLOW)]


def restrict_syscalls():
    """
    Install the filter on this process (for good: it cannot be removed, and threads inherit it).

    Returns:
    - True when the filter is in place (Linux on x86_64 or aarch64), else False.
    """
    program = sandbox_filter(os.uname().machine, os.getpid()) if sys.platform.startswith("linux") else None
    if program is None:
        return False
    filters = (_SockFilter * len(program))(*[_SockFilter(*instruction) for instruction in program])
    fprog = _SockFprog(len(program), filters)
    no_new_privileges()
    if libc().prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise ConfinementError(f"seccomp failed: {os.strerror(ctypes.get_errno())}")
    return True
