"""Turn graded submissions into what people read.

- csv_table: every CSV (one byte order mark for Excel): grades.csv (a row per file), students.csv (a row per
  student), similarity.csv, not_graded.csv.
- gradebooks: gradebook.csv and gradebook_canvas.csv (Canvas's import format).
- student_feedback: a text a student can act on, a TA's overrides included.
- gradescope: results.json in Gradescope's schema.
- score_table: the table printed after grading.
- class_report: per question and per check pass rates, score distributions, root causes, copies, a histogram.
- class_files: every class-wide file of an assignment's results folder, written at the end of a run.
"""
