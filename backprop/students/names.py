"""
The student an LMS's bulk download names a file after: Canvas's and Moodle's naming, and a TA's own --id-pattern.

Canvas ("Download Submissions"), as its source writes the names (instructure/canvas-lms, lib/content_zipper.rb,
get_filename and add_upload_submission):
    <name>[_LATE]_<user id>_<attachment id>_<original file name>
  - <name> is the user's sortable name ("Last, First"), lower-cased, with every character that is not a word
    character removed ("Müller, Zoë" -> "müllerzoë") and any "_<digits>_" inside it joined, so it is one run of
    word characters; for a group assignment it is the group's name and the id is a member's.
  - "_LATE" is there when Canvas marked the submission late.
  - the second number is the uploaded file's attachment id (the brief's "submission id"): a later upload has a
    larger one. A file uploaded twice under one name gets "-1" before its extension ("hw-1.ipynb"): that is part
    of the original file name.
  - anonymous grading writes "[LATE_]anon_<anonymous id>_<attachment id>_<original>"; text and URL entries
    "<name>[_LATE]_<user id>_text.html" / "_link.html" (no attachment id).
Moodle ("Download all submissions"), as mod/assign writes them (moodle/moodle, mod/assign, the download's
get_prefix and load_submissionplugin_filelist):
    <full name>_<participant id>_assignsubmission_file[_]/<original>   (a folder per participant, Moodle >= 3.1)
    <full name>_<participant id>_assignsubmission_file_<original>       (flattened, older Moodle or unticked)
  - underscores in the full name become spaces; blind marking writes "Participant" for the name; team
    submissions the group's name and the group's id. The id is Moodle's participant id for this assignment, not
    the user id: a roster for Moodle must carry that id.
"""

import dataclasses
import re

from .identity import CANVAS, MOODLE, PATTERN

# \w is Unicode-aware in Python, as Ruby's [[:word:]] is in Canvas's sanitizing.
CANVAS_NAME = re.compile(r"^(?P<name>\w+?)(?P<late>_LATE)?_(?P<id>\d+)"
                         r"(?:_(?P<attachment>\d+)_(?P<original>.+)|_(?P<entry>text|link)\.html)$")
CANVAS_ANONYMOUS = re.compile(r"^(?P<late>LATE_)?anon_(?P<id>[A-Za-z0-9]+)_(?P<attachment>\d+)_(?P<original>.+)$")
MOODLE_NAME = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_[a-z]+(?:_(?P<original>.*))?$")


@dataclasses.dataclass(frozen=True)
class NamedBy:
    """
    What a file name says of its student.

    - lms: canvas, moodle or pattern; id and name: the student's ('' when the name gives none).
    - late: whether the name marks it late; order: the attachment id (None when absent).
    """

    lms: str
    id: str
    name: str = ""
    late: bool = False
    order: int | None = None


def canvas_name(file_name):
    """
    Read a Canvas bulk-download file name.

    Inputs:
    - file_name: the file's base name, e.g. "smithjohn_LATE_12345_67890_homework.ipynb".

    Returns:
    - a NamedBy (id "12345", name "smithjohn", late, order 67890), or None when the name is not Canvas's.
    """
    match = CANVAS_ANONYMOUS.match(file_name)
    if match:
        return NamedBy(CANVAS, "anon_" + match["id"], "", bool(match["late"]), int(match["attachment"]))
    match = CANVAS_NAME.match(file_name)
    if not match:
        return None
    order = int(match["attachment"]) if match["attachment"] else None
    return NamedBy(CANVAS, match["id"], match["name"], bool(match["late"]), order)


def moodle_name(path):
    """
    Read a Moodle bulk-download path: its participant folder, or a flattened file name.

    Inputs:
    - path: the file's path relative to the submissions folder (POSIX separators).

    Returns:
    - a NamedBy (id the participant id, name the full name), or None when no part of the path is Moodle's.
    """
    for part in path.split("/"):
        match = MOODLE_NAME.match(part)
        if match:
            return NamedBy(MOODLE, match["id"], match["name"].strip())
    return None


def lms_name(path):
    """
    The student an LMS download names a file after: Moodle's marker anywhere in the path, else Canvas's name.

    Moodle's "_assignsubmission_" is checked first because a student's own file name inside a Moodle folder may
    look like Canvas's ("hw_1_2_final.ipynb"); Canvas names only the file itself, never a folder.

    Inputs:
    - path: the file's path relative to the submissions folder (POSIX separators).

    Returns:
    - a NamedBy, or None.
    """
    return moodle_name(path) or canvas_name(path.rsplit("/", 1)[-1])


def compile_id_pattern(text):
    """
    A TA's --id-pattern, checked.

    Inputs:
    - text: a regular expression with a named group "id" (and optionally "name"), searched in the file's path
      relative to the submissions folder, e.g. r"(?P<id>\\d{8})".

    Returns:
    - the compiled pattern.

    Raises:
    - ValueError naming the problem (not a regular expression, no group "id").
    """
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise ValueError(f"--id-pattern {text!r} is not a regular expression: {error}") from None
    if "id" not in pattern.groupindex:
        raise ValueError(f"--id-pattern {text!r} has no group named id: write (?P<id>...) around the student's id")
    return pattern


def pattern_name(path, pattern):
    """
    The student a TA's --id-pattern finds in a path.

    Inputs:
    - path: the file's path relative to the submissions folder; pattern: from compile_id_pattern.

    Returns:
    - a NamedBy, or None when the pattern does not match or its id group is empty.
    """
    match = pattern.search(path)
    if not match or not match["id"]:
        return None
    name = match["name"] if "name" in pattern.groupindex and match["name"] else ""
    return NamedBy(PATTERN, match["id"], name)
