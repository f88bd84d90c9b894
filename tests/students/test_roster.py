"""Tests for backprop.students.roster: reading a roster, refusing a broken one, finding its students in names."""

import pathlib

import pytest

from backprop.students.roster import RosterError, read_roster, roster_from_text

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students"


def test_a_roster_keeps_every_student_and_their_columns_verbatim():
    """Are non-ASCII names, quoted commas and a formula-like name read as written, each column in its field?"""
    roster = read_roster(FIXTURES / "roster.csv")
    assert [s.id for s in roster.students] == ["12345", "23456", "34567", "45678", "56789"]
    zoe = roster.students[1]
    assert (zoe.name, zoe.email, zoe.sis_user_id, zoe.sis_login_id, zoe.section) == (
        "Müller, Zoë", "zmuller@example.edu", "S002", "zmuller", "A")
    assert roster.students[2].name == "José Ñúñez"
    assert roster.students[3].name == '=HYPERLINK("http://evil.example","click me")'  # made safe when written
    assert all(s.on_roster and s.source == "roster" for s in roster.students)


def test_headers_match_whatever_their_case_and_separator():
    """Does a semicolon-separated roster with headers "ID;Name;E-Mail" and Windows line ends read as id, name,
    email?"""
    roster = read_roster(FIXTURES / "roster_moodle_semicolons.csv")
    assert [(s.id, s.name, s.email) for s in roster.students][0] == ("101", "Zoë Müller", "zmuller@example.edu")
    assert len(roster.students) == 3


def test_canvas_s_gradebook_export_is_a_roster():
    """Is Canvas's own gradebook export read as a roster: Student as name, SIS ids, the Points Possible line
    skipped, assignment columns ignored?"""
    roster = read_roster(FIXTURES / "roster_canvas_export.csv")
    assert [(s.id, s.name, s.sis_user_id, s.sis_login_id, s.section) for s in roster.students] == [
        ("12345", "Smith, John", "S001", "jsmith", "A"), ("23456", "Müller, Zoë", "S002", "zmuller", "A")]


@pytest.mark.parametrize("fixture, words", [
    ("roster_duplicate_id.csv", "roster_duplicate_id.csv, line 4: the id '1001' is already the id of line 2"),
    ("roster_missing_column.csv", "roster_missing_column.csv, line 1: no column id (columns found: 'student number'"),
    ("roster_unquoted_comma.csv", "roster_unquoted_comma.csv, line 3: 4 cells but the header has 3"),
    ("roster_missing_id.csv", "roster_missing_id.csv, line 3: no id for 'Bo Chen'"),
    ("roster_not_utf8.csv", "roster_not_utf8.csv, line 3: not UTF-8 text"),
])
def test_a_broken_roster_is_refused_naming_the_line(fixture, words):
    """Does a duplicate id, a missing column, an unquoted comma, an empty id or a file that is not UTF-8 stop the
    reading with a message naming the file, the line and the problem?"""
    with pytest.raises(RosterError) as refused:
        read_roster(FIXTURES / fixture)
    assert words in str(refused.value)


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("id,name\n1,Ann\x00\x1b[2J Lee\n2," + "x" * 600 + "\n", "line 3: the name is 600 characters long"),
    ('id,name\n1,"Ann\n', "line 2: not a CSV line"),
    ('id,name\n1,"Ann"x,y\n', "line 2: not a CSV line"),
    ("id,name,Name\n1,a,b\n", "two columns give the name"),
])
def test_hostile_rosters_get_a_clear_refusal(text, words):
    """Is an empty roster, an overlong cell, a broken quote or a doubled column refused with a clear message?"""
    with pytest.raises(RosterError, match=words):
        roster_from_text(text, source="hostile.csv")


def test_control_characters_in_a_roster_are_removed():
    """Are terminal escapes, NUL and line breaks inside a quoted cell removed from what is read?"""
    roster = roster_from_text('id,name\n1,"Ann\x00\x1b[2J\nLee"\n', source="r.csv")
    assert roster.students[0].name == "Ann Lee"


def test_students_are_found_by_any_of_their_keys_and_as_whole_tokens_of_names():
    """Does find() look up an id, SIS id, login or e-mail, and in_name() find an id, e-mail local part or login
    only as a whole token (jsmith in "jsmith_hw1", not in "jsmith2_hw1"), several when a name holds several?"""
    roster = read_roster(FIXTURES / "roster.csv")
    assert [roster.find(key).id for key in ("12345", "S002", "JNUNEZ", "evil@example.edu")] == [
        "12345", "23456", "34567", "45678"]
    assert roster.find("99999") is None and roster.find("") is None
    found = {path.name: [s.id for s in roster.in_name(path.name)] for path in (FIXTURES / "named").iterdir()}
    assert found == {"jsmith_hw1.ipynb": ["12345"], "hw1 (zmuller@example.edu).ipynb": ["23456"],
                     "S003-hw1.ipynb": ["34567"], "jsmith2_hw1.ipynb": [],
                     "pair_jsmith_zmuller.ipynb": ["12345", "23456"]}
