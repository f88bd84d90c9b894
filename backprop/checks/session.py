"""The student's side of a notebook: its checks and its submission.

`grader = Checks(name, questions)` in the notebook's set-up cell stands for
otter's `grader = otter.Notebook(...)`:
- `grader.check("q")` runs otter's public checks of question q, saying so when
  q is not a question (with the closest name), and caps what the student's
  functions print meanwhile (a print left in a loop would flood the cell);
- `grader.export()` packs the notebook the student is working in, whatever its
  name, into a zip to upload, and refuses, saying why and what to do, when the
  saved file is not what the kernel ran (unsaved edits, cells not run again,
  another copy of the notebook), or when it holds none of the student's work.
Shipped to students with feedback.py; the grader never runs it.
"""

import ast
import contextlib
import datetime
import difflib
import inspect
import io
import json
import os
import pathlib
import sys
import zipfile

PRINTED_LINES = 20  # lines of a check's printed output shown; the rest is counted, not shown
PRINTED_CHARS = 4000


class SubmitRefused(Exception):
    """The notebook cannot be packed as it is; the message says why and what to do."""


class _Capped(io.TextIOBase):
    """A stream that keeps the first lines written to it and counts the rest."""

    def __init__(self):
        self.kept, self.cut, self.chars = [], 0, 0
        self.partial = ""

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        for line in lines:
            self._line(line)
        return len(text)

    def _line(self, line):
        if len(self.kept) < PRINTED_LINES and self.chars + len(line) <= PRINTED_CHARS:
            self.kept.append(line)
            self.chars += len(line) + 1
        else:
            self.cut += 1

    def shown(self):
        """The kept lines, then how many were cut ('' when nothing was printed)."""
        if self.partial:
            self._line(self.partial)
            self.partial = ""
        text = "\n".join(self.kept)
        if self.cut:
            text += (f"\n... {self.cut} more printed line{'s' if self.cut > 1 else ''} cut (your functions print "
                     "during the check: remove the prints when you are done debugging)")
        return text


class Checks:
    """
    The notebook's checks and submission.

    Inputs:
    - assignment: the assignment's name (its notebook is <assignment>.ipynb as handed out).
    - questions: the question names, in notebook order.
    - tests_dir: the folder of public test files.
    """

    def __init__(self, assignment, questions, tests_dir="tests"):
        import otter

        self.assignment, self.questions, self.tests_dir = assignment, list(questions), str(tests_dir)
        self._otter = otter.Notebook(tests_dir=self.tests_dir)

    def check(self, question, global_env=None):
        """
        Run one question's public checks on the notebook's definitions.

        Inputs:
        - question: its name, e.g. "affine_forward".
        - global_env: the names to check (default: the calling notebook's globals).

        Returns:
        - otter's result, shown by Jupyter under the cell.
        """
        if question not in self.questions:
            close = difflib.get_close_matches(str(question), self.questions, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"no question named {question!r}{hint}; the questions are: {', '.join(self.questions)}")
        if global_env is None:
            global_env = inspect.currentframe().f_back.f_globals
        printed = _Capped()
        with contextlib.redirect_stdout(printed):
            result = self._otter.check(question, global_env)
        shown = printed.shown()
        if shown:
            print(shown)
        return result

    def export(self, pdf=False, **ignored):
        """
        Pack the notebook being worked in, as saved, into <assignment>_<time>.zip next to it, to upload.

        Inputs:
        - pdf: ignored (kept for otter's signature: the grader needs the notebook only).

        Prints the zip's path; raises SubmitRefused (with what to do) when the saved notebook is not what was run.
        """
        try:
            path, notebook = self._working_notebook()
        except SubmitRefused as refused:
            print(f"NOT SUBMITTED: {refused}", file=sys.stderr)
            raise
        stamp = datetime.datetime.now().strftime("%Y_%m_%dT%H_%M_%S")
        target = pathlib.Path(path).resolve().parent / f"{self.assignment}_{stamp}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{self.assignment}.ipynb", json.dumps(notebook, indent=1) + "\n")
        print(f"Your submission is packed: {target} (made from {path}, as saved). Upload this zip.")

    def _working_notebook(self):
        """(path, notebook JSON) of the notebook the kernel runs, checked against what it ran."""
        ran = executed_definitions(self.questions)
        if not ran:
            raise SubmitRefused("no question cell was run in this session: Kernel > Restart & Run All, then run "
                                "this cell again")
        for path in _path_hints():
            if path.is_file():
                notebook = _read(path)
                self._check_saved(path, notebook, ran)
                return path, notebook
        saved = {path: _read(path) for path in sorted(pathlib.Path.cwd().glob("*.ipynb"))}
        candidates = {path: notebook for path, notebook in saved.items()
                      if _assignment_of(notebook) in (self.assignment, None)}
        if not candidates:
            raise SubmitRefused(f"no notebook of {self.assignment} in {pathlib.Path.cwd()}: save your notebook "
                                "(Ctrl-S) in this folder and run this cell again")
        matching = [path for path, notebook in candidates.items() if not self._differences(notebook, ran)]
        if len(matching) == 1:
            path = matching[0]
            self._check_saved(path, candidates[path], ran)
            return path, candidates[path]
        names = ", ".join(path.name for path in candidates)
        if not matching:
            raise SubmitRefused(f"no saved notebook here ({names}) holds the code you ran: save your notebook "
                                "(Ctrl-S / File > Save), then Kernel > Restart & Run All, then run this cell again")
        raise SubmitRefused(f"several notebooks here hold the code you ran ({', '.join(p.name for p in matching)}): "
                            "keep the one you work in, move the others out of this folder, then run this cell again")

    def _check_saved(self, path, notebook, ran):
        """Refuse a saved notebook that differs from what the kernel ran, or holds no work."""
        different = self._differences(notebook, ran)
        if different:
            raise SubmitRefused(
                f"the saved file {path.name} is not what you ran: the cell of {different[0]} differs"
                + (f" (and {len(different) - 1} more)" if len(different) > 1 else "")
                + ". Save the notebook (Ctrl-S / File > Save), then Kernel > Restart & Run All, then run this "
                  "cell again")
        if all(_is_stub(source) for source in saved_definitions(notebook, self.questions).values()):
            raise SubmitRefused(f"{path.name} holds none of your work: every question is as handed out")

    def _differences(self, notebook, ran):
        """The questions whose cell in the saved notebook is not the one the kernel last ran."""
        saved = saved_definitions(notebook, self.questions)
        return [name for name, source in ran.items() if _normal(saved.get(name, "")) != _normal(source)]


def _path_hints():
    """Paths the front end gives for the notebook: JupyterLab and Notebook 7, VS Code, Jupyter Server."""
    shell_globals = {}
    try:
        shell_globals = get_ipython().user_ns  # noqa: F821 (IPython's builtin, in a kernel)
    except NameError:
        pass
    for value in (shell_globals.get("__session__"), shell_globals.get("__vsc_ipynb_file__"),
                  os.environ.get("JPY_SESSION_NAME")):
        if isinstance(value, str) and value.endswith(".ipynb"):
            yield pathlib.Path(value)


def _read(path):
    """A notebook file's JSON (an unreadable one reads as empty)."""
    try:
        return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _assignment_of(notebook):
    metadata = notebook.get("metadata", {}) if isinstance(notebook, dict) else {}
    found = metadata.get("backprop", {}) if isinstance(metadata, dict) else {}
    return found.get("assignment") if isinstance(found, dict) else None


def _defines(source, name):
    """Whether a cell's source defines a function of that name or assigns it at the top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return f"def {name}(" in source or f"{name} =" in source
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return True
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == name for target in node.targets):
            return True
    return False


def executed_definitions(questions):
    """
    The last source the kernel ran for each question (from IPython's input history).

    Inputs:
    - questions: the question names.

    Returns:
    - dict name -> source, for the questions some executed cell defined.
    """
    try:
        history = get_ipython().user_ns.get("In", [])  # noqa: F821
    except NameError:
        return {}
    found = {}
    for source in history:
        for name in questions:
            if isinstance(source, str) and _defines(source, name):
                found[name] = source
    return found


def saved_definitions(notebook, questions):
    """The source of the last code cell of a notebook's JSON that defines each question."""
    found = {}
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            for name in questions:
                if _defines(source, name):
                    found[name] = source
    return found


def _normal(source):
    """A cell's source as IPython stores it in its history: without trailing blanks."""
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _is_stub(source):
    """Whether a question cell is still as handed out: it raises NotImplementedError or sets its value to None."""
    return "raise NotImplementedError" in source or "= None  # your answer here" in source
