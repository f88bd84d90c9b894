"""The mutation operators, on tiny functions: what each one produces, stable ids, dropped mutants.

(That backprop/mutants names no function of the two-layer net is checked in tests/homework/test_mutation_report.py.)
"""

import pytest
from conftest import FIXTURES

from backprop.mutants.operators import OPERATORS, mutants_of, operator_name

SOURCES = FIXTURES / "mutants"


def ids(body, operator=None):
    """
    The ids of the mutants of a one-function module, optionally those of one operator only.

    Inputs:
    - body: the function's body, its lines separated by newlines (indented here).
    - operator: an operator's name ('swap operands'...), or None for all.

    Returns:
    - the list of ids, in source order.
    """
    source = "def f(a, b, x, y, h, n, N, W):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    return [m.id for m in mutants_of(source, "f").mutants if operator in (None, m.operator)]


def test_every_operator_has_a_documented_name():
    """Does every operator have a distinct name for ids, and a docstring with Inputs and Returns?"""
    names = [operator_name(operator) for operator in OPERATORS]
    assert len(set(names)) == len(names)
    for operator in OPERATORS:
        assert "Inputs:" in operator.__doc__ and "Returns:" in operator.__doc__


def test_swap_operands_only_of_non_commutative_operations():
    """Are a @ b and a - b swapped, and a + b left alone?"""
    assert ids("return a @ b - x + y", "swap operands") == [
        "swap operands: a @ b - x -> x - a @ b", "swap operands: a @ b -> b @ a"]


def test_transpose_removed_anywhere_and_added_in_products():
    """Is W.T -> W made, and x -> x.T for an operand of @ that has no .T?"""
    assert ids("return x @ W.T + b.T", "transpose") == [
        "transpose: x @ W.T -> x.T @ W.T", "transpose: W.T -> W", "transpose: b.T -> b"]


def test_axis_and_keepdims_changed_or_removed():
    """Does axis=0 become axis=1 or go, keepdims=True become False or go (and axis=0 -> 1 come once only)?"""
    assert ids("return x.sum(axis=0, keepdims=True)") == [
        "axis: x.sum(axis=0, keepdims=True) -> x.sum(axis=1, keepdims=True)",
        "axis: x.sum(axis=0, keepdims=True) -> x.sum(keepdims=True)",
        "keepdims: x.sum(axis=0, keepdims=True) -> x.sum(axis=0, keepdims=False)",
        "keepdims: x.sum(axis=0, keepdims=True) -> x.sum(axis=0)",
        "sum mean: x.sum(axis=0, keepdims=True) -> x.mean(axis=0, keepdims=True)"]


def test_sum_and_mean_swapped():
    """Do np.sum and .mean() swap, as functions and as methods?"""
    assert ids("return np.sum(x) * x.mean()", "sum mean") == [
        "sum mean: np.sum(x) -> np.mean(x)", "sum mean: x.mean() -> x.sum()"]


def test_terms_dropped_and_doubled():
    """Does a + b lose either term or double one, a - b lose a or b, and x += b disappear or double?"""
    assert ids("return a + b", "dropped term") == ["dropped term: a + b -> a", "dropped term: a + b -> b"]
    assert ids("return a - b", "dropped term") == ["dropped term: a - b -> a", "dropped term: a - b -> -b"]
    assert ids("return a + b", "doubled term") == ["doubled term: a + b -> 2 * a + b",
                                                   "doubled term: a + b -> a + 2 * b"]
    assert ids("x += 1\nreturn x", "dropped term") == ["dropped term: x += 1 -> pass"]
    assert ids("x += 1\nreturn x", "doubled term") == ["doubled term: x += 1 -> x += 2"]


def test_sign_flips():
    """Do a - b, -x and x -= 1 flip their signs?"""
    assert ids("x -= 1\nreturn a - b, -y", "sign flip") == [
        "sign flip: x -= 1 -> x += 1", "sign flip: a - b -> a + b", "sign flip: -y -> y"]


def test_indices_and_slice_bounds_off_by_one():
    """Are integer indices and slice bounds moved by one each way?"""
    assert ids("return x[0], y[1:n]", "off by one") == [
        "off by one: x[0] -> x[1]", "off by one: x[0] -> x[-1]",
        "off by one: y[1:n] -> y[2:n]", "off by one: y[1:n] -> y[0:n]",
        "off by one: y[1:n] -> y[1:n + 1]", "off by one: y[1:n] -> y[1:n - 1]"]


def test_comparisons_changed():
    """Does > become >= or <, <= become < or >=, == become !=, is become is not?"""
    assert ids("return x > 0, a <= b, a == b, y is None", "comparison") == [
        "comparison: x > 0 -> x >= 0", "comparison: x > 0 -> x < 0",
        "comparison: a <= b -> a < b", "comparison: a <= b -> a >= b",
        "comparison: a == b -> a != b", "comparison: y is None -> y is not None"]


def test_constants_changed_and_factors_dropped():
    """Is 2 * h -> h made, n -> n + 1, 1 -> 0, 0.5 -> 1.0, shown with the expression around the number?"""
    assert ids("return 2 * h + 0.5 * a - 1", "constant") == [
        "constant: 2 * h -> h", "constant: 2 * h -> 3 * h",
        "constant: 0.5 * a -> a", "constant: 0.5 * a -> 1.5 * a", "constant: 0.5 * a -> 1.0 * a",
        "constant: 2 * h + 0.5 * a - 1 -> 2 * h + 0.5 * a - 0"]  # - 1 -> - 2 is the earlier doubled term's


def test_missing_division():
    """Does a / N lose its divisor, and x /= N disappear?"""
    assert ids("x /= N\nreturn a / N", "missing division") == [
        "missing division: x /= N -> pass", "missing division: a / N -> a"]


def test_arange_index_becomes_a_slice():
    """Does x[np.arange(N), y] become x[:, y]?"""
    assert ids("return x[np.arange(N), y]", "arange index") == ["arange index: x[np.arange(N), y] -> x[:, y]"]


def test_statements_dropped():
    """Do an assignment, an in-place update and a call on its own line each become pass, and the docstring stay?"""
    assert ids('"""Doc."""\nx[n] = a\ny **= a\nnp.copyto(x, y)\nreturn x', "dropped statement") == [
        "dropped statement: x[n] = a -> pass", "dropped statement: y **= a -> pass",
        "dropped statement: np.copyto(x, y) -> pass"]


def test_identical_mutants_are_dropped():
    """Is a mutant that ast.unparse writes as the original (x - x swapped) dropped?"""
    assert ids("return x - x", "swap operands") == []
    assert "sign flip: x - x -> x + x" in ids("return x - x")


def test_duplicate_mutants_are_dropped_and_repeated_changes_numbered():
    """Is a mutant equal to an earlier one dropped (x[0] -> x[1] made by two operators), and is the same
    change at two places told apart by #2?"""
    assert ids("return x[0]") == ["off by one: x[0] -> x[1]", "off by one: x[0] -> x[-1]"]
    assert ids("return x[0] * x[0]", "off by one") == [
        "off by one: x[0] -> x[1]", "off by one: x[0] -> x[-1]",
        "off by one: x[0] -> x[1] #2", "off by one: x[0] -> x[-1] #2"]


def test_mutants_that_do_not_compile_are_stillborn():
    """Are mutants Python refuses to compile (patterns 1j - 2 and 2 - 2 * 1j) kept apart as stillborn?"""
    generated = mutants_of((SOURCES / "stillborn.py").read_text(), "classify")
    assert [m.id for m in generated.stillborn] == ["swap operands: 2 - 1j -> 1j - 2",
                                                   "doubled term: 2 - 1j -> 2 - 2 * 1j"]
    assert generated.mutants and all(compile(m.source, "mutant", "exec") for m in generated.mutants)


def test_only_the_function_body_changes():
    """Does a mutant change the one function's body only: the other function, the docstrings, the rest kept?"""
    source = (SOURCES / "two_functions.py").read_text()
    generated = mutants_of(source, "scale")
    assert [m.id for m in generated.mutants] == [
        "constant: 2 * (x @ W.T) -> x @ W.T", "constant: 2 * (x @ W.T) -> 3 * (x @ W.T)",
        "swap operands: x @ W.T -> W.T @ x", "transpose: x @ W.T -> x.T @ W.T", "transpose: W.T -> W"]
    center = source[source.index("def center"):]
    for mutant in generated.mutants:
        assert mutant.source.startswith(source[:source.index("def scale")]) and mutant.source.endswith(center)
        assert '"""Multiply by 2 > 1, a docstring never mutated."""' in mutant.source
        assert mutant.line == 8
    assert generated.mutants[-1].diff == "-    return 2 * (x @ W.T)\n+    return 2 * (x @ W)"


def test_ids_are_stable():
    """Are ids the same on every run, and when the module around the function changes?"""
    source = (SOURCES / "two_functions.py").read_text()
    first = [m.id for m in mutants_of(source, "center").mutants]
    assert first == [m.id for m in mutants_of(source, "center").mutants]
    moved = mutants_of("import os\n\n\n" + source.replace("return 2 *", "return 3 *"), "center").mutants
    assert [m.id for m in moved] == first
    assert [m.line for m in moved] == [m.line + 3 for m in mutants_of(source, "center").mutants]


def test_a_function_that_is_not_there():
    """Is a function missing from the module's top level an error that names it?"""
    with pytest.raises(ValueError, match="no function missing"):
        mutants_of("def f():\n    return 1\n", "missing")
