"""python -m backprop.grade: grade a folder of submissions into grades.csv, feedback and a class report."""

import argparse
import csv
import os
import pathlib
import signal
import sys
import time

from backprop.report.class_files import write_class_files
from backprop.report.class_report import TOP_COPIES
from backprop.report.csv_table import cell, grades_csv, not_graded_csv
from backprop.report.gradescope import results_json
from backprop.report.score_table import score_table
from backprop.report.student_feedback import feedback_text
from backprop.sandbox.confine import describe_isolation
from backprop.similarity import Entry, pair_html, similar_pairs
from backprop.students.class_list import MISSING, students_of
from backprop.students.gradescope_export import MetadataError, find_metadata, read_metadata
from backprop.students.names import compile_id_pattern
from backprop.students.roster import RosterError, read_roster
from backprop.sandbox.landlock import landlock_abi
from backprop.sandbox.linux import not_dumpable
from backprop.sandbox.process import Limits, SandboxStartError, account, preflight

from .assignments import course, describe
from .batch import discover, grade_folder, ignored_files
from .sorting import sort_files
from .overrides import FILE as OVERRIDES, OverridesError, apply_overrides, read_overrides
from .scope import Scope, recorded_class, recorded_students, remember, scope_of
from .store import Store, fingerprint, write_atomically
from .grader import question_order
from .progress import Progress
from .results import GRADER_FAILED, one_line

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_SUBMISSIONS = ROOT / "tests" / "fixtures" / "submissions"
NOT_GRADED = "not_graded.csv"  # in the results folder: the files this run did not grade, and why
PARTIAL_TABLE_SECONDS = 2.0  # how often grades.csv is rewritten while a run grades


def grade_course(*, submissions, results, autograder, limits, assignments=(), jobs=None, fresh=False,
                 stream=sys.stdout, roster=None, id_pattern=None, canvas_column=""):
    """
    Grade a class folder (or a part of it) that may hold several assignments' submissions, each assignment into
    its own results folder.

    Inputs:
    - submissions: the class folder, or a sub-folder or file of the class results was graded from (only those
      files are graded again; every other row is kept: see scope.py).
    - results: the folder to write (results/<assignment>/ for each assignment, unless autograder is one
      assignment's folder: then results/ itself), and results/not_graded.csv for the files no assignment of this
      run grades. An assignment graded before into results is graded again even with no file now, so that its
      grades.csv never keeps rows of files gone. results/overrides.csv, when there, is applied (overrides.py).
    - autograder: autograder/ (every assignment) or autograder/<name>; assignments: the names to grade (default:
      every one); limits, jobs, fresh, stream: as for grade.
    - roster: a roster file (id, name, email...) or None; id_pattern: a regular expression with a group id (and
      name) finding the student in a file's path, or None: see backprop.students.identify. A Gradescope export's
      submission_metadata.yml in the class folder is read too (and not graded).
    - canvas_column: the assignment's column title in gradebook_canvas.csv (one assignment only; default: its title).

    Returns:
    - dict assignment -> its list of SubmissionResult (every row of its grades.csv).

    Raises RosterError, MetadataError or OverridesError (ValueErrors naming the file and line) before grading.
    """
    folders = course(autograder, assignments)
    every = course(autograder)
    single = pathlib.Path(autograder).resolve() in {folder.resolve() for folder in every.values()}
    results = pathlib.Path(results)
    rows = read_overrides(results, {name: describe(folder)["points"] for name, folder in every.items()})
    scope = scope_of(submissions, results)
    if scope.note:
        print(scope.note, file=sys.stderr)
    if not roster and not id_pattern and scope.root == recorded_class(results):
        roster, id_pattern = recorded_students(results)
        if roster or id_pattern:
            print(f"Telling students apart as the class's earlier run did: "
                  + ", ".join(([f"roster {roster}"] if roster else []) + ([f"--id-pattern {id_pattern}"]
                                                                          if id_pattern else []))
                  + " (give --roster or --id-pattern to change it)", file=sys.stderr)
            if roster and not pathlib.Path(roster).is_file():
                raise RosterError(f"the class's roster {roster} is gone: give --roster again")
    exported = find_metadata(scope.root)
    students = {"roster": read_roster(roster) if roster else None,
                "pattern": compile_id_pattern(id_pattern) if id_pattern else None,
                "metadata": read_metadata(exported) if exported else None}
    found = [path for path in discover(scope.root, every_file=True)
             if exported is None or scope.root / path != exported]
    everything = [path.as_posix() for path in found]
    names = [name for name in everything if scope.covers(name)]
    ignored = ignored_files(scope.root, found)
    if ignored and not scope.part:
        print(f"{scope.root}: {ignored} hidden or checkpoint files skipped", file=sys.stderr)
    by_assignment, not_graded = sort_files(scope.root, names, {name: describe(folder) for name, folder
                                                               in every.items()}, list(folders), limits, jobs)
    graded, applied = {}, set()
    for name, folder in folders.items():
        target = results if single else results / name
        if by_assignment[name] or len(folders) == 1 or (target / "grades.csv").exists():
            print(f"\n{describe(folder)['title']} ({name})", file=stream)
            graded[name] = grade(submissions=scope.root, results=target, autograder=folder, limits=limits,
                                 jobs=jobs, fresh=fresh, stream=stream, names=by_assignment[name], scope=scope,
                                 present=set(everything), overrides=rows, applied=applied, students=students,
                                 canvas_column=canvas_column)
    kept = set() if not scope.part else {file for results_of in graded.values() for file in
                                         (result.submission for result in results_of)}
    not_graded = merged_not_graded(results / NOT_GRADED, not_graded, scope, set(everything) - kept)
    if not_graded:
        write_atomically(results / NOT_GRADED, not_graded_csv(not_graded))
        print(f"{len(not_graded)} files were not graded (none of the assignments, or another assignment's); they "
              f"are listed, with the reason, in {results / NOT_GRADED}", file=sys.stderr)
    elif (results / NOT_GRADED).exists():
        (results / NOT_GRADED).unlink()  # an earlier run's list: no file of this run is in it
    remember(scope, results, roster, id_pattern)
    for row in rows:
        if row.line not in applied:
            print(f"WARNING: {results / OVERRIDES}, line {row.line}: no graded file or student matches "
                  f"{row.who!r}" + (f" in {row.assignment}" if row.assignment else "") + "; it was not applied",
                  file=sys.stderr)
    return graded


def merged_not_graded(path, new_rows, scope, present):
    """
    The rows of not_graded.csv after a run: this run's, and, when it graded a part of the class, the earlier
    rows of files outside that part that are still in the class folder and graded nowhere.

    Inputs:
    - path: the not_graded.csv written before; new_rows: (file, reason) pairs of this run.
    - scope: the run's Scope; present: the class folder's files now that no assignment's results hold.

    Returns:
    - (file, reason) pairs, sorted by file.
    """
    rows = dict(new_rows)
    if scope.part and path.exists():
        written = {cell(name): name for name in present if not scope.covers(name)}  # as the CSV wrote each name
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                name = written.get(row.get("file"))
                if name is not None:
                    rows.setdefault(name, row.get("reason", ""))
    return sorted(rows.items())


def grade(*, submissions, results, autograder, limits, jobs=None, fresh=False, stream=sys.stdout, names=None,
          scope=None, present=None, overrides=(), applied=None, students=None, canvas_column=""):
    """
    Grade submissions for one assignment and write the class's files.

    Inputs:
    - submissions: the class folder; results: the folder to write.
    - autograder: the assignment's autograder folder; limits: a Limits; jobs: worker processes.
    - fresh: re-grade files already graded; stream: where the score table goes.
    - names: the files to grade, relative to submissions (default: every file there).
    - scope: the run's Scope (default: the whole folder); present: every file of the class folder now (default:
      names). Stored rows of files outside the scope that are still present are kept; the others are dropped,
      their folders removed, with a line each.
    - overrides: Rows of overrides.csv; applied: a set the line numbers of the rows applied are added to.
    - students: keyword arguments of students_of (roster, pattern, metadata) telling each file's student.
    - canvas_column: the assignment's column in gradebook_canvas.csv (default: its title).

    Returns:
    - the list of SubmissionResult of every row, sorted by file.
    """
    results = pathlib.Path(results)
    students = students or {}
    questions = question_order(autograder)
    found = discover(submissions, every_file=True) if names is None else [pathlib.Path(name) for name in names]
    names = [path.as_posix() for path in found]
    scope = scope or Scope(pathlib.Path(submissions))
    present = set(names) if present is None else present
    store = Store(results, fingerprint(autograder, limits),
                  {"feedback.txt": feedback_text, "results.json": results_json})
    kept = prune(store, scope, present, set(names))
    progress = Progress()
    done, reused = dict(kept), []

    written = [0.0]  # when grades.csv was last written during the run

    def write_table():
        write_atomically(results / "grades.csv", grades_csv(sorted(done.values(), key=lambda r: r.submission),
                                                            questions))
        written[0] = time.monotonic()

    def on_result(result, count, total, was_reused):
        done[result.submission] = result
        if was_reused:
            reused.append(result.submission)
        # every result is saved at once in its folder (the next run resumes from there); the table of the rows so
        # far is rewritten every few seconds, not after each file: rewriting it each time costs quadratic time
        if time.monotonic() - written[0] >= PARTIAL_TABLE_SECONDS or count == total:
            write_table()
        progress(result, count, total, was_reused)

    isolation = describe_isolation(limits.isolation)
    preflight(limits)  # a sandbox that cannot run a tiny notebook would give every file a row of no verdict
    ignored = ignored_files(submissions, found) if names is None else 0  # grade_course says it for the folder
    part = f"{scope.part} of " if scope.part else ""
    print(f"Grading {len(names)} submissions from {part}{submissions}"
          + (f" ({ignored} hidden or checkpoint files skipped)" if ignored else "")
          + (f", keeping the {len(kept)} other rows of the class" if scope.part else "")
          + f" with {jobs or os.cpu_count()} jobs; sandbox: {isolation}", file=sys.stderr)
    try:
        graded = grade_folder(submissions, store, autograder, limits, jobs, fresh, on_result, names=names)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the table gets every row finished so far, then the run stops
        write_table()
        raise
    every = sorted(list(kept.values()) + graded, key=lambda result: result.submission)
    identities = students_of(every, **students).identities
    every, lines = apply_overrides(every, list(overrides), describe(autograder)["name"],
                                   {name: [student.id for student in identity.students]
                                    for name, identity in identities.items()})
    if applied is not None:
        applied.update(lines)
    for result in every:
        store.render(result)  # the feedback of a file whose override changed, as of this run
    class_list = students_of(every, **students, identities=identities)  # which file counts, with the overrides
    pairs = similar_pairs([Entry(result.submission, ";".join(s.id for s in class_list.identities[result.submission]
                                                                 .students) or result.submission,
                                 result.sha256, result.code) for result in every if result.status != "invalid"],
                          boilerplate=skeleton_of(autograder), shown=TOP_COPIES)
    write_class_files(results, results=every, questions=questions, students=class_list, pairs=pairs,
                      pair_html=pair_html, isolation=isolation,
                      canvas_column=canvas_column or describe(autograder)["title"])
    final = {result.submission: result for result in every}
    print("\n" + score_table([final[result.submission] for result in graded]), file=stream)
    if reused:
        print(f"\n{len(reused)} of {len(graded)} results were reused from {results} (same file, autograder and "
              "limits); --fresh grades everything again.", file=stream)
    if lines:
        print(f"\nThese scores include {len(lines)} row(s) of {OVERRIDES} (marked in grades.csv's overrides column).",
              file=stream)
    strangers = [row for row in class_list.rows if row.student.on_roster is False]
    if strangers:
        print(f"\nWARNING: {len(strangers)} " + ("student is" if len(strangers) == 1 else "students are")
              + " not on the roster, so no gradebook can match them (students.csv says why in its notes): "
              + ", ".join(one_line(row.student.id, 80) for row in strangers[:10])
              + (" ..." if len(strangers) > 10 else ""), file=stream)
    missing = sum(row.status == MISSING for row in class_list.rows)
    late = sum(row.late for row in class_list.rows)
    print(f"\n{len(class_list.rows)} students" + (f" ({missing} on the roster with no submission)" if missing else "")
          + (f", {late} late" if late else "") + f"; {len(pairs)} pairs of submissions flagged as possible copies "
          "(similarity.csv, similarity/*.html)", file=stream)
    print(f"\nWrote {results}/grades.csv, students.csv, gradebook.csv, gradebook_canvas.csv, similarity.csv, "
          "report.md, scores.png and submissions/<file>/{feedback.txt,results.json}", file=stream)
    return every


def skeleton_of(autograder):
    """The code students start from (autograder/<name>/skeleton.py), left out when comparing submissions."""
    try:
        return (pathlib.Path(autograder) / "skeleton.py").read_text()
    except OSError:
        return ""


def prune(store, scope, present, graded):
    """
    Sort the stored rows of one assignment: keep those of files outside the run's scope still in the class
    folder, remove the others that this run does not grade again (files deleted, or now another assignment's).

    Inputs:
    - store: the assignment's Store; scope: the run's Scope; present: the class folder's files now; graded:
      the files this run grades for this assignment.

    Returns:
    - dict file -> stored SubmissionResult kept.
    """
    kept, stale = {}, 0
    for name, (result, current) in store.stored().items():
        if name in graded:
            continue
        if name in present and not scope.covers(name):
            kept[name] = result
            stale += not current
            continue
        store.remove(name)
        why = "no longer in the class folder" if name not in present else "not this assignment's in this run"
        print(f"dropped {name} from {store.root}: {why}; its row and its folder are removed", file=sys.stderr)
    if stale:
        print(f"WARNING: {stale} kept rows were graded with another autograder or other limits; grade the whole "
              f"class folder ({scope.root}) to grade them again", file=sys.stderr)
    return kept


class Terminated(KeyboardInterrupt):
    """SIGTERM: stopped like Ctrl-C (every worker and sandbox ends, finished rows stay saved)."""

    signum = signal.SIGTERM


def _interrupted(signum, frame):
    raise Terminated()


def main(argv=None):
    """Parse the command line and grade."""
    defaults = Limits()
    parser = argparse.ArgumentParser(prog="python -m backprop.grade", description=__doc__)
    parser.add_argument("submissions", nargs="?", default=str(DEFAULT_SUBMISSIONS),
                        help="folder of .ipynb and .zip files (default: the bundled samples)")
    parser.add_argument("--results", default="results", help="folder to write (default: results)")
    parser.add_argument("--autograder", default=str(ROOT / "autograder"),
                        help="autograder/ (every assignment, each graded into RESULTS/<name>/) or one assignment's "
                             "autograder/<name> (graded into RESULTS)")
    parser.add_argument("--assignment", action="append", default=[], metavar="NAME",
                        help="grade only this assignment's files (repeatable; default: every assignment)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel workers (default: every core)")
    parser.add_argument("--fresh", action="store_true", help="re-grade files already graded in --results")
    parser.add_argument("--roster", metavar="CSV", help="the class list: id, name (email, sis_user_id, sis_login_id, "
                        "section optional); fills the gradebooks and lists students with no submission")
    parser.add_argument("--id-pattern", metavar="REGEX", help="find the student in a file's path with this regular "
                        "expression and its group (?P<id>...) (and (?P<name>...)), instead of LMS download names")
    parser.add_argument("--canvas-column", default="", metavar="TITLE", help="the assignment's column in "
                        "gradebook_canvas.csv, e.g. 'Homework 3 (12345)' (default: the assignment's title)")
    parser.add_argument("--call-timeout", type=float, default=defaults.call_seconds,
                        help=f"seconds for one call or one notebook cell (default {defaults.call_seconds:g})")
    parser.add_argument("--submission-timeout", type=float, default=defaults.submission_seconds,
                        help=f"seconds for a whole submission (default {defaults.submission_seconds:g})")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                        help=f"sandbox memory in MB (default {defaults.memory_mb})")
    parser.add_argument("--max-output", type=int, default=defaults.output_chars,
                        help=f"characters of printed output kept per submission (default {defaults.output_chars})")
    parser.add_argument("--isolation", choices=("auto", "landlock", "none"), default=defaults.isolation,
                        help="filesystem isolation: Landlock when available (auto), required, or none")
    parser.add_argument("--sandbox-user", default=defaults.user, metavar="USER",
                        help="run student code as this user, e.g. nobody (needs root; default: the grader's own)")
    args = parser.parse_args(argv)
    for flag in ("call_timeout", "submission_timeout", "memory_mb", "max_output"):
        if getattr(args, flag) <= 0:
            parser.error(f"--{flag.replace('_', '-')} must be positive")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if not os.path.lexists(args.submissions):
        parser.error(f"no file or folder {args.submissions}")
    if args.id_pattern:
        try:
            compile_id_pattern(args.id_pattern)
        except ValueError as error:
            parser.error(f"--id-pattern: {error}")
    if args.canvas_column and len(course(args.autograder, args.assignment)) > 1:
        parser.error("--canvas-column names one assignment's column: give one --assignment")
    if args.roster and not pathlib.Path(args.roster).is_file():
        parser.error(f"--roster: no file {args.roster}")
    try:
        course(args.autograder, args.assignment)
    except (ValueError, OSError) as error:
        parser.error(f"--autograder/--assignment: {error}")
    try:
        account(args.sandbox_user)
    except SandboxStartError as error:
        parser.error(f"--sandbox-user: {error}")
    if args.isolation == "landlock" and landlock_abi() == 0:
        parser.error("--isolation landlock: this kernel has no Landlock (use auto to grade with process isolation only)")
    limits = Limits(call_seconds=args.call_timeout, submission_seconds=args.submission_timeout,
                    memory_mb=args.memory_mb, output_chars=args.max_output, isolation=args.isolation,
                    user=args.sandbox_user)
    not_dumpable()  # student code without Landlock cannot read or write this process's memory
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        by_assignment = grade_course(submissions=args.submissions, results=args.results, autograder=args.autograder,
                                     assignments=args.assignment, limits=limits, jobs=args.jobs, fresh=args.fresh,
                                     roster=args.roster, id_pattern=args.id_pattern, canvas_column=args.canvas_column)
    except (OverridesError, RosterError, MetadataError) as error:
        print(f"ERROR: nothing was graded: {error}", file=sys.stderr)
        return 2
    except SandboxStartError as error:
        print(f"ERROR: nothing was graded: the sandbox cannot run student code on this machine ({error}).\n"
              f"Check that --sandbox-user (if given) can run {sys.executable} and read its packages, and that "
              "--isolation suits this kernel; then run the same command again.", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:
        print(f"\nInterrupted: every finished submission is saved in {args.results}; "
              "run the same command again to grade the rest.", file=sys.stderr)
        return 128 + getattr(stop, "signum", signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)
    graded = [result for results in by_assignment.values() for result in results]
    failed = [result for result in graded if result.message.startswith(GRADER_FAILED)]
    if failed:
        print(f"\nERROR: {len(failed)} of {len(graded)} files were not graded because the grader itself failed: "
              f"{failed[0].message}. Their rows say so (status error) and are graded again on the next run.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
