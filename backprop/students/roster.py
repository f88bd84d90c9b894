"""
A class roster (--roster roster.csv): who the students are, to name files' students and list those who handed
nothing in.

Columns, matched by header name whatever the case, spacing or order: id and name (required); email, sis_user_id,
sis_login_id, section (optional); any other column is ignored. Canvas's own gradebook export ("Student, ID, SIS
User ID, SIS Login ID, Section, ...") is a roster as it is: "Student" is read as name, and its "Points Possible"
and "Muted" lines are skipped. The file is read as every TA's CSV is (backprop.grade.ta_tables: UTF-8, comma,
semicolon or tab separated). Every cell is cleaned of control characters and line breaks when read; a problem
stops the reading with a RosterError naming the file and the line.
"""

import bisect
import pathlib
import re

from backprop.grade.results import one_line
from backprop.grade.ta_tables import read_rows, read_text

from .identity import ROSTER, Student

REQUIRED = ("id", "name")
OPTIONAL = ("email", "sis_user_id", "sis_login_id", "section")
ALIASES = {"student": "name", "student_name": "name", "full_name": "name", "sid": "id", "student_id": "id",
           "e_mail": "email", "email_address": "email", "login_id": "sis_login_id"}
MAX_CELL = 500  # characters of one id, name or email
SHORTEST_KEY = 3  # a roster key shorter than this ("7") is never looked for inside file names
CANVAS_NON_STUDENT = re.compile(r"^\s*(Points Possible|Muted|Manual Posting.*)?\s*$", re.IGNORECASE)


class RosterError(ValueError):
    """A roster that cannot be read; the message names the file and the line."""


class Roster:
    """
    The students of a roster, and look-ups by their keys.

    - students: Students in the roster's order (source "roster", on_roster True).
    - source: the file's name, for messages.
    """

    def __init__(self, students, source="roster"):
        self.students, self.source = tuple(students), source
        self._by_key = {}
        for field in ("email", "sis_login_id", "sis_user_id", "id"):  # later fields win: an id is looked up first
            for student in self.students:
                if getattr(student, field):
                    self._by_key[getattr(student, field).casefold()] = student
        self._tokens = {}  # a key looked for in file names (casefolded) -> the students it names
        for student in self.students:
            local_part = student.email.split("@", 1)[0] if "@" in student.email else ""
            for key in {student.id, local_part, student.sis_login_id, student.sis_user_id}:
                if len(key) >= SHORTEST_KEY:
                    self._tokens.setdefault(key.casefold(), []).append(student)
        self._longest = max(map(len, self._tokens), default=0)
        self._position = {student.id: index for index, student in enumerate(self.students)}

    def find(self, key):
        """
        The roster student an LMS's id, SID, login or email names.

        Inputs:
        - key: the id (matched against id, then sis_user_id, sis_login_id and email; case-insensitive).

        Returns:
        - a Student, or None.
        """
        return self._by_key.get(key.casefold()) if key else None

    def in_name(self, path):
        """
        The roster students whose id, e-mail local part, SIS login or SIS user id appears as a whole token in a
        path ("hw1_jsmith.ipynb" holds the token "jsmith", "hw1_jsmith2.ipynb" does not).

        Inputs:
        - path: the file's path relative to the submissions folder.

        Returns:
        - a list of Students (several when the name is ambiguous), in roster order.
        """
        # Every stretch of the path between two boundaries (its ends, or a character that is not a letter or a
        # digit) is looked up: a few hundred dictionary look-ups per path, whatever the roster's size.
        folded = path.casefold()
        starts = [i for i in range(len(folded)) if i == 0 or not folded[i - 1].isalnum()]
        ends = [j for j in range(1, len(folded) + 1) if j == len(folded) or not folded[j].isalnum()]
        found = {}
        for start in starts:
            for end in ends[bisect.bisect_right(ends, start):]:
                if end - start > self._longest:
                    break
                for student in self._tokens.get(folded[start:end], ()):
                    found[student.id] = student
        return sorted(found.values(), key=lambda student: self._position[student.id])


def read_roster(path):
    """
    Read a roster file.

    Inputs:
    - path: the CSV file.

    Returns:
    - a Roster.

    Raises:
    - RosterError naming the file and the line (not UTF-8, a column missing, a duplicate id, a cell too long...).
    """
    path = pathlib.Path(path)
    text = read_text(path, error=RosterError, what="roster")
    return roster_from_text(text, source=path.name)


def roster_from_text(text, *, source="roster"):
    """
    Read a roster from its text.

    Inputs:
    - text: the CSV's text; source: its name, for messages.

    Returns:
    - a Roster.

    Raises:
    - RosterError naming the source and the line.
    """
    header, rows = read_rows(text, error=RosterError, source=source)
    if not any(cell.strip() for cell in header):
        raise RosterError(f"{source}: empty, it needs a header line with the columns id and name")
    columns = _columns(header, source)
    students, first_line = [], {}
    for line, cells in rows:
        student = _student(cells, columns, len(header), f"{source}, line {line}")
        if student is None:
            continue
        if student.id in first_line:
            raise RosterError(f"{source}, line {line}: the id {student.id!r} is already the id of line "
                              f"{first_line[student.id]}; each student needs an id of their own")
        first_line[student.id] = line
        students.append(student)
    return Roster(students, source)


def _columns(header, source):
    """Map field name -> column index, from the header line."""
    columns = {}
    for index, title in enumerate(header):
        field = re.sub(r"[\s\-]+", "_", clean(title).casefold())
        field = ALIASES.get(field, field)
        if field not in REQUIRED + OPTIONAL:
            continue
        if field in columns:
            raise RosterError(f"{source}, line 1: two columns give the {field} (columns {columns[field] + 1} and "
                              f"{index + 1}); keep one")
        columns[field] = index
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        found = ", ".join(repr(clean(title)) for title in header if title.strip()) or "none"
        raise RosterError(f"{source}, line 1: no column {' or '.join(missing)} (columns found: {found}); a roster "
                          f"needs id and name, and may have email, sis_user_id, sis_login_id and section")
    return columns


def _student(cells, columns, width, where):
    """One roster line as a Student, or None for a line to skip (blank, Canvas's Points Possible or Muted)."""
    if not any(cell.strip() for cell in cells):
        return None
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        raise RosterError(f"{where}: {len(cells)} cells but the header has {width} (a name with a comma, such as "
                          f"\"Müller, Zoë\", needs double quotes around it)")
    values = {field: clean(cells[index]) if index < len(cells) else "" for field, index in columns.items()}
    if not values["id"] and CANVAS_NON_STUDENT.match(values["name"]):
        return None
    for field, value in values.items():
        if len(value) > MAX_CELL:
            raise RosterError(f"{where}: the {field} is {len(value)} characters long (at most {MAX_CELL})")
    if not values["id"]:
        raise RosterError(f"{where}: no id for {values['name']!r}; every student needs one")
    return Student(source=ROSTER, on_roster=True, **{field: values.get(field, "") for field in REQUIRED + OPTIONAL})


def clean(text):
    """A roster cell on one line, without control characters or surrounding spaces."""
    return one_line(text, limit=10 * MAX_CELL).strip()
