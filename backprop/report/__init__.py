"""Turn graded submissions into what people read.

- csv_table: grades.csv, one row per submission, a column per question.
- student_feedback: a text a student can act on.
- gradescope: results.json in Gradescope's schema.
- score_table: the table printed after grading.
- class_report: per-question means and pass rates, common failures, a histogram PNG.
"""
