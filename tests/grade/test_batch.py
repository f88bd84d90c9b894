"""Tests for backprop.grade.batch, store and the command line: a folder in, every row out, nothing lost."""

import csv
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from backprop.grade import batch, store
from backprop.grade.__main__ import grade
from backprop.report.gradescope import results_json
from backprop.report.student_feedback import feedback_text
from backprop.grade.assignments import describe
from conftest import COURSE, FAST, FIXTURES, ROOT, table_of

# The fixture course's tiny assignment (one question, double) and its submissions: solved, a stub, an export zip,
# an empty file, one wrong on the hidden case only (x + 1 doubles 1), one that loops forever.
AUTOGRADER = COURSE / "autograder" / "tiny"
BATCH = COURSE / "batch"
QUESTIONS, TOTAL = describe(AUTOGRADER)["questions"], describe(AUTOGRADER)["total"]
SAMPLES = ["solved.ipynb", "stub.ipynb", "empty.ipynb", "export.zip", "wrong.ipynb"]
WRONG = TOTAL - 1  # wrong.ipynb passes the public case (1 point) and fails the hidden one


@pytest.fixture
def folder(tmp_path):
    """A class folder: five samples, one in a sub-folder, plus files that are not submissions."""
    root = tmp_path / "class"
    (root / "section2").mkdir(parents=True)
    (root / ".ipynb_checkpoints").mkdir()
    for name in SAMPLES[:-1]:
        shutil.copy(BATCH / name, root / name)
    shutil.copy(BATCH / SAMPLES[-1], root / "section2" / "bob.ipynb")
    shutil.copy(BATCH / "solved.ipynb", root / ".ipynb_checkpoints" / "solved-checkpoint.ipynb")
    (root / "README.txt").write_text("not a submission")
    return root


def store_for(results):
    """A Store writing the usual per-submission files."""
    return store.Store(results, store.fingerprint(AUTOGRADER, FAST),
                       {"feedback.txt": feedback_text, "results.json": results_json})


def rows(results):
    """The data of results, without timings."""
    return [(r.submission, r.status, r.message, r.score, r.questions) for r in results]


def test_discover_finds_notebooks_and_zips_in_sub_folders_only(folder):
    """Are .ipynb and .zip files found, sub-folders included, checkpoints and other files left out, sorted; and with
    every_file, is any other file found too (so that it gets a row saying why it is not graded)?"""
    assert [p.as_posix() for p in batch.discover(folder)] == [
        "empty.ipynb", "export.zip", "section2/bob.ipynb", "solved.ipynb", "stub.ipynb"]
    assert [p.as_posix() for p in batch.discover(folder, every_file=True)] == [
        "README.txt", "empty.ipynb", "export.zip", "section2/bob.ipynb", "solved.ipynb", "stub.ipynb"]


def test_a_path_too_long_to_mirror_in_the_results_folder_is_saved_under_a_short_name(tmp_path):
    """Does a submission nested 4000 characters deep get its row and files (under long-names/), and reuse on a rerun?"""
    nested = tmp_path / "c" / "/".join(["d" * 200] * 19)
    nested.mkdir(parents=True)
    shutil.copy(BATCH / "solved.ipynb", nested / "reference.ipynb")
    saved = store_for(tmp_path / "results")
    first = batch.grade_folder(tmp_path / "c", saved, AUTOGRADER, FAST, jobs=1)
    assert [(r.score, r.status) for r in first] == [(TOTAL, "graded")] and len(first[0].submission) > 3800
    folder = saved.folder(first[0].submission)
    assert folder.parent.name == "long-names" and (folder / "feedback.txt").is_file()
    reused = []
    batch.grade_folder(tmp_path / "c", saved, AUTOGRADER, FAST, jobs=1,
                       on_result=lambda result, done, total, was_reused: reused.append(was_reused))
    assert reused == [True]


def test_parallel_and_sequential_runs_agree(folder, tmp_path):
    """Does grading with two workers give exactly the results of grading with one?"""
    parallel = batch.grade_folder(folder, store_for(tmp_path / "a"), AUTOGRADER, FAST, jobs=2)
    sequential = batch.grade_folder(folder, store_for(tmp_path / "b"), AUTOGRADER, FAST, jobs=1)
    assert rows(parallel) == rows(sequential)
    assert [r.score for r in parallel] == [0, 0, TOTAL, WRONG, TOTAL, 0]
    assert parallel[0].status == "invalid"  # README.txt: a row saying why, not a file that vanishes


def test_a_second_run_reuses_finished_results_and_regrades_changed_files(folder, tmp_path):
    """Does a re-run grade only new or changed files, and fresh=True grade everything again, with equal results?"""
    saved = store_for(tmp_path / "results")
    first = batch.grade_folder(folder, saved, AUTOGRADER, FAST, jobs=2)

    def stamps():
        return {name: (saved.folder(name) / "result.json").stat().st_mtime_ns for name in batch_names(folder)}

    before = stamps()
    shutil.copy(BATCH / "stub.ipynb", folder / "solved.ipynb")
    second = batch.grade_folder(folder, saved, AUTOGRADER, FAST, jobs=2)
    after = stamps()
    assert [name for name in before if before[name] != after[name]] == ["solved.ipynb"] and second[4].score == 0
    shutil.copy(BATCH / "solved.ipynb", folder / "solved.ipynb")
    third = batch.grade_folder(folder, saved, AUTOGRADER, FAST, jobs=2, fresh=True)
    assert all(stamps()[name] != after[name] for name in after) and rows(third) == rows(first)


def batch_names(folder):
    """The submission names of a folder, as the store knows them."""
    return [path.as_posix() for path in batch.discover(folder, every_file=True)]


def test_an_interrupted_run_keeps_every_finished_row(folder, tmp_path, monkeypatch):
    """After an interruption, are the finished rows in grades.csv, and does the next run complete the rest?"""
    calls = []

    def interrupt_after_two(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("backprop.grade.__main__.Progress", lambda: interrupt_after_two)
    results = tmp_path / "results"
    with pytest.raises(KeyboardInterrupt):
        grade(submissions=folder, results=results, autograder=AUTOGRADER, limits=FAST, jobs=1)
    with open(results / "grades.csv", encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 2
    monkeypatch.setattr("backprop.grade.__main__.Progress", lambda: lambda *args: None)
    finished = grade(submissions=folder, results=results, autograder=AUTOGRADER, limits=FAST, jobs=1,
                     stream=open("/dev/null", "w"))
    assert len(finished) == 6


def test_the_command_line_writes_the_class_files(folder, tmp_path):
    """Does the command write grades.csv, feedback, results.json and the report, then reuse them on a second run?"""
    results = tmp_path / "results"
    command = [sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER), "--results",
               str(results), "--jobs", "2", "--call-timeout", "5"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with open(results / "grades.csv", encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["submission", "student_id", "student_name", "late", "counted", "score", "possible",
                              "status", "message", "overrides"] + QUESTIONS
    assert [(r["submission"], r["score"], r["status"]) for r in table] == [
        ("README.txt", "0", "invalid"), ("empty.ipynb", "0", "invalid"), ("export.zip", f"{TOTAL:g}", "graded"),
        ("section2/bob.ipynb", f"{WRONG:g}", "graded"), ("solved.ipynb", f"{TOTAL:g}", "graded"),
        ("stub.ipynb", "0", "graded")]
    # the hidden case's bare assert gives no message: the row says the check failed, never nothing
    assert table[3]["double"] == f"{WRONG:g}" and table[3]["message"] == (
        "this check failed (its test gives no message)")
    bob = results / "submissions" / "section2" / "bob.ipynb"
    assert f"Score: {WRONG:g} / {TOTAL:g}" in (bob / "feedback.txt").read_text()
    assert json.loads((bob / "results.json").read_text())["score"] == WRONG
    assert (results / "scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "## Per question" in (results / "report.md").read_text()
    assert "[6/6]" in done.stderr and "section2/bob.ipynb" in done.stdout
    assert "1 hidden or checkpoint files skipped" in done.stderr
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert again.stderr.count("(reused)") == 6 and "6 of 6 results were reused" in again.stdout


def test_a_section_or_a_file_regraded_merges_into_the_class_results(folder, tmp_path):
    """Does grading a sub-folder, then one file, into the class's results keep the other rows, drop the rows and
    folders of deleted files with a line each, and apply overrides.csv on every run?"""
    results = tmp_path / "results"
    command = [sys.executable, "-m", "backprop.grade", "--autograder", str(AUTOGRADER), "--results", str(results),
               "--jobs", "2", "--call-timeout", "5"]
    assert subprocess.run(command + [str(folder)], cwd=ROOT, capture_output=True, text=True).returncode == 0
    everyone = [row["submission"] for row in table_of(results / "grades.csv")]
    (folder / "empty.ipynb").unlink()
    shutil.copy(BATCH / "solved.ipynb", folder / "section2" / "bob.ipynb")
    shutil.copy(FIXTURES / "overrides" / "valid.csv", results / "overrides.csv")
    done = subprocess.run(command + [str(folder / "section2")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Grading 1 submissions from section2 of" in done.stderr and "[1/1] section2/bob.ipynb" in done.stderr
    assert "dropped empty.ipynb" in done.stderr and not (results / "submissions" / "empty.ipynb").exists()
    table = {row["submission"]: row for row in table_of(results / "grades.csv")}
    assert sorted(table) == sorted(set(everyone) - {"empty.ipynb"})
    assert table["section2/bob.ipynb"]["score"] == f"{TOTAL:g}"
    assert table["stub.ipynb"]["score"] == "1.5"  # the total override of a row kept from the first run
    assert "+1.5 points to the total: attendance bonus" in (results / "submissions" / "stub.ipynb" /
                                                           "feedback.txt").read_text()
    one = subprocess.run(command + [str(folder / "stub.ipynb")], cwd=ROOT, capture_output=True, text=True)
    assert one.returncode == 0 and "[1/1] stub.ipynb" in one.stderr
    assert sorted(row["submission"] for row in table_of(results / "grades.csv")) == sorted(table)


def test_a_canvas_download_with_a_roster_is_graded_as_students(tmp_path):
    """Graded from Canvas download names with a roster: does each student get one row (the best file counts), are
    late files and students with no file listed, do the gradebooks follow the roster, is a file naming no roster
    student said, and does a regrade of one file without --roster keep the class's roster?"""
    root, results = tmp_path / "class", tmp_path / "results"
    root.mkdir()
    for name, sample in (("smithjohn_12345_67890_tiny.ipynb", "wrong.ipynb"),
                         ("smithjohn_LATE_12345_67911_tiny.ipynb", "solved.ipynb"),
                         ("smithjohn_LATE_12345_67912_tiny-1.ipynb", "solved.ipynb"),
                         ("müllerzoë_23456_70001_tiny.ipynb", "solved.ipynb"),
                         ("nobody_knows.ipynb", "stub.ipynb")):
        shutil.copy(BATCH / sample, root / name)
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(root), "--autograder", str(AUTOGRADER),
                           "--results", str(results), "--roster", str(FIXTURES / "students" / "roster.csv"),
                           "--call-timeout", "5"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (results / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 names
    files = {row["submission"]: row for row in table_of(results / "grades.csv")}
    assert [files[name]["student_id"] for name in sorted(files)] == ["23456", "nobody_knows.ipynb", "12345",
                                                                     "12345", "12345"]
    assert [(files[name]["late"], files[name]["counted"]) for name in sorted(files)] == [
        ("0", "1"), ("0", "1"), ("0", "0"), ("1", "0"), ("1", "1")]
    students = {row["student_id"]: row for row in table_of(results / "students.csv")}
    assert students["12345"]["score"] == f"{TOTAL:g}" and students["12345"]["late"] == "1"
    assert students["23456"]["student_name"] == "Müller, Zoë"
    assert students["56789"]["status"] == "missing" and students["56789"]["score"] == "0"
    canvas = table_of(results / "gradebook_canvas.csv")
    assert list(canvas[0])[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert {row["ID"]: row["SIS Login ID"] for row in canvas[1:]}["23456"] == "zmuller"
    # the same one-line solution handed in by two students is too little code to be evidence of copying
    assert table_of(results / "similarity.csv") == [] and "## Possible copies" in (results / "report.md").read_text()
    report = (results / "report.md").read_text()
    assert "; 1 of them submitted late. 3 students on the roster submitted nothing" in report
    assert ", 1 late;" in done.stdout
    assert "WARNING: 1 student is not on the roster" in done.stdout and "nobody_knows.ipynb" in done.stdout
    again = subprocess.run([sys.executable, "-m", "backprop.grade", str(root / "nobody_knows.ipynb"), "--autograder",
                            str(AUTOGRADER), "--results", str(results), "--call-timeout", "5"], cwd=ROOT,
                           capture_output=True, text=True)  # a regrade of one file, the roster not given again
    assert again.returncode == 0 and "as the class's earlier run did: roster" in again.stderr
    assert {row["student_id"]: row["status"] for row in table_of(results / "students.csv")}["56789"] == "missing"


def test_a_broken_overrides_file_stops_the_run_before_grading(folder, tmp_path):
    """Does an overrides.csv row that cannot be applied stop the command with its line, grading nothing?"""
    results = tmp_path / "results"
    results.mkdir()
    shutil.copy(FIXTURES / "overrides" / "not_a_number.csv", results / "overrides.csv")
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER),
                           "--results", str(results)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "line 2: points 'two' is not a number" in done.stderr
    assert not (results / "grades.csv").exists()


def test_an_override_that_matches_no_file_is_reported(folder, tmp_path):
    """Is a row of overrides.csv that names no graded file or student said after grading, not silently dropped?"""
    results = tmp_path / "results"
    results.mkdir()
    shutil.copy(FIXTURES / "overrides" / "no_match.csv", results / "overrides.csv")
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER),
                           "--results", str(results), "--call-timeout", "5"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    assert "overrides.csv, line 2: no graded file or student matches 'nobody.ipynb'" in done.stderr


@pytest.mark.parametrize("arguments, words", [(["--jobs", "0"], "--jobs"), (["--call-timeout", "-1"], "--call-timeout"),
                                              (["/no/such/folder"], "no file or folder"),
                                              (["--sandbox-user", "no-such-student"], "no user 'no-such-student'")])
def test_bad_arguments_are_refused_with_a_message(arguments, words, tmp_path):
    """Do a zero job count, a negative limit, a missing folder or an unknown user stop the command with a usage error?"""
    done = subprocess.run([sys.executable, "-m", "backprop.grade", *arguments, "--results", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and words in done.stderr


def test_ctrl_c_stops_at_once_keeps_finished_rows_and_leaves_nothing_behind(tmp_path):
    """Does SIGINT to the whole command stop it within seconds (exit 130), keeping saved rows and no sandbox?"""
    folder, scratch = tmp_path / "class", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    shutil.copy(BATCH / "hangs.ipynb", folder / "a_hangs.ipynb")
    for index in range(12):
        shutil.copy(BATCH / "solved.ipynb", folder / f"b{index:02d}.ipynb")
    results = tmp_path / "results"
    command = [sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER), "--results",
               str(results), "--jobs", "2"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "TMPDIR": str(scratch)}, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and finished_files(results) < 3:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        started = time.monotonic()
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:  # the test failed: leave nothing running behind it
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130 and "Interrupted" in stderr and time.monotonic() - started < 10
    assert 3 <= len(saved_rows(results)) < 13
    assert list(scratch.glob("backprop-sandbox-*")) == []


def finished_files(results):
    """How many files a run has saved so far (each is saved in its folder at once; grades.csv follows later)."""
    return len(list((results / "submissions").rglob("result.json"))) if (results / "submissions").is_dir() else 0


def saved_rows(results):
    """The rows of grades.csv so far ([] before it exists)."""
    try:
        with open(results / "grades.csv", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        return []


def kill_worker_on_poison(name, submissions_dir, autograder_dir, limits):
    """A grading function that ends its worker process on files named poison*, like an out-of-memory kill."""
    if name.startswith("poison"):
        os._exit(9)
    return batch._grade_one(name, submissions_dir, autograder_dir, limits)


def test_a_file_that_kills_its_worker_costs_only_its_own_row(folder):
    """When a worker dies, are the other files regraded alone and kept, only the culprit lost?"""
    shutil.copy(BATCH / "solved.ipynb", folder / "poison.ipynb")
    names = [path.as_posix() for path in batch.discover(folder)]
    finished, lost = [], []
    grade = functools.partial(kill_worker_on_poison, submissions_dir=folder, autograder_dir=AUTOGRADER, limits=FAST)
    batch.in_pool(names, grade, 2, FAST.memory_mb, finished.append, lost.append)
    assert lost == ["poison.ipynb"]
    assert sorted(data["submission"] for data in finished) == sorted(set(names) - {"poison.ipynb"})


def test_links_and_special_files_get_rows_and_are_never_opened(tmp_path):
    """Do a link to /dev/zero (as .ipynb and as .txt) and a named pipe each get an invalid row at once, instead of
    hanging the batch while it hashes or reads them?"""
    import os
    import time

    root = tmp_path / "class"
    root.mkdir()
    shutil.copy(BATCH / "solved.ipynb", root / "reference.ipynb")
    (root / "zero.ipynb").symlink_to("/dev/zero")
    (root / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(root / "pipe.ipynb")
    started = time.monotonic()
    results = batch.grade_folder(root, store_for(tmp_path / "results"), AUTOGRADER, FAST, jobs=1)
    assert time.monotonic() - started < 60
    by_name = {r.submission: r for r in results}
    assert by_name["reference.ipynb"].score == TOTAL
    assert "symbolic link" in by_name["zero.ipynb"].message and "not a .ipynb" in by_name["zero.txt"].message
    assert "not a regular file" in by_name["pipe.ipynb"].message
    assert all(by_name[name].status == "invalid" for name in ("zero.ipynb", "zero.txt", "pipe.ipynb"))


def test_lone_surrogates_and_file_names_that_are_not_utf8_are_stored_escaped(tmp_path):
    """Do a cell that prints and raises lone surrogates, and a file name that is not UTF-8, get their rows, files and
    a grades.csv, shown escaped, instead of crashing the batch while saving (and are they reused on a rerun)?"""
    import os

    import nbformat

    root = tmp_path / "class"
    root.mkdir()
    notebook = nbformat.read(BATCH / "solved.ipynb", as_version=4)
    notebook.cells.insert(3, nbformat.v4.new_code_cell((FIXTURES / "cells" / "lone_surrogates.py").read_text()))
    nbformat.write(notebook, root / "surrogates.ipynb")
    shutil.copy(BATCH / "solved.ipynb", os.fsencode(root) + b"/caf\xe9.ipynb")
    results = tmp_path / "results"
    finished = grade(submissions=root, results=results, autograder=AUTOGRADER, limits=FAST, jobs=1,
                     stream=open("/dev/null", "w"))
    assert sorted((r.status, r.score) for r in finished) == [("graded", TOTAL), ("graded", TOTAL)]
    table = (results / "grades.csv").read_text(encoding="utf-8-sig")
    assert "caf\\udce9.ipynb" in table and "raised ValueError: \\ud800" in table
    feedback = (results / "submissions" / "surrogates.ipynb" / "feedback.txt").read_text()
    assert "caf\\udcff" in feedback
    again = grade(submissions=root, results=results, autograder=AUTOGRADER, limits=FAST, jobs=1,
                  stream=open("/dev/null", "w"))
    assert [r.score for r in again] == [r.score for r in finished]


GRADE_ONE = batch._grade_one


def hang_on_stuck(name, submissions_dir, autograder_dir, limits):
    """A grading function stuck on files named stuck* (as in a long computation for student code), else grading."""
    if name.startswith("stuck"):
        time.sleep(3600)
    return GRADE_ONE(name, submissions_dir, autograder_dir, limits)


def test_a_worker_past_its_hard_limit_is_killed_and_the_others_are_graded(folder):
    """When the trusted side holds a file past the hard limit, is its worker killed, that file reported overdue,
    and every other file graded, within seconds of the limit?"""
    shutil.copy(BATCH / "solved.ipynb", folder / "stuck.ipynb")
    names = [path.as_posix() for path in batch.discover(folder)]
    finished, lost, overdue = [], [], []
    grade = functools.partial(hang_on_stuck, submissions_dir=folder, autograder_dir=AUTOGRADER, limits=FAST)
    started = time.monotonic()
    batch.in_pool(names, grade, 2, FAST.memory_mb, finished.append, lost.append, overdue.append, hard_seconds=4)
    assert overdue == ["stuck.ipynb"] and lost == [] and time.monotonic() - started < 60
    assert sorted(data["submission"] for data in finished) == sorted(set(names) - {"stuck.ipynb"})


def test_an_overdue_file_gets_a_timeout_row_that_says_why(folder, tmp_path, monkeypatch):
    """Does grade_folder turn a file whose worker was killed into a timeout row naming the hard limit (so that it
    is graded again next time), the other rows kept?"""
    shutil.copy(BATCH / "solved.ipynb", folder / "stuck.ipynb")
    monkeypatch.setattr(batch, "_grade_one", hang_on_stuck)
    monkeypatch.setattr(batch, "hard_limit", lambda limits: 4)
    results = {r.submission: r for r in batch.grade_folder(folder, store_for(tmp_path / "results"), AUTOGRADER, FAST,
                                                           jobs=2)}
    assert results["stuck.ipynb"].status == "timeout" and "hard limit of 4 s" in results["stuck.ipynb"].message
    assert results["solved.ipynb"].score == TOTAL


def session_processes(session):
    """The live processes of a session (not zombies), by pid."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] not in ("Z", "X"):
                found.append(int(entry))
    return found


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGKILL, -9)])
def test_no_process_survives_the_batch_being_stopped(tmp_path, signum, code):
    """When the batch's own process gets SIGTERM (or SIGKILL) in the middle of grading, does every worker and
    sandbox end within seconds, SIGTERM keeping the finished rows and saying so?"""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(BATCH / "hangs.ipynb", folder / "a_hangs.ipynb")
    for index in range(8):
        shutil.copy(BATCH / "solved.ipynb", folder / f"b{index:02d}.ipynb")
    results = tmp_path / "results"
    process = subprocess.Popen([sys.executable, "-m", "backprop.grade", str(folder), "--autograder", str(AUTOGRADER),
                                "--results", str(results), "--jobs", "2"], cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and finished_files(results) < 2:
            time.sleep(0.05)
        assert len(session_processes(process.pid)) >= 3  # the batch, its workers and their sandboxes
        os.kill(process.pid, signum)
        _, stderr = process.communicate(timeout=30)
        deadline = time.monotonic() + 10
        while session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session_processes(process.pid) == []
    finally:
        if process.poll() is None or session_processes(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == code
    if signum == signal.SIGTERM:
        assert "Interrupted" in stderr and len(saved_rows(results)) >= 2


def test_os_litter_is_skipped_and_every_other_upload_kept(folder):
    """Are Thumbs.db, desktop.ini, .DS_Store and __MACOSX left out, while a .pdf handed in still gets found?"""
    (folder / "Thumbs.db").write_bytes(b"\0")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._reference.ipynb").write_bytes(b"\0")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    found = [path.as_posix() for path in batch.discover(folder, every_file=True)]
    assert "report.pdf" in found and not any("Thumbs" in name or "desktop" in name or "MACOSX" in name
                                             or "DS_Store" in name for name in found)


def fail_on_broken(result):
    """A feedback writer that fails for files named broken* (a full disk, say), else writes the usual feedback."""
    if result.submission.startswith("broken"):
        raise OSError(28, "No space left on device")
    return feedback_text(result)


def test_a_row_that_cannot_be_saved_becomes_an_error_row_and_the_batch_finishes(folder, tmp_path):
    """When saving one file's results fails, does that row become an error saying why, with the others saved and
    the batch finished?"""
    shutil.copy(BATCH / "solved.ipynb", folder / "broken.ipynb")
    writing = store.Store(tmp_path / "results", store.fingerprint(AUTOGRADER, FAST), {"feedback.txt": fail_on_broken})
    results = {r.submission: r for r in batch.grade_folder(folder, writing, AUTOGRADER, FAST, jobs=2)}
    assert results["broken.ipynb"].status == "error"
    assert "could not be saved (OSError: [Errno 28] No space left on device)" in results["broken.ipynb"].message
    assert results["solved.ipynb"].score == TOTAL
    assert (tmp_path / "results" / "submissions" / "solved.ipynb" / "feedback.txt").is_file()


def test_a_sandbox_that_cannot_run_a_tiny_notebook_stops_the_batch_before_grading(folder, tmp_path, monkeypatch,
                                                                                   capsys):
    """When the preflight sandbox fails (a user that cannot run Python, say), does the command grade nothing,
    write no grades.csv, exit 1 and say why and what to check?"""
    from backprop.grade import __main__ as command
    from backprop.sandbox import process

    def broken_start(self, limits, deadline=None):
        raise process.SandboxStartError("the sandbox did not start (ChannelClosed): python: Permission denied")

    monkeypatch.setattr(process.Sandbox, "__init__", broken_start)
    results = tmp_path / "results"
    assert command.main([str(folder), "--autograder", str(AUTOGRADER), "--results", str(results)]) == 1
    error = capsys.readouterr().err
    assert "nothing was graded" in error and "Permission denied" in error and "--sandbox-user" in error
    assert not (results / "grades.csv").exists()


def test_the_fingerprint_follows_every_file_grading_reads(tmp_path):
    """Does changing a data file of the assignment (not only its .py and .json) change the fingerprint, so that
    results graded against the old file are graded again, while a built zip or a cache does not?"""
    folder = tmp_path / "tiny"
    shutil.copytree(AUTOGRADER, folder)
    first = store.fingerprint(folder, FAST)
    (folder / "autograder.zip").write_bytes(b"PK")
    (folder / "__pycache__").mkdir(exist_ok=True)
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert store.fingerprint(folder, FAST) == first
    (folder / "points.csv").write_text("1,2\n")
    assert store.fingerprint(folder, FAST) != first


def echo_size(name):
    """A grading function that returns the size of what it was given (a job's name may be any picklable value)."""
    return {"submission": str(len(name[1]))}


def test_many_large_jobs_without_a_hard_limit_all_finish():
    """With no hard limit (as make mutants runs), do 40 jobs whose names are 8 KB each all finish, the workers'
    reports read as they come (unread, they filled the queue's pipe and every worker blocked)?"""
    names = [(index, "x" * 8000) for index in range(40)]
    finished = []
    started = time.monotonic()
    batch.in_pool(names, echo_size, 2, FAST.memory_mb, finished.append, lambda name: None)
    assert len(finished) == 40 and time.monotonic() - started < 60
