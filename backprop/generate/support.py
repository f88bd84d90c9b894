"""The student notebook's set-up cell, which makes the notebook enough on its own.

Opened alone (Colab, a JupyterHub, VS Code after a download, an empty
folder), a notebook has no tests folder and no helpers. The set-up cell
carries them: it installs the student requirements that are missing (as on
Colab), unpacks the public test files, feedback.py and session.py (packed
into the cell as a base64 zip) into a folder next to the notebook, and starts
the checks (session.Checks). The grader never runs it: the cell is tagged
check, and the grader uses its own copy of every test.
"""

import base64
import re

from backprop.grade.notebook_code import SET_UP_MARKER as MARKER  # the grader skips a cell that starts with it
from backprop.gradescope.build import fixed_zip

from .errors import GenerationError
IMPORT_NAMES = {"otter-grader": "otter", "scikit-learn": "sklearn", "pyyaml": "yaml", "pillow": "PIL",
                "jupyterlab": None}  # distribution -> module, where the two differ; None: a front end, not installed
# from inside a running notebook
TEMPLATE = '''{marker}: run it first. It installs what this notebook needs where it is missing (as on Colab),
# unpacks the public checks into {folder}/ next to the notebook, and starts them. Do not edit it.
def _set_up(needs, packed, folder):
    import base64, importlib.util, io, pathlib, subprocess, sys, zipfile
    missing = [pin for module, pin in needs.items() if importlib.util.find_spec(module) is None]
    if missing:
        print("Installing", ", ".join(missing), "...")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
        importlib.invalidate_caches()
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(packed))) as archive:
        archive.extractall(folder)
    sys.path.insert(0, str(pathlib.Path(folder).resolve()))
    for module in ("feedback", "session"):  # this notebook's own copies, even after another notebook's
        sys.modules.pop(module, None)
    from feedback import show_messages_only
    from session import Checks
    show_messages_only()  # a failed check shows its message, not the line of test code behind it
    return Checks({name!r}, {questions!r}, tests_dir=pathlib.Path(folder, "tests"))


grader = _set_up({needs!r},
                 "{packed}",
                 {folder!r})'''


def module_name(requirement):
    """The module a pinned requirement (name==version) installs, for importlib.util.find_spec (None: none to check)."""
    name = re.split(r"[=<>!~ ;\[]", requirement, maxsplit=1)[0].strip().lower()
    return IMPORT_NAMES[name] if name in IMPORT_NAMES else name.replace("-", "_")


def packed(files):
    """A dict relative path -> text as a base64 zip with fixed dates (the same files give the same text)."""
    return base64.b64encode(fixed_zip(
        (path, files[path] if isinstance(files[path], bytes) else files[path].encode(), 0o644)
        for path in sorted(files))).decode()


def set_up_source(name, questions, requirements, files):
    """
    The set-up cell's source.

    Inputs:
    - name: the assignment; questions: the question names in order.
    - requirements: the pinned student requirements (lines name==version).
    - files: relative path -> text of what the checks need (tests/<q>.py, feedback.py, session.py).

    Returns:
    - Python source.
    """
    needs = {module_name(line): line for line in requirements if module_name(line) is not None}
    return TEMPLATE.format(marker=MARKER, folder=f".{name}_checks", name=name, questions=list(questions),
                           needs=needs, packed=packed(files))


def with_set_up(cells, source):
    """
    The cells with the master's grader cell (a check cell that calls otter.Notebook) replaced by the set-up cell.

    Inputs:
    - cells: the notebook's cells; source: the set-up cell's source.

    Returns:
    - a new list of cells.
    """
    out, found = [], False
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if not found and cell.cell_type == "code" and "check" in tags and "otter.Notebook(" in cell.source:
            cell = cell.copy()
            cell.metadata = {**cell.metadata, "jupyter": {"source_hidden": True}}
            cell.source, found = source, True
        out.append(cell)
    if not found:
        raise GenerationError("no check cell sets up the grader (grader = otter.Notebook(...)): the student "
                              "notebook needs one, where its set-up cell goes")
    return out
