"""Copies among the two-layer net's submissions, graded as a class: are they flagged, each with its page?"""

import shutil
import subprocess
import sys

from conftest import AUTOGRADER, ROOT, SUBMISSIONS, table_of


def test_a_copied_notebook_is_flagged_with_its_page_and_a_student_s_own_files_are_not(tmp_path):
    """With the reference handed in by two students (byte-identical) and once more by one of them, the buggy
    variants by others: is the copy flagged at 1.000 once, linked from the report to its side-by-side page, and
    never a pair of one student's files?"""
    root, results = tmp_path / "class", tmp_path / "results"
    root.mkdir()
    for name, sample in (("smithjohn_12345_100_two_layer_net.ipynb", "reference.ipynb"),
                         ("smithjohn_12345_101_two_layer_net-1.ipynb", "reference.ipynb"),
                         ("lee_23456_102_two_layer_net.ipynb", "reference.ipynb"),
                         ("kim_34567_103_two_layer_net.ipynb", "half_done.ipynb")):
        shutil.copy(SUBMISSIONS / sample, root / name)
    done = subprocess.run([sys.executable, "-m", "backprop.grade", str(root), "--autograder", str(AUTOGRADER),
                           "--results", str(results), "--jobs", "2"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    similar = table_of(results / "similarity.csv")
    students = {row["submission"]: row["student_id"] for row in table_of(results / "grades.csv")}
    pairs = [({students[row["a"]], students[row["b"]]}, row["similarity"]) for row in similar]
    assert ({"12345", "23456"}, "1.000") in pairs and len(pairs) == len({frozenset(p) for p, _ in pairs})
    assert all(len(pair) == 2 for pair, _ in pairs)
    page = (results / "similarity" / "001.html").read_text()
    assert "byte-identical" in page and "[1](similarity/001.html)" in (results / "report.md").read_text()
