"""grades.csv: one row per submission file, then one column per question in notebook order."""

import csv
import io

from backprop.grade.results import one_line

FIXED_COLUMNS = ("submission", "score", "possible", "status", "message")


def number(value):
    """A score as text: 12 rather than 12.0, 1.5 as is."""
    return f"{value:g}"


def cell(text):
    """A text cell a spreadsheet will not run as a formula (a file named '=HYPERLINK(...)', say)."""
    text = one_line(text, limit=5000)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def grades_csv(results, questions):
    """
    The CSV text for a list of results.

    Inputs:
    - results: SubmissionResults, in the order of the rows.
    - questions: the question names, in notebook order.

    Returns:
    - the CSV as a string (with a header row).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIXED_COLUMNS + tuple(questions))
    for result in results:
        scores = {question.name: question.score for question in result.questions}
        writer.writerow([cell(result.submission), number(result.score), number(result.possible), result.status,
                         cell(result.message)] + [number(scores.get(q, 0)) for q in questions])
    return buffer.getvalue()


def not_graded_csv(rows):
    """
    The files of a folder a run did not grade (no assignment, or another assignment's), as CSV.

    Inputs:
    - rows: (file name, reason) pairs.

    Returns:
    - the CSV as a string, with a header row: file, reason.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("file", "reason"))
    writer.writerows((cell(name), cell(reason)) for name, reason in rows)
    return buffer.getvalue()
