"""A seccomp filter for the sandbox: no new processes, no sockets, no writes to files, signals only to itself.

No fork, exec or clone but a thread's: no child can multiply the memory
limit, outlive the sandbox's kill or run another program. No socket at all:
a UNIX socket file (a desktop bus, docker.sock) is not covered by Landlock on
every kernel. Signals, resource limits and scheduling may only target the
sandbox itself, so the grader is safe from them even where Landlock cannot
scope signals. No ptrace and no process_vm_readv/writev: another process's
memory is out of reach. No io_uring, no namespaces, no BPF, no perf events.

Even where Landlock is missing, no file changes and nothing is left that
another sandbox could read: no new file, folder or link (open with O_CREAT
included), no opening an existing file for writing or truncation, no
truncate, fallocate, chmod, chown, timestamps or extended attributes, no
file locks, leases or change notifications (a lock on a file two sandboxes
can read is a channel between them), no System V shared memory, semaphores
or message queues, no POSIX message queues, no kernel keyrings. So one
submission can neither wipe another nor pass answers to the next, and memory
cannot be parked outside the sandbox's limit. The parent-death signal cannot
be cleared. Filters exist for x86_64 and aarch64 Linux.
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
WRITING_OPEN = 0o1 | 0o2 | 0o100 | 0o1000  # O_WRONLY, O_RDWR, O_CREAT, O_TRUNC: the same on x86_64 and aarch64
# prctl options refused: clearing the parent-death signal, becoming dumpable again (other sandboxes could then
# read this one's memory and pipes), and renaming itself (names are readable by every process: a channel)
PRCTL_REFUSED = (1, 4, 15, 35)  # PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NAME, PR_SET_MM
# ioctl commands allowed: terminal queries, bytes waiting, non-blocking and close-on-exec flags. Every other is
# refused: FS_IOC_SETFLAGS (chattr) changes a file its owner can merely read, TIOCSTI types into a terminal.
IOCTL_ALLOWED = (0x5401, 0x5413, 0x541B, 0x5421, 0x5450, 0x5451)  # TCGETS TIOCGWINSZ FIONREAD FIONBIO FIONCLEX FIOCLEX
X32_SYSCALL_BIT = 0x40000000  # x86_64's x32 numbers: the same calls under other numbers
# fcntl commands that touch only the caller's own descriptors: F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL,
# F_DUPFD_CLOEXEC, F_GETPIPE_SZ. Every other (locks, leases, notifications, owners, seals) is refused.
FCNTL_ALLOWED = (0, 1, 2, 3, 4, 1030, 1032)

# Both architectures number these alike (the numbers were unified from 424 on).
_UNIFIED = {"pidfd_open": 434, "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427, "openat2": 437, "process_madvise": 440, "fchmodat2": 452,
            "setxattrat": 463, "removexattrat": 466}

Table = collections.namedtuple(
    "Table", "audit_arch refused clone clone3 signal_self self_or_zero opens fcntl ioctl prctl")
SYSCALLS = {
    "x86_64": Table(0xC000003E, {
        **_UNIFIED,
        # processes, sockets, other processes' memory, namespaces, kernel programs
        "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "socket": 41, "socketpair": 53, "ptrace": 101,
        "process_vm_readv": 310, "process_vm_writev": 311, "tkill": 200, "unshare": 272, "setns": 308,
        "bpf": 321, "perf_event_open": 298, "setpriority": 141, "ioprio_set": 251,
        # System V and POSIX IPC, keyrings
        "shmget": 29, "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66,
        "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "mq_open": 240,
        "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245,
        "add_key": 248, "request_key": 249, "keyctl": 250,
        # changing the file system: names, contents, metadata, locks, notifications
        "mkdir": 83, "mkdirat": 258, "rmdir": 84, "creat": 85, "link": 86, "linkat": 265, "unlink": 87,
        "unlinkat": 263, "symlink": 88, "symlinkat": 266, "rename": 82, "renameat": 264, "renameat2": 316,
        "mknod": 133, "mknodat": 259, "open_by_handle_at": 304, "truncate": 76, "ftruncate": 77,
        "fallocate": 285, "chmod": 90, "fchmod": 91, "fchmodat": 268, "chown": 92, "fchown": 93, "lchown": 94,
        "fchownat": 260, "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261, "setxattr": 188,
        "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199,
        "flock": 73, "inotify_init": 253, "inotify_init1": 294, "inotify_add_watch": 254, "fanotify_init": 300,
        "fanotify_mark": 301},
        56, 435, {"kill": 62, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297},
        {"prlimit64": 302, "sched_setaffinity": 203, "sched_setparam": 142, "sched_setscheduler": 144,
         "sched_setattr": 314},
        {"open": (2, 1), "openat": (257, 2)}, 72, 16, 157),
    "aarch64": Table(0xC00000B7, {
        **_UNIFIED,
        "execve": 221, "execveat": 281, "socket": 198, "socketpair": 199, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "tkill": 130, "unshare": 97, "setns": 268, "bpf": 280, "perf_event_open": 241,
        "setpriority": 140, "ioprio_set": 30,
        "shmget": 194, "shmat": 196, "shmctl": 195, "shmdt": 197, "semget": 190, "semop": 193, "semctl": 191,
        "semtimedop": 192, "msgget": 186, "msgsnd": 189, "msgrcv": 188, "msgctl": 187, "mq_open": 180,
        "mq_unlink": 181, "mq_timedsend": 182, "mq_timedreceive": 183, "mq_notify": 184, "mq_getsetattr": 185,
        "add_key": 217, "request_key": 218, "keyctl": 219,
        "mkdirat": 34, "linkat": 37, "unlinkat": 35, "symlinkat": 36, "renameat": 38, "renameat2": 276,
        "mknodat": 33, "open_by_handle_at": 265, "truncate": 45, "ftruncate": 46, "fallocate": 47, "fchmod": 52,
        "fchmodat": 53, "fchown": 55, "fchownat": 54, "utimensat": 88, "setxattr": 5, "lsetxattr": 6,
        "fsetxattr": 7, "removexattr": 14, "lremovexattr": 15, "fremovexattr": 16, "flock": 32,
        "inotify_init1": 26, "inotify_add_watch": 27, "fanotify_init": 262, "fanotify_mark": 263},
        220, 435, {"kill": 129, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240},
        {"prlimit64": 261, "sched_setaffinity": 122, "sched_setparam": 118, "sched_setscheduler": 119,
         "sched_setattr": 274},
        {"openat": (56, 2)}, 25, 29, 167),
}


def argument_offset(index):
    """Where the low 32 bits of a system call's argument sit in struct seccomp_data (little-endian)."""
    return FIRST_ARGUMENT_OFFSET + 8 * index


def _only_if(number, index, test, value, allowed_when_true):
    """
    Instructions: for system call `number`, return ALLOW or EPERM by one test on one argument.

    Inputs:
    - number: the system call; index: its argument (low 32 bits); test: JUMP_IF_EQUAL or JUMP_IF_BITS.
    - value: the constant compared with; allowed_when_true: whether a true test allows the call.
    """
    eperm = ERRNO | errno.EPERM
    yes, no = (ALLOW, eperm) if allowed_when_true else (eperm, ALLOW)
    return [(JUMP_IF_EQUAL, 0, 4, number), (LOAD, 0, 0, argument_offset(index)),
            (test, 0, 1, value), (RETURN, 0, 0, yes), (RETURN, 0, 0, no)]


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
               (LOAD, 0, 0, NUMBER_OFFSET), (JUMP_IF_BITS, 0, 1, X32_SYSCALL_BIT), (RETURN, 0, 0, eperm)]
    for number in table.refused.values():
        program += [(JUMP_IF_EQUAL, 0, 1, number), (RETURN, 0, 0, eperm)]
    program += [(JUMP_IF_EQUAL, 0, 1, table.clone3), (RETURN, 0, 0, enosys)]  # glibc then falls back to clone
    program += _only_if(table.clone, 0, JUMP_IF_BITS, CLONE_THREAD, True)
    for number in table.signal_self.values():
        program += _only_if(number, 0, JUMP_IF_EQUAL, pid, True)
    for number in table.self_or_zero.values():  # pid 0 means the caller itself
        program += [(JUMP_IF_EQUAL, 0, 5, number), (LOAD, 0, 0, argument_offset(0)), (JUMP_IF_EQUAL, 2, 0, 0),
                    (JUMP_IF_EQUAL, 1, 0, pid), (RETURN, 0, 0, eperm), (RETURN, 0, 0, ALLOW)]
    for number, flags in table.opens.values():  # reading is fine; creating, writing, truncating are not
        program += _only_if(number, flags, JUMP_IF_BITS, WRITING_OPEN, False)
    program += _argument_in(table.fcntl, 1, FCNTL_ALLOWED, ALLOW, eperm)
    program += _argument_in(table.ioctl, 1, IOCTL_ALLOWED, ALLOW, eperm)
    program += _argument_in(table.prctl, 0, PRCTL_REFUSED, eperm, ALLOW)
    return program + [(RETURN, 0, 0, ALLOW)]


def _argument_in(number, index, values, when_in, otherwise):
    """
    Instructions: for system call `number`, return when_in if an argument is one of values, else otherwise.

    Inputs:
    - number: the system call; index: its argument (low 32 bits); values: the constants.
    - when_in, otherwise: RETURN values (ALLOW, or ERRNO | an errno).
    """
    program = [(JUMP_IF_EQUAL, 0, len(values) + 3, number), (LOAD, 0, 0, argument_offset(index))]
    for position, value in enumerate(values):
        program.append((JUMP_IF_EQUAL, len(values) - position, 0, value))
    return program + [(RETURN, 0, 0, otherwise), (RETURN, 0, 0, when_in)]


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
