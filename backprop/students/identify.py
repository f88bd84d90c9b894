"""Who handed in a file: the rules that combine export metadata, LMS names, --id-pattern and a roster."""

import dataclasses

from .gradescope_export import METADATA_NAME
from .identity import Identity, Student, own_student
from .names import lms_name, pattern_name

def identify(path, *, roster=None, pattern=None, metadata=None):
    """
    The Identity of one submitted file.

    The rules, in order:
    0. with metadata, the export's submission_metadata.yml itself is no one's (no students);
    1. a Gradescope export: a folder of the path is a submission_<id> of the metadata -> its submitters;
    2. --id-pattern given: the pattern's id (and name); a file it does not match is its own student;
       otherwise the name an LMS download gives it (Moodle's folder or file name, Canvas's file name);
    3. a roster and no id yet: the one roster student whose id, e-mail local part, SIS login or SIS user id is a
       whole token of the path (several: the file is its own student, with a note);
    4. nothing: the file is its own student, id and name its path.
    An id found by 1 or 2 is looked up in the roster (id, SIS ids, e-mail): found, the roster's student; not found,
    still a student, with on_roster False (class_list notes it "not on the roster").

    Inputs:
    - path: the file's path relative to the submissions folder (POSIX separators).
    - roster: a Roster or None; pattern: a compiled --id-pattern or None; metadata: the dict of
      gradescope_export.read_metadata or None.

    Returns:
    - an Identity.
    """
    if metadata is not None and path.rsplit("/", 1)[-1] == METADATA_NAME:
        return Identity((), notes=("Gradescope's export metadata: no student's file",))
    folders = [part for part in path.split("/")[:-1] if metadata and part in metadata]
    if folders:
        submitted = metadata[folders[-1]]
        if submitted.students:
            return Identity(tuple(_on_roster(student, roster) for student in submitted.students), submitted.late,
                            submitted.order)
    if pattern is not None:
        named = pattern_name(path, pattern)
        if named is None:
            return _unnamed(path, roster, "the --id-pattern does not match this file's path")
    else:
        named = lms_name(path)
    if named is not None:
        return Identity((_on_roster(Student(id=named.id, name=named.name, source=named.lms), roster),), named.late,
                        named.order)
    if roster is not None:
        matches = roster.in_name(path)
        if len(matches) == 1:
            return Identity((matches[0],))
        if matches:
            ids = ", ".join(student.id for student in matches[:5])
            return _unnamed(path, roster, f"its name matches several roster students ({ids})")
        return _unnamed(path, roster, "no roster student's id, e-mail or login is in its name")
    return own_student(path)


def _on_roster(student, roster):
    """The roster's Student for a student an LMS named, else that student with on_roster False (None: no roster)."""
    if roster is None:
        return student
    known = roster.find(student.id) or roster.find(student.email)
    return known if known is not None else dataclasses.replace(student, on_roster=False)


def _unnamed(path, roster, note):
    """A file that is its own student, flagged off the roster when there is one."""
    identity = own_student(path, note)
    if roster is None:
        return identity
    return Identity((Student(id=path, name=path, on_roster=False),), notes=identity.notes)
