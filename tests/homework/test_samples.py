"""The bundled sample submissions: built from their small sources, and covering what a TA meets."""

import importlib.util

from conftest import FIXTURES, SUBMISSIONS

spec = importlib.util.spec_from_file_location("build_samples", FIXTURES / "build_samples.py")
build_samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_samples)


def test_built_samples_are_up_to_date():
    """Does every built sample equal what its sources (student notebook, implementations, cells) give now?"""
    assert build_samples.stale() == []


def test_the_default_class_has_every_kind_of_submission():
    """Do the samples make grade grades by default include the reference, the skeleton, buggy, broken and zip files?"""
    names = {path.name for path in SUBMISSIONS.iterdir()}
    assert {"reference.ipynb", "skeleton.ipynb", "empty.ipynb", "truncated.ipynb", "loops_export.zip"} <= names
    assert len([n for n in names if n.startswith("buggy_")]) >= 4
