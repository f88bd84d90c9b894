"""The fixture course's sample submissions (tests/fixtures/course/samples): built from their small sources."""

import importlib.util

from conftest import COURSE, COURSE_SAMPLES

spec = importlib.util.spec_from_file_location("build_course_samples", COURSE / "build_samples.py")
build_samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_samples)


def test_built_course_samples_are_up_to_date():
    """Does every built sample of the fixture course equal what its sources (the course's masters, implementations,
    cells) give now?"""
    assert build_samples.stale() == [], "run python tests/fixtures/course/build_samples.py"


def test_the_samples_have_every_kind_of_file_the_framework_tests_grade():
    """Are the solved and untouched notebooks, the wrong and broken ones, the zips (readable or not) and the old
    formats all there?"""
    names = {path.name for path in COURSE_SAMPLES.iterdir()}
    assert set(build_samples.render()) <= names
    assert {"empty.ipynb", "truncated.ipynb", "no_code.ipynb", "corrupt_export.zip", "tiny.nbformat1.ipynb",
            "tiny.nbformat2.ipynb"} <= names
