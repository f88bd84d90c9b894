"""
Gradebooks to import into an LMS or a spreadsheet, one row per student, from a ClassList.

Canvas's gradebook import, as its importer reads a file (instructure/canvas-lms, lib/gradebook_importer.rb):
- the header's first cell must contain "Student" and its second "ID"; then either "SIS Login ID" or
  "SIS User ID, SIS Login ID", then "Section" closes the student columns (Integration ID / Root Account optional).
  Every later column is an assignment, except read-only ones (Current/Final Score...).
- an assignment column titled "Name (123)" is the assignment with id 123; else the assignment titled exactly
  "Name"; else a new assignment "Name" is created (a preview asks before).
- a line whose first cell contains "Points Possible" gives the assignments' points (a new assignment takes them);
  lines of only "Muted"/"Manual Posting" are skipped.
- a student is found by ID (Canvas's user id, within the course), else by SIS User ID or SIS Login ID, else by
  name (full name or "Last, First", the sortable name Canvas's own export writes). Unknown students are listed by
  the preview, not imported.
The BOM that csv_text writes first is harmless there: the header test looks for "Student" inside the first cell.
"""

from backprop.students.identity import CANVAS, ROSTER

from .csv_table import cell, csv_text, flag, number

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
GRADEBOOK_COLUMNS = ("id", "name", "score", "possible", "late")


def canvas_user_id(student):
    """
    The Canvas user id of a student, for the ID column: the id of a Canvas download name or of the roster (a roster
    for Canvas holds Canvas's user ids, as its gradebook export does), when it is a number; else ''.

    Inputs:
    - student: a Student.

    Returns:
    - the id, or '' (Canvas then matches the SIS ids or the name).
    """
    return student.id if student.source in (CANVAS, ROSTER) and student.id.isdigit() else ""


def gradebook_canvas_csv(students, *, assignment, assignment_id=None):
    """
    A gradebook for Canvas's "Import" (Grades > Import): the counted score of every student.

    Inputs:
    - students: a ClassList (backprop.students.class_list.students_of).
    - assignment: the assignment's title in Canvas; assignment_id: its Canvas id (the number in its address),
      which makes the match exact; without it Canvas matches the title, or creates the assignment.

    Returns:
    - the CSV text: Student, ID, SIS User ID, SIS Login ID, Section, the assignment; a "Points Possible" line
      (the assignment's points, for an assignment Canvas creates), then one line per student. A student with no
      file (on the roster, status missing) gets a blank cell, not 0: an import must not overwrite an excused
      student's "EX" or a grade entered by hand (Canvas's preview lists every change before it applies it).
    """
    title = f"{assignment} ({assignment_id})" if assignment_id is not None else assignment
    rows = [[POINTS_POSSIBLE, "", "", "", "", number(students.possible)]]
    for row in students.rows:
        student = row.student
        rows.append([cell(student.name or student.id), canvas_user_id(student), cell(student.sis_user_id),
                     cell(student.sis_login_id), cell(student.section), number(row.score) if row.result else ""])
    return csv_text(CANVAS_STUDENT_COLUMNS + (cell(title),), rows)


def gradebook_csv(students):
    """
    A plain gradebook: one line per student.

    Inputs:
    - students: a ClassList.

    Returns:
    - the CSV text: id, name, score, possible, late (1/0); a student with no file gets 0.
    """
    rows = [[cell(row.student.id), cell(row.student.name), number(row.score),
             number(row.result.possible if row.result else students.possible), flag(row.late)]
            for row in students.rows]
    return csv_text(GRADEBOOK_COLUMNS, rows)
