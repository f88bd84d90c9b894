"""The mutation report, from constructed outcomes: counts, percentages, the final line, the equivalent list.

(The two-layer net's own equivalent list is checked in tests/homework/test_mutation_report.py.)
"""

import json

import pytest
from conftest import COURSE

from backprop.mutants.operators import Mutant, mutants_of
from backprop.mutants.report import build, final_line, load_equivalent, markdown, text
from backprop.mutants.run import Outcome, Run

FIXTURE_REFERENCE = COURSE / "mutants" / "tiny_reference.py"  # a reference of the course's tiny assignment
FIXTURE_EQUIVALENT = COURSE / "mutants" / "tiny.equivalent_mutants.json"  # its reviewed equivalent list
FINAL = "mutants 10, killed by all checks 6 (75.0%), by public checks alone 3 (37.5%), equivalent 2"


def outcome(question, change, public=(), hidden=()):
    """An Outcome of a made-up mutant 'constant: <change>' of question, with these failed case names."""
    old, new = change.split(" -> ")
    mutant = Mutant(question, "constant", change, 3, "", f"-    {old}\n+    {new}")
    return Outcome(mutant, tuple(public), tuple(hidden))


def sample_run():
    """
    Ten mutants of two questions: 3 killed by public checks, 3 by hidden ones only, 2 survivors, and 2
    that the entries of sample_equivalent() declare equivalent (both survive); 1 stillborn.
    """
    outcomes = [outcome("q1", "a -> b", ["q1: public"]), outcome("q1", "a -> c", ["q1: public"], ["q1: hidden"]),
                outcome("q1", "a -> d", hidden=["q1: hidden"]), outcome("q1", "a -> e"),
                outcome("q1", "a -> f"),
                outcome("q2", "b -> a", ["q2: public"]), outcome("q2", "b -> c", hidden=["q2: hidden"]),
                outcome("q2", "b -> d", hidden=["q2: hidden"]), outcome("q2", "b -> e"), outcome("q2", "b -> f")]
    return Run(["q1", "q2"], ["q1", "q2", "q3"], outcomes, {"q1": [], "q2": [outcome("q2", "b -> g").mutant]})


def sample_equivalent():
    """Two entries matching survivors of sample_run()."""
    return [{"question": "q1", "mutant": "constant: a -> f", "reason": "same values"},
            {"question": "q2", "mutant": "constant: b -> f", "reason": "same values"}]


def test_final_line_and_percentages():
    """Is the last line 'mutants N, killed by all checks K (P%), by public checks alone Kp (Pp%), equivalent E',
    with percentages over the mutants not declared equivalent (N counting all)?"""
    report = build(sample_run(), sample_equivalent())
    assert final_line(report) == FINAL
    assert text(report).splitlines()[-1] == FINAL
    assert markdown(report).splitlines()[-1] == FINAL


def test_rows_per_question():
    """Does each question's row count its mutants, equivalent ones, kills, survivors and stillborn?"""
    rows = build(sample_run(), sample_equivalent()).rows
    assert [(r.question, r.mutants, r.equivalent, r.killed_all, r.killed_public, r.survivors, r.stillborn)
            for r in rows] == [("q1", 5, 1, 3, 2, 1, 0), ("q2", 5, 1, 3, 1, 1, 1), ("total", 10, 2, 6, 3, 2, 1)]


def test_equivalent_mutants_are_not_survivors():
    """Are declared equivalent mutants listed with their reason, and neither survivors nor in the percentages?"""
    report = build(sample_run(), sample_equivalent())
    assert [o.mutant.id for o in report.survivors] == ["constant: a -> e", "constant: b -> e"]
    assert [(o.mutant.id, reason) for o, reason in report.equivalent] == [
        ("constant: a -> f", "same values"), ("constant: b -> f", "same values")]
    assert [o.mutant.id for o in report.hidden_only] == ["constant: a -> d", "constant: b -> c", "constant: b -> d"]
    without = build(sample_run())
    assert final_line(without) == ("mutants 10, killed by all checks 6 (60.0%), by public checks alone 3 (30.0%), "
                                   "equivalent 0")
    assert report.warnings == []


def test_survivors_are_shown_with_their_diffs():
    """Does the printed report show each survivor's id, line and diff?"""
    printed = text(build(sample_run(), sample_equivalent()))
    assert "  q1: constant: a -> e (line 3)\n      -    a\n      +    e" in printed
    assert "```diff" in markdown(build(sample_run(), sample_equivalent()))


def test_stale_entries_are_warned():
    """Does an entry that matches no mutant get a warning (for a question that was run, or one that does not
    exist), while entries for questions left out of this run are not judged?"""
    entries = sample_equivalent() + [
        {"question": "q1", "mutant": "constant: a -> z", "reason": "gone"},
        {"question": "q3", "mutant": "constant: c -> d", "reason": "not run"},
        {"question": "nowhere", "mutant": "constant: c -> d", "reason": "no such question"}]
    report = build(sample_run(), entries)
    assert report.warnings == [
        "equivalent list: q1: no mutant 'constant: a -> z' (a stale entry: update or remove it)",
        "equivalent list: nowhere: no mutant 'constant: c -> d' (a stale entry: update or remove it)"]
    assert "warning: equivalent list: q1: no mutant 'constant: a -> z'" in text(report)
    assert final_line(report) == FINAL


def test_an_equivalent_mutant_that_a_check_kills_is_warned():
    """Is an entry whose mutant some check kills flagged as not equivalent?"""
    entries = [{"question": "q1", "mutant": "constant: a -> b", "reason": "wrong"}]
    assert build(sample_run(), entries).warnings == [
        "equivalent list: q1: 'constant: a -> b' fails q1: public: it is not equivalent"]


def test_all_equivalent_gives_no_percentage():
    """With every mutant equivalent, are the percentages 'n/a' rather than a division by zero?"""
    run = Run(["q1"], ["q1"], [outcome("q1", "a -> f")], {})
    report = build(run, [{"question": "q1", "mutant": "constant: a -> f", "reason": "same"}])
    assert final_line(report) == "mutants 1, killed by all checks 0 (n/a), by public checks alone 0 (n/a), equivalent 1"


def test_malformed_equivalent_lists_are_refused(tmp_path):
    """Is an entry without a reason, or a file that is not a list, an error that says what is expected?"""
    path = tmp_path / "equivalent.json"
    path.write_text(json.dumps([{"question": "q1", "mutant": "constant: a -> f", "reason": ""}]))
    with pytest.raises(ValueError, match="entry 1 needs non-empty strings"):
        load_equivalent(path)
    path.write_text(json.dumps({"question": "q1"}))
    with pytest.raises(ValueError, match="expected a JSON list"):
        load_equivalent(path)


def test_an_equivalent_list_names_mutants_of_its_reference():
    """Does every entry of an equivalent list as instructors write one (the fixture course's, for its tiny
    assignment's reference) load, with its reason, and name a current mutant of that reference?"""
    reference = FIXTURE_REFERENCE.read_text()
    entries = load_equivalent(FIXTURE_EQUIVALENT)
    assert entries and all(entry["reason"] for entry in entries)
    for entry in entries:
        assert entry["mutant"] in [m.id for m in mutants_of(reference, entry["question"]).mutants], entry
