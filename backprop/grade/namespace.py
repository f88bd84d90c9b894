"""Run definition cells into one namespace, like a kernel running them top to bottom."""

import contextlib
import io
import traceback


def load_definitions(cells):
    """
    Execute cells in a fresh namespace; a failing cell is recorded, and the next ones still run.

    Inputs:
    - cells: a list of (cell index, Python source) pairs.

    Returns:
    - namespace: dict of the names the cells defined (the notebook's globals).
    - errors: list of (cell index, message) for the cells that raised.
    """
    namespace = {"__name__": "__main__"}
    errors = []
    for index, source in cells:
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(compile(source, f"<cell {index}>", "exec"), namespace)
        except Exception as error:  # a student's cell that crashes must not stop the others
            line = traceback.format_exception_only(type(error), error)[-1].strip()
            errors.append((index, line))
    return namespace, errors
