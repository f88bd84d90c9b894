"""Feedback a student can read: the score, each question, and what to fix."""

from .csv_table import number
from backprop.grade.results import one_line


def feedback_text(result):
    """
    A plain-text report for one submission.

    Inputs:
    - result: a SubmissionResult.

    Returns:
    - the text.
    """
    lines = [f"Submission: {one_line(result.submission)}", f"Score: {number(result.score)} / {number(result.possible)}"]
    if result.status != "graded":
        lines.append(f"Status: {result.status}: {result.message}")
    for _, message in result.cell_errors:
        lines.append(f"In your notebook, {message}")
    lost = [question.name for question in result.questions if 0 < question.possible and question.score < question.possible]
    if lost and result.status != "invalid":
        lines.append("Each mistake costs points once: the questions after one that lost points were graded with a "
                     "correct version of it in place of yours, so fix the earliest question that lost points first.")
    for question in result.questions:
        lines += ["", f"{question.name}: {number(question.score)} / {number(question.possible)}"]
        for case in question.cases:
            mark = "passed" if case.passed else "FAILED"
            kind = "hidden" if case.hidden else "public"
            lines.append(f"  [{mark}] {case.name} ({kind}, {number(case.points)} pt)")
            if not case.passed:
                lines.append(f"           {case.message}")
    if result.output.strip():
        lines += ["", "Your notebook printed (first lines):"] + [f"  {line}" for line in result.output.splitlines()[:20]]
    return "\n".join(lines) + "\n"
