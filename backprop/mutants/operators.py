"""Mutants of one function of a module: small AST changes, one per mutant, each with a stable id.

An operator is a function node -> the nodes that may replace that node (it never modifies the node).
mutants_of visits the function's body in source order and applies each replacement, one at a time,
to a copy of the function. A mutant's id is its operator's name and the change, 'old -> new', both
written by ast.unparse: derived from the source only, so the same reference gives the same ids.
"""

import ast
import copy
import dataclasses
import difflib

SKIPPED = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
NO_MUTATION_FIELDS = ("annotation", "returns", "type_comment", "decorator_list")
NEGATED = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn,
           ast.NotIn: ast.In}
ORDERED = {ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt, ast.LtE), ast.Lt: (ast.LtE, ast.Gt),
           ast.LtE: (ast.Lt, ast.GtE)}


@dataclasses.dataclass(frozen=True)
class Mutant:
    """
    One mutant of one function.

    - question: the function's name; operator: the operator's name.
    - change: 'old -> new', the replaced node and its replacement (with ' #2', ' #3'... when the
      same change is made at several places of the function).
    - line: the line of the change in the original module.
    - source: the whole module, with only that function mutated.
    - diff: the changed lines of the function as ast.unparse writes it, '-' before and '+' after.
    """

    question: str
    operator: str
    change: str
    line: int
    source: str
    diff: str

    @property
    def id(self):
        """The stable id: 'operator: old -> new'."""
        return f"{self.operator}: {self.change}"


@dataclasses.dataclass(frozen=True)
class Generated:
    """
    The mutants of one function: those kept (they compile, and differ from the original and from each
    other) and the stillborn (they do not compile), each a list of Mutant in source order.
    """

    mutants: list
    stillborn: list


def _number(node):
    """True for an int or float literal (not a bool)."""
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _with(node, **fields):
    """A shallow copy of an AST node with some fields replaced."""
    new = copy.copy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def _is(node, kind, *ops):
    """True when node is a kind of operation (ast.BinOp, ast.AugAssign, ast.UnaryOp) with one of ops."""
    return isinstance(node, kind) and isinstance(node.op, ops)


def _without_right(node, *ops):
    """An operation with one of ops without its right operand: a op b -> a, x op= b -> pass (else nothing)."""
    if _is(node, ast.BinOp, *ops):
        yield node.left
    elif _is(node, ast.AugAssign, *ops):
        yield ast.Pass()


def _doubled(node):
    """2 * node (a doubled literal for a number)."""
    return ast.Constant(2 * node.value) if _number(node) else ast.BinOp(ast.Constant(2), ast.Mult(), node)


def _plus(node, step):
    """node + step (node - 1 for a step of -1), worked out for an integer literal."""
    if _number(node) and type(node.value) is int:
        return ast.Constant(node.value + step)
    return ast.BinOp(node, ast.Add() if step > 0 else ast.Sub(), ast.Constant(abs(step)))


def _index_parts(subscript):
    """The parts of a subscript's index: the elements of x[a, b], or [a] for x[a]."""
    return list(subscript.slice.elts) if isinstance(subscript.slice, ast.Tuple) else [subscript.slice]


def _with_index_part(subscript, position, part):
    """A copy of a subscript with one part of its index replaced."""
    if not isinstance(subscript.slice, ast.Tuple):
        return _with(subscript, slice=part)
    parts = _index_parts(subscript)
    parts[position] = part
    return _with(subscript, slice=_with(subscript.slice, elts=parts))


def _keyword(call, name):
    """The position of a call's keyword argument name, or None."""
    return next((i for i, keyword in enumerate(call.keywords) if keyword.arg == name), None)


def _with_keyword(call, position, value=None):
    """A copy of a call with one keyword argument given another value, or removed (value None)."""
    keywords = list(call.keywords)
    if value is None:
        del keywords[position]
    else:
        keywords[position] = ast.keyword(keywords[position].arg, value)
    return _with(call, keywords=keywords)


def swap_operands(node):
    """
    Swapped operands of a non-commutative binary operation: a @ b -> b @ a, a - b -> b - a, a / b -> b / a.

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node (an iterable of AST nodes).
    """
    if _is(node, ast.BinOp, ast.MatMult, ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow):
        yield _with(node, left=node.right, right=node.left)


def transpose(node):
    """
    A transpose removed anywhere (W.T -> W), or added to an operand of a matrix product (x @ W -> x.T @ W).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        yield node.value
    if _is(node, ast.BinOp, ast.MatMult):
        for side in ("left", "right"):
            operand = getattr(node, side)
            if not (isinstance(operand, ast.Attribute) and operand.attr == "T"):
                yield _with(node, **{side: ast.Attribute(operand, "T", ast.Load())})


def axis(node):
    """
    A changed axis= of a call: 0 <-> 1 (another integer -> 0), or the axis removed.

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    position = _keyword(node, "axis") if isinstance(node, ast.Call) else None
    if position is None:
        return
    value = node.keywords[position].value
    if _number(value) and type(value.value) is int:
        yield _with_keyword(node, position, ast.Constant({0: 1, 1: 0}.get(value.value, 0)))
    yield _with_keyword(node, position)


def keepdims(node):
    """
    keepdims=True of a call set to False, or removed.

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    position = _keyword(node, "keepdims") if isinstance(node, ast.Call) else None
    if position is not None and isinstance(node.keywords[position].value, ast.Constant) \
            and node.keywords[position].value.value is True:
        yield _with_keyword(node, position, ast.Constant(False))
        yield _with_keyword(node, position)


def sum_mean(node):
    """
    A sum for a mean and back: x.sum(...) <-> x.mean(...), np.sum(...) <-> np.mean(...).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("sum", "mean"):
        other = "mean" if node.func.attr == "sum" else "sum"
        yield _with(node, func=_with(node.func, attr=other))


def dropped_term(node):
    """
    A term of a sum or a difference dropped: a + b -> a, a + b -> b, a - b -> a, a - b -> -b;
    x += b and x -= b dropped (-> pass).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    yield from _without_right(node, ast.Add, ast.Sub)
    if _is(node, ast.BinOp, ast.Add):
        yield node.right
    elif _is(node, ast.BinOp, ast.Sub):
        yield ast.UnaryOp(ast.USub(), node.right)


def doubled_term(node):
    """
    A term of a sum or a difference doubled: a + b -> 2 * a + b, a + b -> a + 2 * b (likewise for -);
    x += b -> x += 2 * b (likewise for -=).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if _is(node, ast.BinOp, ast.Add, ast.Sub):
        yield _with(node, left=_doubled(node.left))
        yield _with(node, right=_doubled(node.right))
    elif _is(node, ast.AugAssign, ast.Add, ast.Sub):
        yield _with(node, value=_doubled(node.value))


def sign_flip(node):
    """
    A flipped sign: a - b <-> a + b, -x -> x, x -= b <-> x += b.

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if _is(node, (ast.BinOp, ast.AugAssign), ast.Add, ast.Sub):
        yield _with(node, op=ast.Sub() if isinstance(node.op, ast.Add) else ast.Add())
    elif _is(node, ast.UnaryOp, ast.USub):
        yield node.operand


def off_by_one(node):
    """
    An index or a slice bound off by one: x[0] -> x[1] or x[-1], x[1:n] -> x[2:n], x[0:n], x[1:n + 1], x[1:n - 1].

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if not isinstance(node, ast.Subscript):
        return
    for position, part in enumerate(_index_parts(node)):
        if _number(part) and type(part.value) is int:
            for step in (1, -1):
                yield _with_index_part(node, position, _plus(part, step))
        elif isinstance(part, ast.Slice):
            for bound in ("lower", "upper"):
                value = getattr(part, bound)
                if value is not None:
                    for step in (1, -1):
                        yield _with_index_part(node, position, _with(part, **{bound: _plus(value, step)}))


def comparison(node):
    """
    A changed comparison: > -> >= or <, >= -> > or <=, < -> <= or >, <= -> < or >=; == <-> !=,
    is <-> is not, in <-> not in.

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if not isinstance(node, ast.Compare):
        return
    for position, op in enumerate(node.ops):
        replacements = ORDERED.get(type(op), (NEGATED.get(type(op)),))
        for replacement in replacements:
            if replacement is not None:
                ops = list(node.ops)
                ops[position] = replacement()
                yield _with(node, ops=ops)


def constant(node):
    """
    A changed number: n -> n + 1, 1 -> 0, a float x -> 1.0; a numeric factor dropped (2 * h -> h).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if _number(node):
        yield ast.Constant(node.value + 1)
        if node.value == 1 and type(node.value) is int:
            yield ast.Constant(0)
        if type(node.value) is float and node.value != 1.0:
            yield ast.Constant(1.0)
    elif _is(node, ast.BinOp, ast.Mult):
        if _number(node.left):
            yield node.right
        if _number(node.right):
            yield node.left


def missing_division(node):
    """
    A division left out: a / N -> a, x /= N -> pass.

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    yield from _without_right(node, ast.Div)


def arange_index(node):
    """
    A paired fancy index taken as a slice: x[np.arange(N), y] -> x[:, y] (every row, not one per row).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Tuple):
        return
    for position, part in enumerate(_index_parts(node)):
        function = part.func if isinstance(part, ast.Call) else None
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
        if name == "arange":
            yield _with_index_part(node, position, ast.Slice())


def dropped_statement(node):
    """
    A statement left out: an assignment or a call on its own line -> pass (a restore, an update, a subtraction).

    Inputs:
    - node: an AST node.

    Returns:
    - the replacements of node.
    """
    if isinstance(node, (ast.Assign, ast.AugAssign)) or (
            isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant)):
        yield ast.Pass()


OPERATORS = (swap_operands, transpose, axis, keepdims, sum_mean, dropped_term, doubled_term, sign_flip, off_by_one,
             comparison, constant, missing_division, arange_index, dropped_statement)


def operator_name(operator):
    """
    The name an operator has in mutant ids.

    Inputs:
    - operator: one of OPERATORS.

    Returns:
    - its function name with spaces: 'swap operands', 'comparison'...
    """
    return operator.__name__.replace("_", " ")


def _sites(node, path=()):
    """
    Every node below node that may be mutated, in source order, with its path from node.

    Inputs:
    - node: an AST node; path: its own path, a tuple of (field, index or None).

    Returns:
    - an iterator of (path, node).
    """
    for field, value in ast.iter_fields(node):
        if field in NO_MUTATION_FIELDS:
            continue
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            if isinstance(item, ast.AST) and not isinstance(item, SKIPPED):
                yield path + ((field, index),), item
                yield from _sites(item, path + ((field, index),))


def _at(node, path):
    """The node at a path (as _sites gives it) below node."""
    for field, index in path:
        node = getattr(node, field) if index is None else getattr(node, field)[index]
    return node


def _replaced(function, path, new):
    """
    A copy of a function with the node at path replaced.

    Inputs:
    - function: the FunctionDef; path: as _sites gives it; new: the replacement node.

    Returns:
    - the new FunctionDef (function is left unchanged).
    """
    tree = copy.deepcopy(function)
    parent = _at(tree, path[:-1])
    field, index = path[-1]
    if index is None:
        setattr(parent, field, copy.deepcopy(new))
    else:
        getattr(parent, field)[index] = copy.deepcopy(new)
    return tree


def _context(function, path):
    """
    The path of the node a change is shown with: the changed node, or for a name, a number or a keyword
    argument the closest enclosing node that is neither (x > 0 -> x > 1 rather than 0 -> 1).

    Inputs:
    - function: the FunctionDef; path: the changed node's path.

    Returns:
    - a prefix of path.
    """
    while len(path) > 1 and isinstance(_at(function, path), (ast.Constant, ast.Name, ast.keyword)):
        path = path[:-1]
    return path


def find_function(tree, function_name):
    """
    A function defined at the top level of a module.

    Inputs:
    - tree: the module's AST; function_name: the name.

    Returns:
    - the FunctionDef; ValueError when there is none.
    """
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function_name:
            return node
    raise ValueError(f"no function {function_name} is defined at the top level of the module")


def _body_sites(function):
    """The mutable sites of a function's body (its docstring excluded), as _sites gives them."""
    body = function.body
    start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str) else 0
    for index in range(start, len(body)):
        yield (("body", index),), body[index]
        yield from _sites(body[index], (("body", index),))


def _compiles(source):
    """True when Python compiles the source."""
    try:
        compile(source, "<mutant>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def mutants_of(source, function_name):
    """
    Every mutant of one function of a module: one operator applied at one place each.

    A mutant that ast.unparse writes as the original, or as an earlier mutant, is dropped; one that does
    not compile is stillborn. The same change at several places gets ' #2', ' #3'... in source order.

    Inputs:
    - source: the module's Python source.
    - function_name: a function defined at its top level.

    Returns:
    - a Generated (mutants and stillborn, in source order, operators in OPERATORS order at each place).
    """
    lines = source.splitlines(keepends=True)
    function = find_function(ast.parse(source), function_name)
    first = min([function.lineno] + [decorator.lineno for decorator in function.decorator_list]) - 1
    before, after = "".join(lines[:first]), "".join(lines[function.end_lineno:])
    original = ast.unparse(function)
    seen, mutants, stillborn, counts = {original}, [], [], {}
    for path, node in _body_sites(function):
        for operator in OPERATORS:
            for new in operator(node):
                mutated, shown = _replaced(function, path, new), _context(function, path)
                text = ast.unparse(mutated)
                if text in seen:
                    continue
                seen.add(text)
                change = f"{ast.unparse(_at(function, shown))} -> {ast.unparse(_at(mutated, shown))}"
                key = (operator_name(operator), change)
                counts[key] = counts.get(key, 0) + 1
                if counts[key] > 1:
                    change += f" #{counts[key]}"
                module = before + text + "\n" + after
                mutant = Mutant(function_name, key[0], change, node.lineno, module, _diff(original, text))
                (mutants if _compiles(module) else stillborn).append(mutant)
    return Generated(mutants, stillborn)


def _diff(original, mutated):
    """
    The changed lines between two versions of a function, without diff headers.

    Inputs:
    - original, mutated: the two sources.

    Returns:
    - the lines, '-' for the original's and '+' for the mutant's, joined by newlines.
    """
    lines = difflib.unified_diff(original.splitlines(), mutated.splitlines(), n=0, lineterm="")
    return "\n".join(line for line in lines if line.startswith(("-", "+")) and not line.startswith(("---", "+++")))
