"""Students, not files: who handed in each graded file, and which file counts for each student.

- identity: Student and Identity (who handed a file in, late or not, the upload's order).
- names: the student in an LMS's bulk-download name (Canvas, Moodle) or a TA's --id-pattern.
- roster: a class roster CSV (--roster), and finding its students in file names.
- gradescope_export: the submitters of a Gradescope "Export Submissions" (submission_metadata.yml).
- identify: the rules that combine the above for one file.
- counted: which of a student's files counts.
- class_list: students_of(results, ...) -> ClassList, what the student tables and gradebooks read.
"""
