"""Tests for backprop.students.gradescope_export: the submitters of a Gradescope "Export Submissions"."""

import pathlib

import pytest

from backprop.students.gradescope_export import MetadataError, find_metadata, metadata_from, read_metadata

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "students"


def test_the_metadata_names_each_folder_s_submitters_and_its_lateness():
    """Does submission_metadata.yml (Ruby-symbol keys, a Ruby-tagged score) give each submission_<id> folder its
    submitters (a group: each member; no SID: the e-mail), Gradescope's id and its lateness?"""
    folders = read_metadata(FIXTURES / "gradescope" / "submission_metadata.yml")
    summary = {folder: ([(s.id, s.name, s.email) for s in submitted.students], submitted.late, submitted.order)
               for folder, submitted in folders.items()}
    assert summary == {
        "submission_111": ([("23456", "Zoë Müller", "zmuller@example.edu")], False, 111),
        "submission_222": ([("12345", "John Smith", "jsmith@example.edu"),
                            ("34567", "José Ñúñez", "jnunez@example.edu")], False, 222),
        "submission_333": ([("pat@elsewhere.example", "Pat Outsider", "pat@elsewhere.example")], True, 333),
    }
    assert {s.source for submitted in folders.values() for s in submitted.students} == {"gradescope"}


def test_the_metadata_is_found_at_the_export_s_root_or_one_folder_down(tmp_path):
    """Is submission_metadata.yml found in the submissions folder itself, or in the folder the export unpacked to,
    and is its absence None?"""
    assert find_metadata(FIXTURES / "gradescope") == FIXTURES / "gradescope" / "submission_metadata.yml"
    assert find_metadata(FIXTURES / "canvas") is None
    (tmp_path / "assignment_9100_export").mkdir()
    (tmp_path / "assignment_9100_export" / "submission_metadata.yml").write_text("{}\n")
    assert find_metadata(tmp_path) == tmp_path / "assignment_9100_export" / "submission_metadata.yml"


@pytest.mark.parametrize("text, words", [("- a\n- b\n", "not a mapping"),
                                         ("submission_1:\n  :score: 3\n", "'submission_1' has no :submitters: list"),
                                         ("a: [unclosed\n", "not YAML that Gradescope wrote"),
                                         ("!!python/object/apply:os.system ['true']\n", "not YAML")])
def test_broken_or_hostile_metadata_is_refused(tmp_path, text, words):
    """Is metadata of the wrong shape, broken YAML or a Python object tag refused with a message, never run?"""
    path = tmp_path / "submission_metadata.yml"
    path.write_text(text)
    with pytest.raises(MetadataError, match=words):
        read_metadata(path)


def test_lateness_is_read_from_either_key():
    """Is ":late: true" late, and ":lateness:" late when above zero (seconds or H:M:S)?"""
    def late(**keys):
        entry = {":submitters": [{":name": "A", ":sid": "1"}], **{f":{k}": v for k, v in keys.items()}}
        return metadata_from({"submission_1": entry})["submission_1"].late

    assert [late(late=True), late(late=False), late(lateness=0), late(lateness=3.5), late(lateness="00:00:00"),
            late(lateness="0:05:00"), late()] == [True, False, False, True, False, True, False]
