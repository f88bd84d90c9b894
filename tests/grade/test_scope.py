"""Which files a run grades: the class folder it was graded from, or a part of it."""

from backprop.grade.scope import Scope, recorded_class, remember, scope_of


def class_folder(tmp_path):
    """A class folder with a section sub-folder holding one notebook."""
    root = tmp_path / "class"
    (root / "section_A").mkdir(parents=True)
    (root / "section_A" / "ann.ipynb").write_text("{}")
    return root


def test_a_first_run_grades_the_whole_folder_and_remembers_it(tmp_path):
    """With no record, is the folder given the class, and is it recorded in the results folder?"""
    root, results = class_folder(tmp_path), tmp_path / "results"
    scope = scope_of(root, results)
    assert scope == Scope(root, "", "")
    remember(scope, results)
    assert recorded_class(results) == root


def test_a_sub_folder_or_a_file_of_the_recorded_class_is_a_part_of_it(tmp_path):
    """Is a section, or one file, of the recorded class graded as that part, named relative to the class?"""
    root, results = class_folder(tmp_path), tmp_path / "results"
    remember(Scope(root), results)
    section = scope_of(root / "section_A", results)
    assert (section.root, section.part) == (root, "section_A")
    assert section.covers("section_A/ann.ipynb") and not section.covers("section_AB/x.ipynb")
    assert not section.covers("bob.ipynb")
    one = scope_of(root / "section_A" / "ann.ipynb", results)
    assert (one.root, one.part) == (root, "section_A/ann.ipynb") and one.covers("section_A/ann.ipynb")
    assert scope_of(root, results) == Scope(root)


def test_a_folder_of_another_class_is_graded_whole_and_says_so(tmp_path):
    """Is a folder outside the recorded class graded as a class of its own, with a line saying the record changed?"""
    root, results = class_folder(tmp_path), tmp_path / "results"
    remember(Scope(root / "section_A"), results)
    scope = scope_of(root, results)
    assert (scope.root, scope.part) == (root, "") and "now holds those of" in scope.note


def test_a_single_file_with_no_record_is_its_folder_s_class_graded_alone(tmp_path):
    """Is a file given with no record graded alone, as part of its folder's class?"""
    root = class_folder(tmp_path)
    scope = scope_of(root / "section_A" / "ann.ipynb", tmp_path / "results")
    assert (scope.root, scope.part) == (root / "section_A", "ann.ipynb")


def test_an_unreadable_record_is_no_record(tmp_path):
    """Is a class.json that is not JSON treated as no record, not a crash?"""
    results = tmp_path / "results"
    results.mkdir()
    (results / "class.json").write_text("{not json")
    assert recorded_class(results) is None
