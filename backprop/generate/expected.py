"""Run the master's tests against its own solution, and record the expected values public checks ship.

A public check asks `expected(label, compute)` for each value it compares
with. Here, the autograder's test files run against the reference solution in
this process: every case must pass (a test that fails against the solution is
an authoring mistake, found now rather than when grading), and the values the
public cases asked for are returned, to be written into the students' test
files. Values are rounded to 12 significant digits, far below every check's
tolerance, so that the generated files do not depend on the last bits of a
machine's floating-point arithmetic.
"""

import contextlib
import importlib
import pathlib
import sys
import tempfile

from otter.test_files.exception_test import test_case

from .errors import GenerationError

SIGNIFICANT = 12
MODULES = ("reference", "feedback")


def rounded(value):
    """
    A shipped value with every float rounded to SIGNIFICANT digits.

    Inputs:
    - value: floats, ints, lists and dicts of them.

    Returns:
    - the same structure, rounded; a non-finite float is an error (it could not be written).
    """
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise GenerationError(f"an expected value is not finite ({value})")
        return float(f"{value:.{SIGNIFICANT}g}")
    return value


@contextlib.contextmanager
def autograder_modules(files, folder):
    """
    Make the generated reference and check helpers importable, in a temporary folder that is also the working
    folder (with the assignment's data files, where the reference's cells expect them).

    Inputs:
    - files: dict relative path -> text, with <folder>/reference.py and <folder>/feedback.py.
    - folder: the autograder's folder among them (autograder/<name>).

    Returns (as a context):
    - the reference module.
    """
    saved = {name: sys.modules.pop(name) for name in MODULES if name in sys.modules}
    with tempfile.TemporaryDirectory(prefix="backprop-generate-") as scratch:
        for path, content in files.items():
            if path.startswith(f"{folder}/") and not path.startswith(f"{folder}/tests/"):
                target = pathlib.Path(scratch) / path[len(folder) + 1:]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content if isinstance(content, bytes) else content.encode())
        sys.path.insert(0, scratch)
        try:
            with contextlib.chdir(scratch):
                try:
                    reference = importlib.import_module("reference")
                except Exception as error:  # the author's code: say where
                    raise GenerationError(f"the setup and question cells, run as the reference solution, raised "
                                          f"{type(error).__name__}: {error}") from None
                yield reference
        finally:
            sys.path.remove(scratch)
            for name in MODULES:
                sys.modules.pop(name, None)
            sys.modules.update(saved)


def _cases(namespace, hidden):
    """The test cases a test file's namespace defines, public or hidden, in file order."""
    return [value for value in namespace.values() if isinstance(value, test_case) and value.hidden == hidden]


def public_expected_values(test_source, question, reference):
    """
    Run one test file against the solution; the values its public cases compare with.

    Inputs:
    - test_source: the autograder's test file; question: its name, for errors.
    - reference: the reference module (its functions are the notebook's names).

    Returns:
    - dict label -> rounded value, or None when the file asks for no expected values.
    """
    namespace = {}
    try:
        exec(compile(test_source, f"<tests of {question}>", "exec"), namespace)
    except Exception as error:  # the author's code: say where
        raise GenerationError(f"{question}: the tests cell raised {type(error).__name__}: {error}") from None
    expected = namespace.get("expected")
    if expected is not None:
        expected.recorded = {}
    table = None
    for hidden in (False, True):
        for case in _cases(namespace, hidden):
            try:
                case.call_func(vars(reference))
            except Exception as error:
                name = case.name or getattr(case.test_func, "__name__", "?")
                raise GenerationError(f"{question}: test {name!r} fails against the solution "
                                      f"({type(error).__name__}: {error}); fix the test or the solution") from None
        if not hidden and expected is not None:
            table = rounded(dict(expected.recorded))
    return table
