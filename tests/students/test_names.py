"""Tests for backprop.students.names: the student in Canvas's and Moodle's download names, and --id-pattern."""

import pathlib

import pytest

from backprop.students.names import canvas_name, compile_id_pattern, lms_name, moodle_name, pattern_name

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students"


def files(folder):
    """The files of a fixture folder, as paths relative to it."""
    root = FIXTURES / folder
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def test_canvas_names_give_the_user_id_the_name_lateness_and_the_upload_order():
    """Does every file of a Canvas download name its student (id, name), lateness and attachment id, a resubmission's
    "-1", a name with digits or underscores and an anonymous one included, and is a plain name no one's?"""
    named = {path: canvas_name(path) for path in files("canvas")}
    summary = {path: (n.id, n.name, n.late, n.order) if n else None for path, n in named.items()}
    assert summary == {
        "LATE_anon_xY9zQ_70004_hw.ipynb": ("anon_xY9zQ", "", True, 70004),
        "li_wei_99999_70005_hw_1_2.ipynb": ("99999", "li_wei", False, 70005),
        "müllerzoë_LATE_23456_70001_homework.ipynb": ("23456", "müllerzoë", True, 70001),
        "notes.ipynb": None,
        "smithjohn_12345_67890_homework.ipynb": ("12345", "smithjohn", False, 67890),
        "smithjohn_12345_67911_homework-1.ipynb": ("12345", "smithjohn", False, 67911),
        "smithjohn_12345_67912_homework.zip": ("12345", "smithjohn", False, 67912),
        "team7_34567_70002_homework.ipynb": ("34567", "team7", False, 70002),
    }
    assert all(n.lms == "canvas" for n in named.values() if n)


@pytest.mark.parametrize("name", ["week_2_notebook.ipynb", "my-hw_1_2_x.ipynb", "hw 1_2_3_x.ipynb", "12345.ipynb",
                                  "smith_12345_.ipynb"])
def test_names_that_only_look_like_canvas_are_not_canvas(name):
    """Is a name without both numbers, or with a character Canvas removes from names (space, hyphen), no one's?"""
    assert canvas_name(name) is None


def test_canvas_text_entries_name_their_student():
    """Does a text entry's page (no attachment id) name its student?"""
    named = canvas_name("smithjohn_LATE_12345_text.html")
    assert (named.id, named.late, named.order) == ("12345", True, None)


def test_moodle_folders_and_flattened_names_give_the_participant():
    """Does a Moodle download name each file's participant, folder per participant (with or without the trailing
    underscore) or flattened, and does a Canvas-looking file inside a Moodle folder stay Moodle's?"""
    named = {path: lms_name(path) for path in files("moodle")}
    assert {path: (n.lms, n.id, n.name) for path, n in named.items()} == {
        "Ann Lee_103_assignsubmission_file_homework.ipynb": ("moodle", "103", "Ann Lee"),
        "Bo Chen_104_assignsubmission_file/hw_1_2_final.ipynb": ("moodle", "104", "Bo Chen"),
        "José Ñúñez_102_assignsubmission_file_/homework.ipynb": ("moodle", "102", "José Ñúñez"),
        "Zoë Müller_101_assignsubmission_file/homework.ipynb": ("moodle", "101", "Zoë Müller"),
    }
    assert moodle_name("smithjohn_12345_67890_homework.ipynb") is None


def test_an_id_pattern_reads_the_id_and_an_optional_name():
    """Does --id-pattern find its id (and name) anywhere in the path, and give nothing when it does not match?"""
    pattern = compile_id_pattern(r"(?P<name>[a-z]+)-(?P<id>\d{4})")
    named = pattern_name("week1/hw1 ann-2024.ipynb", pattern)
    assert (named.lms, named.id, named.name) == ("pattern", "2024", "ann")
    assert pattern_name("hw1.ipynb", pattern) is None
    assert pattern_name("x7.ipynb", compile_id_pattern(r"x(?P<id>\d)")).name == ""


@pytest.mark.parametrize("text, words", [("(?P<id>[0-9", "not a regular expression"),
                                         (r"\d+", "no group named id")])
def test_a_wrong_id_pattern_is_refused_with_the_reason(text, words):
    """Is a pattern that does not compile, or has no group "id", refused with a message that says so?"""
    with pytest.raises(ValueError, match=words):
        compile_id_pattern(text)
