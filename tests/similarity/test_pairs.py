"""Tests for backprop.similarity.pairs: the measured fixture class, and the rules every pair follows."""

import os
import subprocess
import sys

from backprop.report.csv_table import similarity_csv
from backprop.similarity import DEFAULT_THRESHOLD, MIN_SHARED_KGRAMS, Entry, similar_pairs
from conftest import ROOT
from tests.fixtures.similarity.fixture_class import HERE, boilerplate, entry_of, fixture_class, skeleton_answered

UNIT = HERE / "unit"


def by_names(pairs):
    """The pairs as a dict {frozenset of the two names: pair}."""
    return {frozenset((pair.a, pair.b)): pair for pair in pairs}


def test_every_planted_copy_and_no_independent_pair_is_flagged():
    """At DEFAULT_THRESHOLD, is recall 1.0 on the planted copies and precision 1.0 (no independent pair flagged)?"""
    entries, planted = fixture_class()
    flagged = set(by_names(similar_pairs(entries, boilerplate=boilerplate())))
    assert len(planted) >= 8 and len(entries) - len(planted) >= 12
    assert flagged == planted


def test_the_threshold_lies_well_inside_the_measured_gap():
    """Do copies score at least 0.1 above DEFAULT_THRESHOLD and independent pairs at least 0.1 below it?"""
    entries, planted = fixture_class()
    every = by_names(similar_pairs(entries, boilerplate=boilerplate(), threshold=0.0))
    assert min(every[pair].similarity for pair in planted) >= DEFAULT_THRESHOLD + 0.1
    assert max(pair.similarity for names, pair in every.items() if names not in planted) <= DEFAULT_THRESHOLD - 0.1


def test_pairs_come_most_similar_first():
    """Are the pairs sorted by decreasing similarity, each with its names in order?"""
    entries, _ = fixture_class()
    pairs = similar_pairs(entries, boilerplate=boilerplate(), threshold=0.3)
    assert len(pairs) > 10
    assert [pair.similarity for pair in pairs] == sorted((pair.similarity for pair in pairs), reverse=True)
    assert all(pair.a < pair.b for pair in pairs)


def test_renamed_recommented_and_reformatted_copies_stay_similar():
    """Do renaming, comments removed and whitespace reformatted keep a copy at 1.0, and dropped docstrings near it?"""
    entries, _ = fixture_class()
    found = by_names(similar_pairs(entries, boilerplate=boilerplate()))
    renamed = found[frozenset(("copy01_of_student01.py", "student01.py"))]
    reformatted = found[frozenset(("copy09_of_student08.py", "student08.py"))]
    no_docstrings = found[frozenset(("copy03_of_student06.py", "student06.py"))]
    assert renamed.similarity == 1.0 and reformatted.similarity == 1.0
    assert no_docstrings.similarity >= 0.8  # a docstring is a string token: the k-grams around each one change


def test_byte_identical_files_are_a_pair_at_similarity_one_when_they_hold_code_of_their_own():
    """Are two files with the same sha256 flagged as identical at 1.0 when they hold a solution, but not when they
    are the untouched skeleton or the skeleton with one short answer (many students hand those in alike)?"""
    solution = entry_of(HERE / "independent" / "student07.py")
    [pair] = similar_pairs([solution, Entry("copy.py", "other", solution.sha256, solution.code)],
                           boilerplate=boilerplate())
    assert (pair.a, pair.b, pair.similarity, pair.identical) == ("copy.py", "student07.py", 1.0, True)
    assert pair.spans_a == pair.spans_b == ((0, len(solution.code)),)
    for code in ("", boilerplate(), skeleton_answered("a.py", "dead_unit_gradient = 0.0").code):
        twins = [Entry("x.ipynb", "1", "f" * 64, code), Entry("y.ipynb", "2", "f" * 64, code)]
        assert similar_pairs(twins, boilerplate=boilerplate()) == []


def test_two_entries_of_one_student_are_never_a_pair():
    """Are a student's uploads (identical, or the same code) never paired, while another student's copy is, once
    (with the student's most alike file)?"""
    original = entry_of(HERE / "independent" / "student01.py")
    again = Entry("student01_again.py", original.student, original.sha256, original.code)
    resubmitted = Entry("student01_v2.py", original.student, "0" * 64, original.code + "\nextra = 1\n")
    assert similar_pairs([original, again, resubmitted], boilerplate=boilerplate()) == []
    other = Entry("other.py", "someone else", original.sha256, original.code)
    pairs = similar_pairs([original, again, resubmitted, other], boilerplate=boilerplate())
    assert [(pair.a, pair.b, pair.identical) for pair in pairs] == [("other.py", original.name, True)]


def test_entries_with_empty_code_are_skipped():
    """Is an entry with no code compared with nothing (other than by its bytes)?"""
    entries = [Entry("empty.ipynb", "1", "1" * 64, "  \n"), entry_of(HERE / "independent" / "student02.py")]
    assert similar_pairs(entries, boilerplate=boilerplate(), threshold=0.0) == []


def test_the_skeleton_alone_is_no_similarity():
    """Are two skeletons that differ by one tiny line, or share it, not flagged, even at a threshold of 0?"""
    one_line = [skeleton_answered("a.py", "dead_unit_gradient = 0.0"),
                skeleton_answered("a_again.py", "dead_unit_gradient = 0.0  # zero"),
                skeleton_answered("b.py", "dead_unit_gradient = 1")]
    assert similar_pairs(one_line, boilerplate=boilerplate(), threshold=0.0) == []


def test_without_the_skeleton_excluded_the_stubs_alone_would_be_similar():
    """Does excluding the boilerplate matter: without it, do the two skeletons come out alike?"""
    one_line = [skeleton_answered("a.py", "dead_unit_gradient = 0.0"), skeleton_answered("b.py", "dead_unit_gradient = 1")]
    [pair] = similar_pairs(one_line, boilerplate="")
    assert pair.similarity > 0.9 and not pair.identical


def test_little_shared_code_is_no_evidence():
    """Is a pair sharing fewer than MIN_SHARED_KGRAMS k-grams not flagged, however alike it is?"""
    code = (UNIT / "layer.py").read_text()
    tiny = [Entry("a.py", "1", "a" * 64, code), Entry("b.py", "2", "b" * 64, code + "\n# mine\n")]
    assert similar_pairs(tiny, threshold=0.0) == []  # the same softmax_loss: about 100 k-grams
    assert MIN_SHARED_KGRAMS > 100


def test_similarities_do_not_depend_on_the_python_process():
    """Are the similarities the same in two processes whose str hashes differ (PYTHONHASHSEED)?"""
    script = ("from backprop.similarity import similar_pairs\nfrom backprop.report.csv_table import similarity_csv\n"
              "from tests.fixtures.similarity.fixture_class import boilerplate, fixture_class\n"
              "print(similarity_csv(similar_pairs(fixture_class()[0], boilerplate=boilerplate(), threshold=0.3)))")
    outputs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")]
    assert outputs[0] == outputs[1] and outputs[0].count("\n") > 10
    entries, _ = fixture_class()
    assert outputs[0].strip() == similarity_csv(similar_pairs(entries, boilerplate=boilerplate(),
                                                              threshold=0.3)).strip()
