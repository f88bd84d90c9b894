"""A TA's overrides.csv: changes to grades, read and checked before grading, applied on every run.

Columns: who (a submission's file name, its path in the class folder, or a student id), question (blank: the
total), points (the question's new score; with question blank, the points added to the total, negative to
take some off) and reason (required: the student reads it). An optional column assignment limits a row to one
assignment of a course. The file is read as every TA's CSV is (ta_tables: UTF-8, comma, semicolon or tab
separated). A row that cannot be read stops the run before anything is graded, naming its line;
a row that matches no file is reported after grading.
"""

import dataclasses
import math
import pathlib
import unicodedata

from .results import Override
from .ta_tables import read_rows, read_text

FILE = "overrides.csv"  # in the results folder
COLUMNS = ("who", "question", "points", "reason")


class OverridesError(ValueError):
    """overrides.csv cannot be applied as written (the message names the line and what to fix)."""


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of overrides.csv: who, assignment ('' for any), the Override, and the line number."""

    who: str
    assignment: str
    override: Override
    line: int


def read_overrides(results, assignments):
    """
    Read and check RESULTS/overrides.csv.

    Inputs:
    - results: the results folder.
    - assignments: dict assignment name -> {question name: points possible}.

    Returns:
    - a list of Row, in file order ([] when there is no file).

    Raises OverridesError naming the line: a missing column, a blank who or reason, points that are not a
    number, a question no assignment has, a question's points outside 0..its points, the same who and
    question twice.
    """
    path = pathlib.Path(results) / FILE
    if not path.exists():
        return []
    header, lines = read_rows(read_text(path, error=OverridesError, what="overrides file"), error=OverridesError,
                              source=str(path))
    header = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise OverridesError(f"{path}: the header needs the columns {', '.join(COLUMNS)} (missing: "
                             f"{', '.join(missing)}); found {', '.join(header) or 'nothing'}")
    rows, seen = [], {}
    for line, cells in lines:
        fields = {name: cells[index].strip() if index < len(cells) else "" for index, name in enumerate(header)}
        if not any(fields.values()):
            continue
        row = _row(fields, line, assignments, path)
        key = (row.who, row.assignment, row.override.question)
        if key in seen:
            raise OverridesError(f"{path}, line {line}: {row.who!r} has a second override of "
                                 f"{row.override.question or 'the total'} (line {seen[key]}); keep one")
        seen[key] = line
        rows.append(row)
    return rows


def _row(fields, line, assignments, path):
    where = f"{path}, line {line}"
    who, question, assignment, reason = fields["who"], fields["question"], fields.get("assignment", ""), fields["reason"]
    if not who:
        raise OverridesError(f"{where}: who is blank; give the file name or the student id")
    if not reason:
        raise OverridesError(f"{where}: reason is blank; the student reads it next to the new score")
    try:
        points = float(fields["points"])
    except ValueError:
        raise OverridesError(f"{where}: points {fields['points']!r} is not a number") from None
    if not math.isfinite(points):
        raise OverridesError(f"{where}: points {fields['points']!r} is not a finite number")
    if assignment and assignment not in assignments:
        raise OverridesError(f"{where}: no assignment {assignment!r}; the assignments are {', '.join(assignments)}")
    if question:
        owners = [name for name, questions in assignments.items()
                  if question in questions and assignment in ("", name)]
        if not owners:
            known = sorted({q for name, questions in assignments.items() if assignment in ("", name) for q in questions})
            raise OverridesError(f"{where}: no question {question!r}; the questions are {', '.join(known)} "
                                 "(leave question blank to add points to the total)")
        for name in owners:
            if not 0 <= points <= assignments[name][question]:
                raise OverridesError(f"{where}: {question} is worth {assignments[name][question]:g} points; "
                                     f"{points:g} is outside 0 to {assignments[name][question]:g}")
    return Row(who, assignment, Override(question, points, reason), line)


def same(name):
    """A name as compared: Unicode NFC (a file name typed on macOS may hold decomposed accents), no quote mark a
    spreadsheet-safe CSV put before a name starting with = + - @."""
    name = unicodedata.normalize("NFC", name)
    return name[1:] if name[:1] == "'" and name[1:2] in ("=", "+", "-", "@") else name


def apply_overrides(results, rows, assignment, students=None):
    """
    Apply the rows that concern one assignment's results.

    Inputs:
    - results: that assignment's SubmissionResults (as graded; any override they carry is replaced).
    - rows: Rows from read_overrides; assignment: its name.
    - students: submission name -> the ids of its students (rows may name a file or a student; default: none).

    Returns:
    - (the results with their overrides, in the same order; the set of Row line numbers applied).
    """
    students = students or {}
    mine = [row for row in rows if row.assignment in ("", assignment)]
    applied, changed = set(), []
    for result in results:
        result = result.as_graded()
        names = {same(name) for name in (result.submission, pathlib.PurePosixPath(result.submission).name,
                                         *students.get(result.submission, ()))}
        hits = [row for row in mine if same(row.who) in names]
        if not hits:
            changed.append(result)
            continue
        by_question = {row.override.question: row.override for row in hits if row.override.question}
        questions = tuple(dataclasses.replace(q, override=by_question.get(q.name)) for q in result.questions)
        total = tuple(row.override for row in hits if not row.override.question)
        applied.update(row.line for row in hits
                       if not row.override.question or row.override.question in {q.name for q in questions})
        changed.append(dataclasses.replace(result, questions=questions, adjustments=total))
    return changed, applied
