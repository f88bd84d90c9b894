"""The score table printed after grading: one line per submission, for a terminal or a log."""

from .csv_table import number
from backprop.grade.results import one_line


def score_table(graded):
    """
    One line per submission: name, score, status and the start of its message.

    Inputs:
    - graded: SubmissionResults, in the order of the lines.

    Returns:
    - the table as text, with a header line.
    """
    width = max([len(one_line(result.submission)) for result in graded] + [10])
    lines = [f"{'submission':<{width}}  {'score':>9}  {'status':<8} message"]
    for result in graded:
        score = f"{number(result.score)}/{number(result.possible)}"
        lines.append(f"{one_line(result.submission):<{width}}  {score:>9}  {result.status:<8} {result.message[:100]}")
    return "\n".join(lines)
