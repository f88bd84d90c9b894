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
    lines += [f"Changed by course staff: {staff_change(item, result)}" for item in result.overrides]
    if result.status != "graded":
        lines.append(f"Status: {result.status}: {result.message}")
    for _, message in result.cell_errors:
        lines.append(f"In your notebook, {message}")
    lost = [question.name for question in result.questions if 0 < question.possible and question.score < question.possible]
    if lost and result.status != "invalid":
        lines.append("Each mistake costs points once: the questions after one that lost points were graded with a "
                     "correct version of it in place of yours, so fix the earliest question that lost points first.")
    for question in result.questions:
        lines += ["", f"{question.name}: {number(question.score)} / {number(question.possible)}"
                  + (f" (set by course staff; the checks gave {number(question.graded_score)})"
                     if question.override is not None else "")]
        for case in question.cases:
            mark = "passed" if case.passed else "FAILED"
            kind = "hidden" if case.hidden else "public"
            lines.append(f"  [{mark}] {case.name} ({kind}, {number(case.points)} pt)")
            if not case.passed and result.status != "invalid":  # an invalid file's reason is said once, above
                lines.append(f"           {case.message}")
    if result.output.strip():
        lines += ["", "Your notebook printed (first lines):"] + [f"  {line}" for line in result.output.splitlines()[:20]]
    return "\n".join(lines) + "\n"


def staff_change(override, result):
    """
    One line saying what a TA changed and why.

    Inputs:
    - override: an Override of result; result: the SubmissionResult.

    Returns:
    - e.g. "layer_forward set to 12 points (the checks gave 6): regrade request, the shift was right" or
      "+2 points to the total: late-day waiver".
    """
    reason = one_line(override.reason, limit=500)
    if not override.question:
        return f"{override.points:+g} points to the total: {reason}"
    graded = next((q.graded_score for q in result.questions if q.name == override.question), 0)
    return f"{override.question} set to {number(override.points)} points (the checks gave {number(graded)}): {reason}"
