"""Confine the sandbox process before it runs student code: Landlock, limits, no privileges.

Landlock (Linux 5.13+, unprivileged) leaves the process able to read only
what Python and NumPy need (the interpreter, the venv, system libraries) and
to write only in its scratch folder: the autograder, the other submissions
and the results are out of reach. Newer kernels also deny TCP and signals to
processes outside the sandbox. Resource limits cap memory, CPU time and file
sizes; a root process first gives up every capability, so that it cannot
raise those limits again. A seccomp filter then refuses fork and exec: no
child process can multiply the memory limit or outlive the sandbox.
"""

import ctypes
import errno
import os
import resource
import signal
import sys

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # the same on every architecture
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 38, 24
RULE_PATH_BENEATH = 1
CREATE_RULESET_VERSION = 1

FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_MAKE_ANY = sum(1 << bit for bit in range(4, 13))  # remove/make dir, file, socket, fifo, device, symlink
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ_ONLY = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
SYSTEM_FOLDERS = ("/usr", "/lib", "/lib64", "/lib32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/mime.types")  # not /etc itself: no passwords, keys
DEVICES = ("/dev/zero", "/dev/urandom", "/dev/random")
WRITABLE_DEVICES = ("/dev/null",)


class ConfinementError(RuntimeError):
    """The requested isolation is not available here."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)  # the interpreter's own C library


def landlock_abi():
    """
    The Landlock ABI version of this kernel.

    Returns:
    - an int: 0 when Landlock is unavailable (old kernel, other OS, or a seccomp profile that blocks it).
    """
    if not sys.platform.startswith("linux"):
        return 0
    try:
        version = _libc().syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def describe_isolation(abi=None):
    """
    One line saying how the sandbox is isolated on this machine, for logs and reports.

    Inputs:
    - abi: the Landlock ABI (default: this kernel's).

    Returns:
    - text.
    """
    abi = landlock_abi() if abi is None else abi
    base = "process + resource limits" + (" + no fork/exec" if sys.platform.startswith("linux")
                                          and os.uname().machine in SYSCALLS else "")
    if abi == 0:
        return f"{base} only (Landlock unavailable: student code can read what this user can read)"
    parts = ["files"] + (["TCP"] if abi >= 4 else []) + (["signals"] if abi >= 6 else [])
    return f"{base} + Landlock ABI {abi} ({', '.join(parts)})"


def _fs_rights(abi):
    rights = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_READ_DIR | FS_MAKE_ANY
    if abi >= 2:
        rights |= FS_REFER
    if abi >= 3:
        rights |= FS_TRUNCATE
    if abi >= 5:
        rights |= FS_IOCTL_DEV
    return rights


def _allow(libc, ruleset, path, rights):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a folder this system does not have
    try:
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        if libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
            raise ConfinementError(f"landlock_add_rule({path}) failed: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(fd)


def restrict_filesystem(read_only, writable, abi):
    """
    Apply Landlock to this process: read-only and writable folders, no TCP, no signals out.

    Inputs:
    - read_only: paths (folders or files) the process may read and execute.
    - writable: folders it may also write, create and delete in.
    - abi: the kernel's Landlock ABI (>= 1).
    """
    libc = _libc()
    handled = _fs_rights(abi)
    attr = _RulesetAttr(handled, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise ConfinementError(f"landlock_create_ruleset failed: {os.strerror(ctypes.get_errno())}")
    try:
        for path in read_only:
            _allow(libc, ruleset, path, READ_ONLY & handled)
        for path in writable:
            _allow(libc, ruleset, path, handled)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise ConfinementError(f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")
        if libc.syscall(SYS_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)) != 0:
            raise ConfinementError(f"landlock_restrict_self failed: {os.strerror(ctypes.get_errno())}")
    finally:
        os.close(ruleset)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """Give up every capability (root keeps its uid but can no longer raise limits or bypass file modes)."""
    if os.geteuid() != 0:
        return
    libc = _libc()
    for capability in range(64):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails harmlessly past the last capability
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise ConfinementError(f"capset failed: {os.strerror(ctypes.get_errno())}")


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
    libc = _libc()
    filters = (_SockFilter * len(program))(*[_SockFilter(*instruction) for instruction in program])
    fprog = _SockFprog(len(program), filters)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise ConfinementError(f"seccomp failed: {os.strerror(ctypes.get_errno())}")
    return True


PR_SET_PDEATHSIG = 1


def die_with_parent(signum):
    """
    Ask the kernel to send this process a signal when the process that started it dies.

    Inputs:
    - signum: the signal, e.g. signal.SIGKILL (a sandbox) or signal.SIGTERM (a grading worker).
    """
    if sys.platform.startswith("linux"):
        _libc().prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(1)


def limit_resources(memory_bytes, cpu_seconds, file_bytes):
    """
    Set hard resource limits on this process and its children.

    Inputs:
    - memory_bytes: the address space (RLIMIT_AS); a bigger allocation raises MemoryError.
    - cpu_seconds: CPU time, a backstop for processes that outlive the sandbox.
    - file_bytes: the largest file the process may write (writes beyond fail with EFBIG).
    """
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for limit, value in [(resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_FSIZE, file_bytes), (resource.RLIMIT_CORE, 0)]:
        resource.setrlimit(limit, (value, value))


def confine(scratch, memory_bytes, cpu_seconds, file_bytes, isolation="auto"):
    """
    Everything above, in order; call once, after imports and before any student code.

    Inputs:
    - scratch: the sandbox's own folder (its cwd, HOME and TMPDIR), the only writable place.
    - memory_bytes, cpu_seconds, file_bytes: see limit_resources.
    - isolation: "landlock" (fail without it), "auto" (use it when the kernel has it) or "none".

    Returns:
    - the Landlock ABI applied (0 for none).
    """
    abi = landlock_abi() if isolation != "none" else 0
    if isolation == "landlock" and abi == 0:
        raise ConfinementError("Landlock is not available on this kernel; grade with --isolation auto or none")
    if abi:
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
        readable = sorted(prefixes) + list(SYSTEM_FOLDERS) + list(SYSTEM_FILES) + list(DEVICES)
        restrict_filesystem(readable, [scratch, *WRITABLE_DEVICES], abi)
    limit_resources(memory_bytes, cpu_seconds, file_bytes)
    drop_capabilities()
    forbid_new_processes()
    return abi
