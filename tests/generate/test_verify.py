"""Tests for backprop.generate.verify: the solution must grade full marks and the stubs "not implemented"."""

import nbformat
import pytest

from backprop.generate import __main__ as generate
from conftest import COURSE

TINY = COURSE / "solutions" / "tiny.ipynb"


def generated(tmp_path, edit=None):
    """Run the generator on the tiny master (edited by edit(tests cell)) in tmp_path: (exit status, files made)."""
    notebook = nbformat.read(TINY, as_version=4)
    tests = next(cell for cell in notebook.cells if cell.id == "tests-double")
    if edit:
        tests.source = edit(tests.source)
    master = tmp_path / "solutions" / "tiny.ipynb"
    master.parent.mkdir()
    nbformat.write(notebook, master)
    status = generate.main(["--root", str(tmp_path), "--master", str(master)])
    return status, sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file())


def test_a_sound_master_is_graded_and_written(tmp_path):
    """Does the tiny master pass both gradings and get its student folder and autograder written?"""
    status, made = generated(tmp_path)
    assert status == 0 and "autograder/tiny/tests/double.py" in made and "assignment/tiny/tests/double.py" in made


@pytest.mark.parametrize("edit, words", [
    (lambda source: source.replace("np.ones(2)), 2)", "np.ones(2)), 3)"),
     "double: test 'test_public' fails against the solution"),
    (lambda source: source.replace("    assert np.allclose(call(double, name, np.ones(2)), 2)", "    assert True"),
     "double: double - 1 passes on the stub"),
    (lambda source: source.replace("    assert np.allclose(call(double, name, np.ones(2)), 2)",
                                   "    assert np.allclose(call(double, name, np.ones(2)), helper(2))"),
     "double: test 'test_public' fails against the solution"),  # a helper the tests never define or import
])
def test_a_test_that_does_not_grade_as_it_must_stops_generation(tmp_path, capsys, edit, words):
    """Does a test that fails on the solution, passes on the stub or uses a name never imported stop make assign
    (exit 1, nothing written), naming the test?"""
    status, made = generated(tmp_path, edit)
    assert status == 1 and made == ["solutions/tiny.ipynb"]
    assert words in capsys.readouterr().err
