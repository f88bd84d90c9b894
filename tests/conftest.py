"""Shared paths and helpers for the framework's tests."""

import csv
import functools
import io
import json
import os
import pathlib
import pwd
import shutil
import subprocess
import sys
import tempfile
import types
import zipfile

import jsonschema
import pytest

from backprop.grade import grade_cells, question_order, run_tests
from backprop.gradescope.build import zip_bytes
from backprop.sandbox.process import Limits

ROOT = pathlib.Path(__file__).resolve().parent.parent
MASTER = ROOT / "solutions" / "two_layer_net.ipynb"
HANDOUT = ROOT / "assignment" / "two_layer_net"  # what students get
STUDENT = HANDOUT / "two_layer_net.ipynb"
AUTOGRADER = ROOT / "autograder" / "two_layer_net"
FIXTURES = ROOT / "tests" / "fixtures"
COURSE = FIXTURES / "course"  # a small course of two assignments (tiny, short_answers) for the framework's tests
IMPLEMENTATIONS = FIXTURES / "implementations"
SUBMISSIONS = FIXTURES / "submissions"
TAMPERING = FIXTURES / "tampering"
QUESTIONS = question_order(AUTOGRADER)
# Short limits keep the tests that hit them fast; generous enough for every honest fixture.
FAST = Limits(call_seconds=2.0, submission_seconds=60.0)


def table_of(path):
    """The rows of a CSV the grader wrote (UTF-8 with a byte order mark, as Excel wants it), as dicts."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def namespace_of(*paths):
    """
    Execute Python files, in order, into one namespace in this process (later definitions win).

    What a Jupyter kernel, and so otter's grader.check, sees; for the framework's own trusted fixtures only.
    """
    namespace = {"__name__": "__main__"}
    for path in paths:
        exec(compile(pathlib.Path(path).read_text(), str(path), "exec"), namespace)
    return namespace


def grade(namespace, tests_dir=AUTOGRADER / "tests"):
    """Every question's results for an in-process namespace, as a dict name -> QuestionResult."""
    return {result.name: result for result in run_tests(tests_dir, namespace, QUESTIONS)}


# Each question's points (the sum of its cases' points, public and hidden), read off grading the reference
# in-process, so that no test hard-codes a total the homework's tests may change.
POSSIBLE = {name: result.possible for name, result in grade(namespace_of(AUTOGRADER / "reference.py")).items()}
TOTAL = sum(POSSIBLE.values())


def possible(*questions):
    """The points the named questions offer together (one question: its points)."""
    return sum(POSSIBLE[question] for question in questions)


@functools.lru_cache(maxsize=None)
def _sandboxed(paths, limits):
    cells = [(index, pathlib.Path(path).read_text()) for index, path in enumerate(paths)]
    return grade_cells(cells, AUTOGRADER, limits)


def grade_sandboxed(*paths, limits=FAST):
    """
    Grade Python files as one submission's cells, through the sandbox (cached per set of files).

    Returns:
    - a dict name -> QuestionResult.
    """
    return {result.name: result for result in _sandboxed(tuple(str(p) for p in paths), limits).questions}


@pytest.fixture
def reference_namespace():
    """A fresh namespace holding the reference solution."""
    return namespace_of(AUTOGRADER / "reference.py")


def world_readable_folder(prefix):
    """A new folder in /tmp that every user can enter and read (pytest's own temporary folders are root's only)."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o755)
    return folder


def as_user(user, command):
    """
    Run a command as another user, as the sandbox starts (no capabilities kept, that user's group only).

    Returns:
    - the exit code.
    """
    entry = pwd.getpwnam(user)
    return subprocess.run(command, capture_output=True, timeout=60, user=entry.pw_uid, group=entry.pw_gid,
                          extra_groups=[], cwd="/").returncode


def runs_as(user, python):
    """True when user can start python and import what the sandbox needs from this checkout."""
    probe = f"import sys; sys.path.insert(0, {str(ROOT)!r}); import numpy, nbformat, otter, backprop.sandbox.worker"
    try:
        return as_user(user, [python, "-I", "-c", probe]) == 0
    except PermissionError:  # the interpreter itself is out of reach
        return False


@pytest.fixture(scope="session")
def unprivileged():
    """
    An unprivileged user (nobody) and a Python it can run with this venv's packages, for the tests of running
    student code as another user, as on Gradescope; skips where the tests do not run as root.

    This venv's interpreter may sit where nobody cannot go (pyenv under /root, say): then a venv of the
    system's Python of the same version, in /tmp, is given this venv's site-packages through a .pth file.

    Returns:
    - a namespace with user and python (a path).
    """
    if os.geteuid() != 0:
        pytest.skip("running code as another user needs root")
    user = "nobody"
    if runs_as(user, sys.executable):
        yield types.SimpleNamespace(user=user, python=sys.executable)
        return
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/bin:/usr/local/bin")
    if system is None:
        pytest.skip(f"{user} cannot run {sys.executable} and there is no system {version}")
    folder = world_readable_folder("backprop-python-")
    try:
        subprocess.run([system, "-m", "venv", "--without-pip", str(folder / "venv")], check=True, timeout=120)
        site = next((folder / "venv" / "lib").glob("python*/site-packages"))
        (site / "backprop-test-packages.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")))
        python = str(folder / "venv" / "bin" / "python")
        if not runs_as(user, python):
            pytest.skip(f"{user} cannot import this venv's packages (is the checkout readable by everyone?)")
        yield types.SimpleNamespace(user=user, python=python)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def assert_public_verdicts_agree(graded, shown):
    """
    Check that make grade gives each public check the verdict the notebook's grader.check gives it, but for each bug once.

    The notebook runs the student's own functions everywhere; make grade checks a question with the reference's
    function in place of an earlier question that lost points. So a verdict or message may differ only where the
    notebook's check failed and its message names such an earlier question (the root cause to fix first); make
    grade never fails a check the notebook passes.

    Inputs:
    - graded: make grade's QuestionResults, in notebook order.
    - shown: dict question -> list of (case name, passed, message) from the notebook, or True when all passed.
    """
    wrong = []
    for question in graded:
        public = [case for case in question.cases if not case.hidden]
        seen = shown[question.name]
        if seen is True:
            seen = [(case.name, True, "") for case in public]
        assert [name for name, _, _ in seen] == [case.name for case in public], question.name
        for (name, passed, message), case in zip(seen, public):
            if passed == case.passed and (passed or case.message in message):
                continue
            assert not passed and any(earlier in message for earlier in wrong), (name, message, case.message)
        if question.score < question.possible:
            wrong.append(question.name)


@pytest.fixture
def tiny_autograder(tmp_path):
    """
    A copy of tests/fixtures/tiny_autograder (questions double, then quadruple, which calls double) with
    backprop/checks/feedback.py next to its reference, as make assign writes an autograder folder.

    The modules feedback and reference (the real autograder's may be loaded) are unloaded for the test, so that
    the tiny folder's own are imported, and put back after it.

    Returns:
    - the folder's path.
    """
    folder = tmp_path / "autograder"
    shutil.copytree(FIXTURES / "tiny_autograder", folder)
    shutil.copy(ROOT / "backprop" / "checks" / "feedback.py", folder / "feedback.py")
    saved = {name: sys.modules.pop(name) for name in ("feedback", "reference") if name in sys.modules}
    yield folder
    for name in ("feedback", "reference"):
        sys.modules.pop(name, None)
    sys.modules.update(saved)


# run_autograder as Gradescope runs it (tests/gradescope, and the two-layer net's samples in tests/homework)
SCHEMA = json.loads((FIXTURES / "gradescope_results.schema.json").read_text())


@pytest.fixture(scope="module")
def account(request):
    """The Python and the user for run_autograder: nobody when the tests run as root, else the tests' own."""
    try:
        return request.getfixturevalue("unprivileged")
    except pytest.skip.Exception:
        return types.SimpleNamespace(user="", python=sys.executable)


class Run:
    """One run_autograder in a new root: document (results.json, validated), log (its stdout) and root.

    Inputs: account (user and Python); uploads (files); prepare(root), called before the run; relative (paths as
    an instructor may type them); assignment (its autograder folder, default the fixture course's tiny); settings
    (environment variables for run_autograder).
    """

    def __init__(self, account, uploads, prepare=lambda root: None, relative=False, assignment=COURSE / "autograder" / "tiny", **settings):
        self.root = world_readable_folder("gradescope-root-")
        archive = zip_bytes(assignment.name, autograder=assignment)
        zipfile.ZipFile(io.BytesIO(archive)).extractall(self.root / "source")
        (self.root / "submission").mkdir()
        for upload in uploads:
            shutil.copy(upload, self.root / "submission")
        prepare(self.root)
        cwd = self.root.parent  # paths relative to it when relative=True, as an instructor may type them
        root, python = ((self.root.name, os.path.relpath(account.python, cwd)) if relative
                        else (str(self.root), account.python))
        env = {"PATH": "/usr/bin:/bin", "AUTOGRADER_ROOT": root, "BACKPROP_PYTHON": python,
               "BACKPROP_SANDBOX_USER": account.user, **settings}
        done = subprocess.run(["bash", str(self.root / "source" / "run_autograder")], env=env, capture_output=True,
                              text=True, timeout=300, cwd=cwd)
        assert done.returncode == 0, done.stderr
        self.log = done.stdout + done.stderr
        self.document = json.loads((self.root / "results" / "results.json").read_text())
        jsonschema.validate(self.document, SCHEMA)

    def remove(self):
        """Delete the root."""
        shutil.rmtree(self.root)


def run(account, uploads, **options):
    """Run run_autograder on uploads in a new root, delete the root; returns the Run."""
    done = Run(account, uploads, **options)
    done.remove()
    return done


# The fixture course's assignments, as the framework's own tests grade them (nothing of the two-layer net): tiny
# (one function question), short_answers (a function question, value questions, a data file), and the sample
# submissions of tests/fixtures/course/samples (built by tests/fixtures/course/build_samples.py).
TINY = COURSE / "autograder" / "tiny"
SHORT_ANSWERS = COURSE / "autograder" / "short_answers"
COURSE_SAMPLES = COURSE / "samples"


def questions_of(autograder):
    """An assignment's questions, in notebook order, as its assignment.json lists them."""
    return question_order(autograder)


def points_of(autograder, *questions):
    """
    The points an assignment's questions offer, as its assignment.json says.

    Inputs:
    - autograder: the assignment's autograder folder; questions: some of its questions (none: every one).

    Returns:
    - the sum of their points (with no question: the assignment's total).
    """
    points = json.loads((pathlib.Path(autograder) / "assignment.json").read_text())["points"]
    return sum(points[question] for question in questions or points)
