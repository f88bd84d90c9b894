"""The class's files in an assignment's results folder, written at the end of every run.

grades.csv (a row per file), students.csv (a row per student), gradebook.csv and gradebook_canvas.csv,
similarity.csv with similarity/<nnn>.html (one side-by-side page for each of the TOP_COPIES most similar pairs),
report.md and scores.png.
"""

import pathlib
import shutil

from backprop.grade.store import write_atomically

from .class_report import TOP_COPIES, histogram_png, report_markdown
from .csv_table import grades_csv, similarity_csv, students_csv
from .gradebooks import gradebook_canvas_csv, gradebook_csv

SIMILARITY_PAGES = "similarity"  # the folder of the side-by-side pages, next to similarity.csv


def page_name(index):
    """The side-by-side page of the index-th flagged pair (from 1), relative to the results folder."""
    return f"{SIMILARITY_PAGES}/{index:03d}.html"


def write_class_files(folder, *, results, questions, students, pairs, pair_html, canvas_column,
                      isolation=""):
    """
    Write every class-wide file of one assignment.

    Inputs:
    - folder: the assignment's results folder.
    - results: every file's SubmissionResult, sorted by file; questions: names in notebook order.
    - students: the ClassList of results (backprop.students.class_list.students_of).
    - pairs: the flagged pairs of backprop.similarity.similar_pairs, most similar first; pair_html: its page
      writer (passed in, so that this module imports no comparison library).
    - canvas_column: the assignment's column title in Canvas's gradebook; isolation: how the sandbox was isolated.
    """
    folder = pathlib.Path(folder)
    write_atomically(folder / "grades.csv", grades_csv(results, questions, students))
    write_atomically(folder / "students.csv", students_csv(students, questions))
    write_atomically(folder / "gradebook.csv", gradebook_csv(students))
    write_atomically(folder / "gradebook_canvas.csv", gradebook_canvas_csv(students, assignment=canvas_column))
    write_atomically(folder / "similarity.csv", similarity_csv(pairs))
    shutil.rmtree(folder / SIMILARITY_PAGES, ignore_errors=True)  # an earlier run's pages: pairs may be gone
    for index, pair in enumerate(pairs[:TOP_COPIES], start=1):  # the report links these; the CSV lists every pair
        write_atomically(folder / page_name(index), pair_html(pair, title=f"Possible copy {index}"))
    counted = [row.result for row in students.rows if row.result is not None]
    late = sum(row.late for row in students.rows)
    similar = [(pair.a, pair.b, pair.similarity) for pair in pairs]
    write_atomically(folder / "report.md", report_markdown(results, questions, "scores.png", isolation,
                                                           counted=counted, late=late, similar=similar,
                                                           similar_link=page_name,
                                                           missing=sum(row.result is None for row in students.rows)))
    histogram_png(counted, folder / "scores.png", unit="students")
