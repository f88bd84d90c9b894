"""
The class tables as CSV: grades.csv (one row per file), students.csv (one row per student), similarity.csv,
not_graded.csv.

Every CSV the grader writes is made by csv_text, the one place that decides how: UTF-8 text starting with a byte
order mark (BOM), so that Excel opens it with names such as "Müller, Zoë" intact (without a BOM, Excel reads a CSV
in the computer's ANSI code page), while Python (encoding "utf-8-sig"), LibreOffice, Google Sheets and Canvas's
gradebook import read it as plain UTF-8. Every text cell goes through cell(), so no student's text becomes a
formula.
"""

import csv
import io

from backprop.grade.results import one_line
from backprop.students.identity import own_student

BOM = "\ufeff"
FIXED_COLUMNS = ("submission", "student_id", "student_name", "late", "counted", "score", "possible", "status",
                 "message", "overrides")
STUDENT_COLUMNS = ("student_id", "student_name", "email", "score", "possible", "late", "status", "counted_file",
                   "files", "notes")


def number(value):
    """A score as text: 12 rather than 12.0, 1.5 as is."""
    return f"{value:g}"


def cell(text):
    """A text cell a spreadsheet will not run as a formula (a file named '=HYPERLINK(...)', say)."""
    text = one_line(text, limit=5000)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def csv_text(header, rows):
    """
    The text of a CSV file as every writer of the grader makes it (see the module's docstring).

    Inputs:
    - header: the column names; rows: lists of cells, already made safe with cell() and number().

    Returns:
    - the CSV as a string: a BOM, the header line, one line per row ("\\n" line ends).
    """
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def flag(value):
    """A yes/no cell: 1 or 0."""
    return "1" if value else "0"


def grades_csv(results, questions, students=None):
    """
    grades.csv: one row per file.

    Inputs:
    - results: SubmissionResults, in the order of the rows.
    - questions: the question names, in notebook order.
    - students: a backprop.students.class_list.ClassList of these results, or None (each file is its own student).

    Returns:
    - the CSV text: submission, student_id, student_name, late (1/0), counted (1/0: the file that counts for its
      student, or for one of its students in a group), score, possible, status, message, then one column per
      question. A group's file lists its students' ids and names separated by ";". overrides marks a TA's changes
      (overrides.csv), e.g. "double = 2 (regrade request); total +1.5 (bonus)"; the scores include them.
    """
    counted = students.counted_files if students is not None else None
    rows = []
    for result in results:
        identity = students.identities.get(result.submission) if students is not None else None
        identity = identity or own_student(result.submission)
        scores = {question.name: question.score for question in result.questions}
        rows.append([cell(result.submission), cell(";".join(s.id for s in identity.students)),
                     cell(";".join(s.name for s in identity.students)), flag(identity.late),
                     flag(counted is None or result.submission in counted), number(result.score),
                     number(result.possible), result.status, cell(result.message), cell(overrides_cell(result))]
                    + [number(scores.get(q, 0)) for q in questions])
    return csv_text(FIXED_COLUMNS + tuple(questions), rows)


def overrides_cell(result):
    """
    A TA's changes to a result, in one cell.

    Inputs:
    - result: a SubmissionResult.

    Returns:
    - e.g. "double = 2 (regrade request); total +1.5 (bonus)", or '' when nothing was changed.
    """
    return "; ".join((f"{item.question} = {number(item.points)}" if item.question else f"total {item.points:+g}")
                     + f" ({item.reason})" for item in result.overrides)


def students_csv(students, questions):
    """
    students.csv: one row per student.

    Inputs:
    - students: a ClassList (backprop.students.class_list.students_of).
    - questions: the question names, in notebook order.

    Returns:
    - the CSV text: student_id, student_name, email, score, possible, late (1/0), status (graded, timeout, error,
      invalid, or missing for a roster student with no file: score 0), counted_file, files (every file of the
      student, ";"-separated), notes (e.g. "not on the roster"), then the counted file's points per question.
    """
    rows = []
    for row in students.rows:
        result = row.result
        scores = {question.name: question.score for question in result.questions} if result else {}
        rows.append([cell(row.student.id), cell(row.student.name), cell(row.student.email), number(row.score),
                     number(result.possible if result else students.possible), flag(row.late), row.status,
                     cell(result.submission if result else ""), cell(";".join(r.submission for r, _ in row.files)),
                     cell("; ".join(row.notes))] + [number(scores.get(q, 0)) for q in questions])
    return csv_text(STUDENT_COLUMNS + tuple(questions), rows)


def similarity_csv(pairs):
    """
    similarity.csv: the pairs of submissions flagged as possible copies.

    Inputs:
    - pairs: backprop.similarity Pairs, most similar first.

    Returns:
    - the CSV text: a, b, similarity (3 decimals, 1.000 for byte-identical files), one row per pair, in order.
    """
    return csv_text(("a", "b", "similarity"),
                    [[cell(pair.a), cell(pair.b), f"{1.0 if pair.identical else pair.similarity:.3f}"] for pair in pairs])


def not_graded_csv(rows):
    """
    The files of a folder a run did not grade (no assignment, or another assignment's), as CSV.

    Inputs:
    - rows: (file name, reason) pairs.

    Returns:
    - the CSV text, with a header row: file, reason.
    """
    return csv_text(("file", "reason"), [(cell(name), cell(reason)) for name, reason in rows])
