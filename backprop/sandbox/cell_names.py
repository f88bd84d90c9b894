"""How messages name a notebook cell for a student, who sees no cell numbers: by its first line of code."""

CONTROL = {code: " " for code in range(32)} | {127: " "}


def cell_name(source):
    """
    A cell's name in messages.

    Inputs:
    - source: the cell's source.

    Returns:
    - e.g. "the cell that starts `def layer_forward(x):`" (comments and blank lines skipped, at most 60
      characters of the line, no control characters or backticks).
    """
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    first = (lines[0] if lines else source.strip() or "(empty)").translate(CONTROL).replace("`", "'")
    if len(first) > 60:
        first = first[:57] + "..."
    return f"the cell that starts `{first}`"
