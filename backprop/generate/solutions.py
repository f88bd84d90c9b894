"""Solution blocks: turn them into stubs for students, or unmark them for the reference.

A block runs from a `# BEGIN SOLUTION` line to an `# END SOLUTION` line. Its
`# TODO` comment lines are the student's instructions: the stub keeps them
and raises NotImplementedError; the reference drops them.
"""

from .errors import GenerationError

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"


def _blocks(source, function_name):
    """Yield ("code", line) and ("block", indent, lines) items of a cell's source."""
    lines, block, indent = source.split("\n"), None, ""
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise GenerationError(f"{function_name}: line {number} opens a solution block inside another")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif marker == END:
            if block is None:
                raise GenerationError(f"{function_name}: line {number} closes a solution block never opened")
            yield ("block", indent, block)
            block = None
        elif block is not None:
            block.append(line)
        else:
            yield ("code", line)
    if block is not None:
        raise GenerationError(f"{function_name}: a solution block is never closed")


def is_todo(line):
    """Whether a line of a solution block is an instruction kept for students."""
    return line.strip().startswith("# TODO")


def stub(source, function_name, value=False):
    """
    The student's version of a question cell: each solution block becomes its TODO lines and a raise.

    Every block gets its own raise, so that a block alone in an if or a loop
    still leaves valid Python. A value question's block becomes its TODO lines
    and `name = None`, the blank the student fills in.

    Inputs:
    - source: the master's question cell; function_name: the question's name, for the stub's message.
    - value: True for a question that asks for a value, not a function.

    Returns:
    - the stubbed source.
    """
    out, stubbed = [], False
    for item in _blocks(source, function_name):
        if item[0] == "code":
            out.append(item[1])
            continue
        _, indent, block = item
        out.extend(line for line in block if is_todo(line))
        out.append(f"{indent}{function_name} = None  # your answer here, in place of None" if value else
                   f'{indent}raise NotImplementedError("{function_name}: replace this line with your code")')
        stubbed = True
    if not stubbed:
        raise GenerationError(f"{function_name}: the question cell has no solution block")
    stubbed_source = "\n".join(out)
    try:
        compile(stubbed_source, function_name, "exec")
    except SyntaxError as error:
        raise GenerationError(f"{function_name}: the stub is not valid Python ({error})") from None
    return stubbed_source


def unmark(source, function_name):
    """
    The reference version of a question cell: markers and TODO lines removed.

    Inputs:
    - source: the master's question cell; function_name: for error messages.

    Returns:
    - the solved source.
    """
    out = []
    for item in _blocks(source, function_name):
        if item[0] == "code":
            out.append(item[1])
        else:
            out.extend(line for line in item[2] if not is_todo(line))
    return "\n".join(out)


def solution_lines(source, function_name):
    """
    The code lines inside solution blocks (not comments, not blank), stripped.

    Inputs:
    - source: the master's question cell; function_name: for error messages.

    Returns:
    - a list of strings: what must never reach students.
    """
    return [line.strip() for item in _blocks(source, function_name) if item[0] == "block"
            for line in item[2] if line.strip() and not line.strip().startswith("#")]
