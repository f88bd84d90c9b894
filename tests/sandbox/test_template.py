"""Tests for backprop.sandbox.template and template_client: every sandbox a fresh fork of a clean template process.

The walls of each sandbox are asserted by test_process.py, whose sandboxes are forked by the template too; here:
nothing passes from one sandbox to the next, the template stays clean, alive and out of its children's reach, and
it starts, dies and restarts with the grading process.
"""

import concurrent.futures
import json
import multiprocessing
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from backprop.sandbox import template_client
from backprop.sandbox.errors import SandboxFailure
from backprop.sandbox.process import Limits, Sandbox, SandboxStartError, preflight, stop_all
from backprop.sandbox.seccomp import SYSCALLS
from conftest import FIXTURES, ROOT, runs_as

LIMITS = Limits(call_seconds=2.0, submission_seconds=30.0, memory_mb=512)
has_seccomp = pytest.mark.skipif(os.uname().machine not in SYSCALLS, reason="no seccomp filter for this architecture")


def run(sandbox, source):
    """Run source in the sandbox and return the value of its `result` variable."""
    sandbox.request("exec", 0, source)
    return sandbox.request("lookup", ["result"]).get("result")


def status(pid):
    """The fields of /proc/<pid>/status as a dict (readable by anyone, even for a process that is not dumpable)."""
    lines = pathlib.Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def children(pid):
    """The pids of every process (zombies included) whose parent is pid."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def gone(pid, seconds=5.0):
    """True when the process has ended within a few seconds (a zombie counts as ended)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_each_sandbox_is_a_new_process_forked_by_one_template():
    """Does every sandbox run in a process of its own (a new pid each time), all forked by one template that is
    neither this process nor any sandbox?"""
    pids, parents = [], set()
    for _ in range(4):
        with Sandbox(LIMITS) as sandbox:
            pids.append(run(sandbox, "import os\nresult = os.getpid()"))
            parents.add(run(sandbox, "import os\nresult = os.getppid()"))
            assert pids[-1] == sandbox.process.pid
    assert len(set(pids)) == 4 and os.getpid() not in pids
    (template,) = parents
    assert template not in (os.getpid(), *pids) and not gone(template, 0)


@pytest.mark.parametrize("change, look", [
    ("answer = 42", "result = globals().get('answer', 'unset')"),
    ("import numpy\nnumpy.sum = lambda *a, **k: 'patched'", "import numpy\nresult = repr(numpy.sum([1, 2]))"),
    ("import numpy\nnumpy.allclose = lambda *a, **k: True",
     "import numpy\nresult = bool(numpy.allclose(0.0, 1.0))"),
    ("import sys, types\nsys.modules['answers'] = types.ModuleType('answers')",
     "import sys\nresult = 'answers' in sys.modules"),
    ("import os\nos.environ['ANSWER'] = '42'", "import os\nresult = os.environ.get('ANSWER', 'unset')"),
    ("import builtins\nbuiltins.answer = 42", "import builtins\nresult = getattr(builtins, 'answer', 'unset')"),
    ("import builtins\nbuiltins.abs = lambda x: 42", "result = abs(-1)"),
    ("import numpy\nnumpy.random.seed(0)", "import numpy\nresult = numpy.random.rand() == 0.5488135039273248"),
])
def test_nothing_one_sandbox_changes_is_seen_by_the_next(change, look):
    """Are a global, a patched NumPy function, a sys.modules entry, an environment variable, a written builtin and
    NumPy's random state, changed in one sandbox, absent from the next one forked by the same template?"""
    with Sandbox(LIMITS) as fresh:
        before = run(fresh, look)
        template = fresh.process.template.pid
    with Sandbox(LIMITS) as first:
        first.request("exec", 0, change)
        changed = run(first, look)
    with Sandbox(LIMITS) as second:
        assert second.process.template.pid == template
        assert run(second, look) == before
    assert changed != before


def test_random_numbers_differ_from_one_sandbox_to_the_next():
    """Does NumPy's global generator (and Python's random) give each sandbox its own numbers, as a freshly started
    Python would, instead of the template's state repeated in every fork?"""
    draws = []
    for _ in range(3):
        with Sandbox(LIMITS) as sandbox:
            draws.append(run(sandbox, "import numpy, random\nresult = [int(numpy.random.randint(2 ** 62)), "
                                      "random.getrandbits(62)]"))
    assert len({numpy for numpy, _ in draws}) == 3 and len({python for _, python in draws}) == 3


def test_the_template_holds_nothing_of_the_grader():
    """Does a sandbox, a copy of its template, hold no module of the grader (no otter, no tests, no reference, no
    backprop.grade or checks) and no trusted object, only NumPy and the sandbox's own modules?"""
    with Sandbox(LIMITS) as sandbox:
        modules = run(sandbox, "import sys\nresult = sorted(sys.modules)")
    assert "numpy" in modules and "backprop.sandbox.worker" in modules
    grader = [name for name in modules if name.split(".")[0] in ("otter", "reference", "feedback", "tests", "conftest")
              or name.startswith(("backprop.grade", "backprop.checks", "backprop.generate", "backprop.gradescope"))]
    assert grader == []


@has_seccomp
def test_the_child_is_confined_and_its_template_is_not():
    """Is each forked sandbox under the seccomp filter, no_new_privs, no capabilities and its memory limit, while the
    template that forked it keeps none of these (the walls are the child's, set after the fork)?"""
    with Sandbox(LIMITS) as sandbox:
        child, template = status(sandbox.process.pid), status(sandbox.process.template.pid)
        limits = pathlib.Path(f"/proc/{sandbox.process.pid}/limits").read_text()
    assert (child["Seccomp"], child["NoNewPrivs"], child["CapEff"]) == ("2", "1", "0000000000000000")
    assert (template["Seccomp"], template["NoNewPrivs"]) == ("0", "0")
    assert f"Max address space         {LIMITS.memory_mb << 20}" in limits


def test_the_template_runs_one_thread_and_keeps_no_descriptor_of_its_children():
    """Does the template fork with a single thread, and are the pipe ends it passed on closed in it, so that its
    descriptors do not grow with the sandboxes it forked?"""
    with Sandbox(LIMITS) as sandbox:
        template = sandbox.process.template.pid
    before = sorted(os.listdir(f"/proc/{template}/fd"))
    for _ in range(5):
        with Sandbox(LIMITS) as sandbox:
            assert run(sandbox, "result = 1") == 1
    assert sorted(os.listdir(f"/proc/{template}/fd")) == before
    assert status(template)["Threads"] == "1"


def test_a_sandbox_keeps_only_its_pipe_and_dev_null():
    """Does a forked sandbox hold no descriptor of its template (its socket, the other sandboxes' pipes): only
    /dev/null on 0, 1, 2 and its own two pipe ends?"""
    with Sandbox(LIMITS) as other, Sandbox(LIMITS) as sandbox:
        assert run(other, "result = 1") == 1
        fds = {int(fd): os.readlink(f"/proc/{sandbox.process.pid}/fd/{fd}")
               for fd in os.listdir(f"/proc/{sandbox.process.pid}/fd")}
    assert [fds[fd] for fd in (0, 1, 2)] == ["/dev/null"] * 3
    assert len(fds) == 5 and all(target.startswith("pipe:") for fd, target in fds.items() if fd > 2)


@pytest.mark.parametrize("source, words", [
    ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "killed by SIGSEGV"),
    ("import os\nos._exit(3)", "exited with code 3"),
    ("import sys\nsys.exit(5)", None),  # SystemExit is reported as the cell's exception: the sandbox lives on
    ("big = bytearray(1 << 40)", None),  # MemoryError: the sandbox lives on
    ("while True:\n    pass", "did not finish within 2 s"),  # killed by close()
])
def test_the_template_survives_whatever_ends_a_sandbox(source, words):
    """When a sandbox crashes, exits, runs out of memory or is killed, is the end explained as before, and does
    the same template, untouched, fork the next sandbox?"""
    with Sandbox(LIMITS) as sandbox:
        template = sandbox.process.template.pid
        try:
            sandbox.request("exec", 0, source)
        except SandboxFailure as failure:
            assert words in sandbox.explain(failure)[1]
        except Exception:  # the cell's own exception, reported across the boundary
            assert words is None and run(sandbox, "result = 2") == 2
        else:
            pytest.fail("the cell raised nothing")
    assert not gone(template, 0)
    with Sandbox(LIMITS) as sandbox:
        assert sandbox.process.template.pid == template and run(sandbox, "result = 7") == 7


def test_closed_sandboxes_leave_no_zombie():
    """After sandboxes are closed (ended in every way), has the template reaped them all, and is each one's return
    code known (killed by SIGKILL for one still running when closed)?"""
    sandboxes = [Sandbox(LIMITS) for _ in range(3)]
    template = sandboxes[0].process.template.pid
    with pytest.raises(SandboxFailure):
        sandboxes[1].request("exec", 0, "import os\nos._exit(3)")
    sandboxes[0].close()
    sandboxes[1].close()
    sandboxes[2].close()
    assert [sandbox.process.returncode for sandbox in sandboxes] == [-signal.SIGKILL, 3, -signal.SIGKILL]
    assert children(template) == []


def test_a_dead_template_is_replaced_transparently():
    """When the template dies (killed), do its sandboxes die with it (an error saying they were killed), and does the
    next Sandbox start a new template without any error?"""
    sandbox = Sandbox(LIMITS)
    template = sandbox.process.template.pid
    os.kill(template, signal.SIGKILL)
    assert gone(sandbox.process.pid)
    with pytest.raises(SandboxFailure) as failure:
        sandbox.request("exec", 0, "result = 1")
    assert sandbox.explain(failure.value) == ("error", "the sandbox process was killed by SIGKILL (a crash, or a "
                                                       "limit of memory or CPU)")
    with Sandbox(LIMITS) as again:
        assert again.process.template.pid != template and run(again, "result = 1") == 1


def test_stop_all_stops_the_template_too():
    """Does stop_all() (SIGTERM in a grading worker) end the template with the sandboxes, and the next Sandbox start
    a new one?"""
    sandbox = Sandbox(LIMITS)
    template = sandbox.process.template.pid
    stop_all()
    assert gone(template) and gone(sandbox.process.pid)
    with Sandbox(LIMITS) as again:
        assert run(again, "result = 1") == 1


@pytest.mark.parametrize("ending", ["exits", "is killed"])
def test_the_template_and_its_sandboxes_die_with_the_grading_process(tmp_path, ending):
    """When a grading process exits or is killed outright, do its template and the template's sandbox die too?"""
    script = ("import os, sys, time\nsys.path.insert(0, %r)\nfrom backprop.sandbox.process import Sandbox, Limits\n"
              "sandbox = Sandbox(Limits())\nprint(sandbox.process.pid, sandbox.process.template.pid, flush=True)\n"
              "%s\n") % (str(ROOT), "os._exit(0)" if ending == "exits" else "time.sleep(60)")
    grader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "TMPDIR": str(tmp_path)})  # its scratch folder is left behind
    sandbox, template = map(int, grader.stdout.readline().split())
    if ending == "is killed":
        grader.kill()
    grader.wait(30)
    grader.stdout.close()
    assert gone(template) and gone(sandbox)


def sandbox_lineage(_):
    """In a forked worker: (this worker's pid, its sandbox's template's pid, that template's parent's pid)."""
    with Sandbox(LIMITS) as sandbox:
        template = sandbox.process.template.pid
        return os.getpid(), template, int(status(template)["PPid"])


def test_a_forked_grading_worker_starts_its_own_template():
    """Does a grading worker forked from a process that has a template (the batch after its preflight) start a
    template of its own, child of the worker, rather than share its parent's?"""
    with Sandbox(LIMITS) as sandbox:
        ours = sandbox.process.template.pid
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        worker, template, parent = pool.submit(sandbox_lineage, None).result(timeout=60)
    assert template != ours and parent == worker != os.getpid()
    with Sandbox(LIMITS) as sandbox:  # this process's own template still serves
        assert sandbox.process.template.pid == ours


def test_preflight_runs_through_the_template():
    """Does the preflight sandbox start from the template and pass?"""
    preflight(LIMITS)


def test_a_template_that_cannot_start_is_a_start_error_with_its_reason(monkeypatch):
    """When the template's Python fails before it is ready (a NumPy it cannot import, say), is every Sandbox a
    SandboxStartError carrying what the template said?"""
    stop_all()
    monkeypatch.setattr(template_client, "BOOT", "raise SystemExit('no numpy for this user')")
    with pytest.raises(SandboxStartError, match="did not start .*no numpy for this user"):
        Sandbox(LIMITS)
    monkeypatch.undo()
    with Sandbox(LIMITS) as sandbox:
        assert run(sandbox, "result = 1") == 1


def test_a_sandbox_that_cannot_confine_itself_is_a_start_error():
    """When a forked sandbox fails to put up its walls (here a memory limit no resource limit can hold), is the
    Sandbox a SandboxStartError saying why, student code never running, and does the template serve the next one?"""
    with pytest.raises(SandboxStartError, match="could not confine itself: OverflowError"):
        Sandbox(Limits(memory_mb=1 << 50))
    with Sandbox(LIMITS) as sandbox:
        assert run(sandbox, "result = 1") == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="running code as another user needs root")
def test_a_sandbox_user_that_cannot_run_python_is_a_start_error():
    """With --sandbox-user set to an account that cannot run this Python, is the Sandbox a SandboxStartError that
    says why?"""
    if runs_as("nobody", sys.executable):
        pytest.skip("nobody can run this Python here")
    with pytest.raises(SandboxStartError, match="Permission denied"):
        Sandbox(Limits(user="nobody"))


@pytest.mark.parametrize("grader", ["dumpable", "not-dumpable"])
def test_the_template_memory_is_out_of_reach_of_its_sandboxes(unprivileged, grader):
    """Run as one user without capabilities or Landlock, can a sandbox open its template's memory (/proc/<ppid>/mem),
    read or write it with process_vm_readv/writev or ptrace it, whatever its grader? The template is not dumpable."""
    command = [unprivileged.python, str(FIXTURES / "scripts" / "grader_memory_as_user.py"), grader, "template"]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60,
                            user=unprivileged.user, cwd="/").stdout
    lines = dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)
    assert len(lines) == 5 and all(verdict.startswith("refused") for verdict in lines.values())


def test_a_sandbox_cannot_read_its_template_s_environment_or_descriptors():
    """Without Landlock, are the template's /proc entries that give away its state (its socket and other descriptors,
    environment, memory) refused to a sandbox of the same user?"""
    with Sandbox(Limits(call_seconds=2.0, isolation="none")) as sandbox:
        template = sandbox.process.template.pid
        descriptors = [f"/proc/{template}/fd/{fd}" for fd in os.listdir(f"/proc/{template}/fd")]  # listed here
        for path in descriptors + [f"/proc/{template}/environ", f"/proc/{template}/mem"]:
            with pytest.raises(PermissionError):
                sandbox.request("exec", 0, f"open({path!r}, 'rb').read(1)")


def test_the_template_answers_nothing_but_its_two_requests():
    """Does the template refuse a malformed or unknown request, and a spawn without its two pipe ends, and keep
    serving?"""
    with Sandbox(LIMITS) as sandbox:
        template = sandbox.process.template
    requests = [{"op": "exec"}, {"op": "spawn", "settings": {}}, {"op": "wait", "pid": os.getpid()}]
    for message in [b"not json"] + [json.dumps(request).encode() for request in requests]:
        template.connection.sendall(message)
        assert "error" in json.loads(template.connection.recv(1 << 16))
    with Sandbox(LIMITS) as sandbox:
        assert sandbox.process.template is template and run(sandbox, "result = 1") == 1
