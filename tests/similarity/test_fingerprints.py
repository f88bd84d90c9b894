"""Tests for backprop.similarity.fingerprints: what normalization ignores, and the skeleton's k-grams removed."""

from backprop.similarity.fingerprints import boilerplate_hashes, fingerprint
from tests.fixtures.similarity.fixture_class import HERE

UNIT = HERE / "unit"


def test_names_comments_docstrings_and_layout_do_not_change_the_fingerprint():
    """Do renamed variables, other comments and docstring, and other spacing give the very same k-grams?"""
    original = fingerprint((UNIT / "layer.py").read_text())
    disguised = fingerprint((UNIT / "layer_disguised.py").read_text())
    assert original.hashes and original.hashes == disguised.hashes


def test_a_changed_operator_changes_the_fingerprint():
    """Is code that computes something else (a - for a +) not the same fingerprint?"""
    code = (UNIT / "layer.py").read_text()
    assert fingerprint(code).hashes != fingerprint(code.replace("-= 1", "+= 1")).hashes


def test_the_skeleton_k_grams_are_removed_and_repeated_own_code_kept():
    """Are the skeleton's k-grams gone, while every occurrence of a statement the student repeats stays?"""
    skeleton = boilerplate_hashes((UNIT / "repeated_skeleton.py").read_text())
    bare = fingerprint((UNIT / "repeated.py").read_text())
    without = fingerprint((UNIT / "repeated.py").read_text(), boilerplate_hashes=skeleton)
    assert skeleton & bare.hashes and not skeleton & without.hashes
    assert without.hashes == bare.hashes - skeleton
    own = [value for value in bare.hash_idx if value not in skeleton]
    assert {value: bare.hash_idx[value] for value in own} == without.hash_idx
    assert any(len(where) == 3 for where in without.hash_idx.values())  # "V=V.V(V*V,V=1)-2" thrice, all kept


def test_no_boilerplate_code_gives_no_boilerplate_hashes():
    """Does an empty skeleton remove nothing?"""
    assert boilerplate_hashes("") == frozenset() and boilerplate_hashes("\n  \n") == frozenset()
