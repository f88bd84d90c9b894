"""Complete check messages with what only the whole notebook shows.

A check sees one function; the notebook shows why it is missing or cannot
run: its cell failed, so it was never defined, or it calls a helper the
student defined in a cell that grading does not run (training, plots).
"""

import dataclasses
import re

from backprop.sandbox.cell_names import cell_name

from .results import QuestionResult

GENERIC_NAME_ERROR = re.compile(r" Check the spelling; if you defined it in a cell the grader does not run .*?, move it "
                                r"into the cell of the function that uses it\.")


def _rewritten(results, rewrite):
    """The results with every failed case's message passed through rewrite(message) -> message."""
    def case_of(case):
        return case if case.passed else dataclasses.replace(case, message=rewrite(case.message))

    return [QuestionResult(result.name, tuple(case_of(case) for case in result.cases)) for result in results]


def defined_elsewhere(results, definitions):
    """
    Say where a helper is when a check failed on a NameError for a name defined in a cell grading does not run.

    Inputs:
    - results: QuestionResults; definitions: name -> source of the skipped cell that defines it.

    Returns:
    - the results, those messages made precise.
    """
    def rewrite(message):
        for name, source in definitions.items():
            if f"name '{name}' is not defined" in message:
                precise = (f" {name} is defined in a cell the grader does not run ({cell_name(source)}): "
                           "move it into the cell of the function that uses it.")
                return GENERIC_NAME_ERROR.sub("", message).rstrip() + precise
        return message

    if not definitions:
        return results
    return _rewritten(results, rewrite)


def never_defined(results, cells, cell_errors):
    """
    Say why a function is missing when the cell that should define it raised (a SyntaxError, say).

    Inputs:
    - results: QuestionResults; cells: (index, source) pairs; cell_errors: index -> message naming the cell.

    Returns:
    - the results, "X is not defined" messages completed with the failing cell's error.
    """
    sources = dict(cells)

    def rewrite(message):
        missing = re.match(r"(\w+) is not defined: run the cell that defines it .*?and keep its name\.", message)
        if not missing:
            return message
        for index, error in cell_errors.items():
            if re.search(rf"^\s*def\s+{re.escape(missing.group(1))}\s*\(", sources.get(index, ""), re.M):
                return f"{missing.group(1)} is not defined: {error}, so nothing in it was defined. Fix that error first."
        return message

    if not cell_errors:
        return results
    return _rewritten(results, rewrite)
