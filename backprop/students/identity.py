"""Who handed a file in: a Student, and a file's Identity (its students, whether it was late, its order)."""

import dataclasses

# Where a student's identity was read from (Student.source).
CANVAS, MOODLE, GRADESCOPE, PATTERN, ROSTER, FILE = "canvas", "moodle", "gradescope", "pattern", "roster", "file"


@dataclasses.dataclass(frozen=True)
class Student:
    """
    One student (or one group, when the LMS names the file after a group).

    - id: the student's identity, unique in a class: the LMS's user id (Canvas), participant id (Moodle), SID
      (Gradescope), the roster's id, or the file name when nothing else is known.
    - name: as the roster or the LMS gives it ('' when unknown).
    - email, sis_user_id, sis_login_id, section: from the roster or the LMS ('' when unknown).
    - source: where the identity was read from: canvas, moodle, gradescope, pattern (--id-pattern), roster (the
      roster's id, email or login found in the file name) or file (nothing: the file is its own student).
    - on_roster: True or False when there is a roster, None without one.
    """

    id: str
    name: str = ""
    email: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    source: str = FILE
    on_roster: bool | None = None


@dataclasses.dataclass(frozen=True)
class Identity:
    """
    Who handed one file in, as its name (or the export's metadata) says.

    - students: the Students the file belongs to: one, or each member of a Gradescope group submission.
    - late: whether the LMS marked it late.
    - order: the LMS's number for this upload (Canvas attachment id, Gradescope submission id), larger for later
      uploads; None when the LMS gives none.
    - notes: what a TA should look at ("not on the roster", "matches several roster students"), one line each.
    """

    students: tuple
    late: bool = False
    order: int | None = None
    notes: tuple = ()


def own_student(path, note=""):
    """
    The Identity of a file whose name tells no student: the file is its own student, id and name its path.

    Inputs:
    - path: the file's path relative to the submissions folder; note: why ('' for none).

    Returns:
    - an Identity.
    """
    return Identity((Student(id=path, name=path, source=FILE),), notes=(note,) if note else ())
