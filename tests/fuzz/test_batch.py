"""Fuzz backprop.grade.batch: a folder of random files (any name, content or kind) gets one saved row per file, within
its time limits, and a second run gives the same rows.
"""

import csv
import io
import json
import os
import pathlib
import shutil
import tempfile
import time

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from backprop.grade.batch import LITTER, SKIPPED_FOLDERS, grade_folder
from backprop.grade.results import SubmissionResult
from backprop.report.class_report import report_markdown
from backprop.report.csv_table import grades_csv
from conftest import COURSE_SAMPLES, SHORT_ANSWERS, questions_of

from .rows import LIMITS, STATUSES, assert_tables_intact, children, store_for
from .strategies import examples, json_bytes, notebook_bytes, submission_names, zip_bytes

MARGIN = 30.0  # per file: worker processes start, a sample is graded whole; on a shared machine
# graded as the fixture course's short_answers assignment, with its samples (solved, wrong, broken, zips, old formats)
ASKED = questions_of(SHORT_ANSWERS)
SAMPLES = sorted(path for path in COURSE_SAMPLES.iterdir() if path.suffix in (".ipynb", ".zip"))
contents = st.one_of(
    st.tuples(st.just("bytes"), st.binary(max_size=300)), st.tuples(st.just("bytes"), json_bytes()),
    st.tuples(st.just("bytes"), notebook_bytes), st.tuples(st.just("bytes"), zip_bytes()),
    st.tuples(st.just("bytes"), st.just(b"")), st.tuples(st.just("sample"), st.sampled_from(SAMPLES)),
    st.tuples(st.just("fifo"), st.none()),
    st.tuples(st.just("symlink"), st.sampled_from(["/dev/zero", str(SAMPLES[0]), "missing", "/"])))


def make(path, kind, content):
    """Create one entry of the folder: a file, a named pipe or a symbolic link. Returns False if the path is taken."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "bytes":
            path.write_bytes(content) if not path.exists() else None
        elif kind == "sample":
            shutil.copyfile(content, path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            os.symlink(content, path)
        return True
    except OSError:  # a name already used, as a file or as a folder (a/b next to a)
        return False


def expected_row(name, path):
    """Whether a created entry must get a row: anything but a folder, a hidden or skipped one, or OS litter."""
    parts = pathlib.PurePosixPath(name).parts
    return (not path.is_dir() and not any(part.startswith(".") for part in parts)
            and not any(part in SKIPPED_FOLDERS for part in parts[:-1]) and parts[-1].lower() not in LITTER)


@settings(max_examples=examples(0.1))
@example(entries=[("\n", ("bytes", b""))])  # found: its name, in its row's message, broke report.md's table
@given(entries=st.lists(st.tuples(submission_names, contents), min_size=1, max_size=5))
def test_a_folder_of_anything_gets_one_saved_row_per_file(entries):
    """Does every file of a folder of random files (garbage, notebooks, zips, samples, pipes, links; odd names,
    sub-folders) get exactly one row, saved in the results folder and in grades.csv, with a known status, within the
    time limits, no worker or sandbox left running; and does grading the folder again give the same rows?"""
    with tempfile.TemporaryDirectory() as temporary:
        folder, results_dir = pathlib.Path(temporary) / "submissions", pathlib.Path(temporary) / "results"
        folder.mkdir()
        expected = set()
        for name, (kind, content) in entries:
            if make(folder / name, kind, content) and expected_row(name, folder / name):
                expected.add(name)
        before, store, seen = children(), store_for(results_dir), []
        started = time.monotonic()
        graded = grade_folder(folder, store, SHORT_ANSWERS, LIMITS, jobs=2,
                              on_result=lambda result, done, total, reused: seen.append(result.submission))
        assert time.monotonic() - started < len(entries) * (LIMITS.submission_seconds + MARGIN)
        assert children() <= before
        assert sorted(result.submission for result in graded) == sorted(expected) == sorted(seen)
        for result in graded:
            event(f"status {result.status}")
            assert result.status in STATUSES and 0 <= result.score <= result.possible
            saved = json.loads((store.folder(result.submission) / "result.json").read_text())
            assert SubmissionResult.from_dict(saved["result"]) == result
        rows = list(csv.reader(io.StringIO(grades_csv(graded, ASKED))))
        assert len(rows) == len(expected) + 1
        assert_tables_intact(report_markdown(graded, ASKED))
        again = grade_folder(folder, store, SHORT_ANSWERS, LIMITS, jobs=2)  # graded and invalid rows are reused
        assert [r.submission for r in again] == [r.submission for r in graded]
        assert all(second == first for first, second in zip(graded, again) if first.status in ("graded", "invalid")
                   and first.sha256)
