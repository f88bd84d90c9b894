"""
The class as students rather than files: students_of(results, ...) -> ClassList, what every student table reads.

    results (one per file) --identify--> Identity per file --group by student id--> StudentRow per student
                                                            (every file, the counted one: counted.counted_file)
    roster students with no file --> StudentRow with no files (status "missing")
"""

import dataclasses
import functools

from .counted import counted_file
from .identify import identify
from .identity import FILE

MISSING = "missing"
NOT_ON_ROSTER = "not on the roster"


@dataclasses.dataclass(frozen=True)
class StudentRow:
    """
    One student and what they handed in.

    - student: the Student.
    - files: (SubmissionResult, Identity) pairs of every file they handed in, by path ([] when none).
    - counted: the pair that counts (None when no file).
    - notes: what a TA should look at, without repeats: "not on the roster" for a student an LMS or --id-pattern
      named whom the roster lacks, and the notes of their files' Identities.
    """

    student: object
    files: tuple
    counted: tuple | None
    notes: tuple = ()

    @property
    def result(self):
        """The counted file's SubmissionResult, or None."""
        return self.counted[0] if self.counted else None

    @property
    def status(self):
        """The counted file's status (graded, timeout, error, invalid), or "missing"."""
        return self.result.status if self.result else MISSING

    @property
    def score(self):
        """The counted file's score (0 when missing)."""
        return self.result.score if self.result else 0.0

    @property
    def late(self):
        """Whether the counted file was late."""
        return bool(self.counted and self.counted[1].late)


@dataclasses.dataclass(frozen=True)
class ClassList:
    """
    Every student of a class and every file.

    - rows: StudentRows: the roster's students in roster order, then the others by name and id.
    - identities: submission path -> Identity, for every file.
    - possible: the assignment's points (the most any result offers; 0 with no result).
    - has_roster: whether a roster was given.
    """

    rows: tuple
    identities: dict
    possible: float
    has_roster: bool = False

    @functools.cached_property
    def counted_files(self):
        """The paths of the files that count for at least one student, as a set."""
        return {row.result.submission for row in self.rows if row.result is not None}


def students_of(results, *, roster=None, pattern=None, metadata=None, identities=None):
    """
    The students behind graded files.

    Inputs:
    - results: SubmissionResults of one assignment.
    - roster: a roster.Roster or None; pattern: a compiled --id-pattern (names.compile_id_pattern) or None;
      metadata: a Gradescope export's folders (gradescope_export.read_metadata) or None. See identify.identify for
      how they combine.
    - identities: submission path -> Identity when already known (a ClassList's, for the same files rescored by
      overrides: a file's student does not depend on its score); default: each file identified here.

    Returns:
    - a ClassList.
    """
    results = sorted(results, key=lambda result: result.submission)
    known = identities or {}
    identities = {result.submission: known.get(result.submission) or identify(result.submission, roster=roster,
                                                                              pattern=pattern, metadata=metadata)
                  for result in results}
    students, handins = {}, {}
    for result in results:
        for student in identities[result.submission].students:
            students.setdefault(student.id, student)
            handins.setdefault(student.id, []).append((result, identities[result.submission]))
    rows = {}
    for student_id, student in students.items():
        notes = dict.fromkeys(note for _, identity in handins[student_id] for note in identity.notes)
        if student.on_roster is False and student.source != FILE:  # a file that is its own student has its reason
            notes[NOT_ON_ROSTER] = None
        rows[student_id] = StudentRow(student, tuple(handins[student_id]), counted_file(handins[student_id]),
                                      tuple(notes))
    ordered = []
    if roster is not None:
        for student in roster.students:
            ordered.append(rows.pop(student.id, None) or StudentRow(student, (), None))
    ordered += sorted(rows.values(), key=lambda row: (row.student.name.casefold(), row.student.id))
    possible = max((result.possible for result in results), default=0.0)
    return ClassList(tuple(ordered), identities, possible, roster is not None)
