"""What every graded row must allow, whatever the file: it saves, renders and round-trips. Also the limits the fuzz
tests grade with, and the processes a test leaves behind."""

import csv
import io
import json
import os
import re

from backprop.grade.results import SubmissionResult
from backprop.grade.store import Store
from backprop.report.class_report import report_markdown
from backprop.report.csv_table import FIXED_COLUMNS, grades_csv
from backprop.report.gradescope import results_json
from backprop.report.student_feedback import feedback_text
from backprop.sandbox.process import Limits

# Short limits, to try many submissions: one call or cell 1 s, a submission 8 s, printed output 2000 characters.
LIMITS = Limits(call_seconds=1.0, submission_seconds=8.0, output_chars=2000)
STATUSES = {"graded", "timeout", "error", "invalid"}
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def store_for(folder):
    """A Store writing what `make grade` writes per submission (backprop/grade/__main__.py)."""
    return Store(folder, "fuzz", {"feedback.txt": feedback_text, "results.json": results_json})


def children():
    """The process ids of this process's children (sandboxes still running, say)."""
    found = set()
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        try:
            with open(f"/proc/{os.getpid()}/task/{task}/children") as handle:
                found.update(handle.read().split())
        except OSError:  # a thread that ended meanwhile
            pass
    return found


def assert_tables_intact(markdown):
    """Check that every Markdown table keeps one line per row and its header's number of columns."""
    columns = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        count = len(UNESCAPED_PIPE.findall(line))
        columns = count if columns is None else columns
        assert count == columns, line


def assert_row_is_sound(result, questions, results_dir):
    """
    Check one SubmissionResult the way `make grade` uses it: a known status, a score within its points, a JSON
    round trip, files saved inside the results folder (and reused as they were), a CSV row and a class report.

    Inputs:
    - result: the SubmissionResult; questions: the question names, in notebook order.
    - results_dir: an empty folder to save into.
    """
    assert isinstance(result, SubmissionResult) and result.status in STATUSES
    assert 0 <= result.score <= result.possible
    assert SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    store = store_for(results_dir)
    store.save(result)
    folder = store.folder(result.submission)
    assert folder.resolve().is_relative_to(results_dir.resolve())
    saved = json.loads((folder / "result.json").read_text())
    assert SubmissionResult.from_dict(saved["result"]) == result
    gradescope = json.loads((folder / "results.json").read_text())
    assert gradescope["score"] == result.score
    assert (folder / "feedback.txt").read_text()
    if result.sha256 and result.status in ("graded", "invalid"):
        assert store.cached(result.submission, result.sha256) == result
    header, *rows = list(csv.reader(io.StringIO(grades_csv([result], questions).removeprefix("\ufeff"))))
    assert header == list(FIXED_COLUMNS) + list(questions)
    assert len(rows) == 1 and len(rows[0]) == len(header) and rows[0][FIXED_COLUMNS.index("status")] == result.status
    assert_tables_intact(report_markdown([result], questions, isolation="fuzz"))
