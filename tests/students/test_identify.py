"""Tests for backprop.students.identify: the rules that name each file's students."""

import pathlib

from backprop.students.gradescope_export import read_metadata
from backprop.students.identify import identify
from backprop.students.names import compile_id_pattern
from backprop.students.roster import read_roster

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students"
ROSTER = read_roster(FIXTURES / "roster.csv")


def who(path, **options):
    """(ids, names, sources, on_roster flags, late, notes) of a path's Identity."""
    identity = identify(path, **options)
    students = identity.students
    return ([s.id for s in students], [s.name for s in students], [s.source for s in students],
            [s.on_roster for s in students], identity.late, identity.notes)


def test_without_a_roster_the_lms_name_or_the_file_itself_is_the_student():
    """Is a Canvas file its Canvas user, a Moodle folder its participant, and a plain file its own student?"""
    assert who("müllerzoë_LATE_23456_70001_homework.ipynb") == (
        ["23456"], ["müllerzoë"], ["canvas"], [None], True, ())
    moodle = who("Zoë Müller_101_assignsubmission_file/homework.ipynb")
    assert moodle[:3] == (["101"], ["Zoë Müller"], ["moodle"])
    moodle_roster = read_roster(FIXTURES / "roster_moodle_semicolons.csv")
    assert who("Ann Lee_103_assignsubmission_file_hw.ipynb", roster=moodle_roster)[:4] == (
        ["103"], ["Ann Lee"], ["roster"], [True])
    assert who("section2/notes.ipynb") == (["section2/notes.ipynb"], ["section2/notes.ipynb"], ["file"], [None],
                                           False, ())


def test_with_a_roster_an_lms_id_becomes_the_roster_student_or_is_flagged():
    """Is a Canvas id on the roster the roster's student (name, e-mail), and one not on it still a student, flagged
    as not on the roster?"""
    assert who("müllerzoë_LATE_23456_70001_hw.ipynb", roster=ROSTER) == (
        ["23456"], ["Müller, Zoë"], ["roster"], [True], True, ())
    assert who("li_wei_99999_70005_hw_1_2.ipynb", roster=ROSTER) == (
        ["99999"], ["li_wei"], ["canvas"], [False], False, ())


def test_with_a_roster_a_plain_name_is_searched_for_the_roster_s_keys():
    """Does a file named with a login, an e-mail or a SIS id go to that student, and an ambiguous or unknown name
    stay its own student, flagged with the reason?"""
    assert who("jsmith_hw1.ipynb", roster=ROSTER)[0] == ["12345"]
    assert who("hw1 (zmuller@example.edu).ipynb", roster=ROSTER)[0] == ["23456"]
    ids, _, sources, on_roster, _, notes = who("pair_jsmith_zmuller.ipynb", roster=ROSTER)
    assert (ids, sources, on_roster) == (["pair_jsmith_zmuller.ipynb"], ["file"], [False])
    assert notes == ("its name matches several roster students (12345, 23456)",)
    assert "no roster student" in who("jsmith2_hw1.ipynb", roster=ROSTER)[5][0]


def test_an_id_pattern_replaces_the_lms_rules():
    """With --id-pattern, is the pattern's id the student (looked up in the roster), and a file it does not match
    its own student, flagged, even when its name is Canvas's?"""
    pattern = compile_id_pattern(r"(?P<id>S\d{3})")
    assert who("hw1-S003.ipynb", pattern=pattern, roster=ROSTER)[:2] == (["34567"], ["José Ñúñez"])
    assert who("hw1-S777.ipynb", pattern=pattern)[:3] == (["S777"], [""], ["pattern"])
    ids, _, _, _, _, notes = who("smithjohn_12345_67890_hw.ipynb", pattern=pattern)
    assert ids == ["smithjohn_12345_67890_hw.ipynb"] and "does not match" in notes[0]


def test_a_gradescope_export_gives_every_member_of_a_group():
    """Is a file in a submission_<id> folder handed in by each submitter (a group: both), found on the roster by
    SID, with Gradescope's lateness and id, wherever the export folder is?"""
    metadata = read_metadata(FIXTURES / "gradescope" / "submission_metadata.yml")
    assert who("export/submission_222/homework.zip", metadata=metadata, roster=ROSTER)[:4] == (
        ["12345", "34567"], ["Smith, John", "José Ñúñez"], ["roster", "roster"], [True, True])
    late = identify("submission_333/notebook.ipynb", metadata=metadata, roster=ROSTER)
    assert (late.late, late.order, late.students[0].on_roster) == (True, 333, False)
    assert who("submission_999/x.ipynb", metadata=metadata)[2] == ["file"]
