"""Authoring mistakes in a master notebook, found before anything is written.

Each check below looks at the master's cells for one kind of mistake that
would otherwise leak instructor-only code to students or fail only when
grading: an untagged or mistagged code cell, a cell that does not parse, a
question without a solution block or with solution code outside it, a
`hidden=` that is not a literal, hidden cases holding less than half of a
question's points, a public test that reaches instructor-only code. Every problem names the cell (id and position), the line, and what to
do; `make assign` prints them all and writes nothing.
"""

import ast
import dataclasses

from IPython.core.inputtransformer2 import TransformerManager

from .master import ROLES, assigned_names
from .solutions import BEGIN, END, solution_lines
from .test_files import HIDDEN_ONLY_MODULES

OTHER_TAGS = ("raises-exception", "skip-execution", "hide-input", "hide-output", "remove-cell", "remove-input",
              "remove-output")  # Jupyter's and Jupyter Book's own tags: harmless, kept
PYTHON_ROLES = ("setup", "question", "tests", "instructor")  # cells that become Python files, not notebook cells


@dataclasses.dataclass(frozen=True)
class Problem:
    """One authoring mistake: where (cell id, position from 1, line or 0) and what to do."""

    cell_id: str
    position: int
    line: int
    text: str

    def __str__(self):
        where = f"cell {self.position} (id {self.cell_id!r})" + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.text}"


def problems(notebook):
    """
    Every authoring mistake in a master notebook.

    Inputs:
    - notebook: the master (nbformat v4).

    Returns:
    - a list of Problem, in cell order; empty when the master is fine.
    """
    found = []
    for position, cell in enumerate(notebook.cells, start=1):
        for check in CHECKS:
            found += [Problem(str(cell.get("id", "")), position, line, text) for line, text in check(cell)]
    return found


def _tags(cell):
    return list(cell.get("metadata", {}).get("tags", []))


def _roles(cell):
    return [tag for tag in _tags(cell) if tag in ROLES]


def _parsed(cell):
    """The cell's syntax tree when it is a Python cell that parses, else None."""
    if cell.cell_type != "code" or len(_roles(cell)) != 1 or _roles(cell)[0] not in PYTHON_ROLES:
        return None
    try:
        return ast.parse(cell.source)
    except SyntaxError:
        return None


def role_tags(cell):
    """A code cell has exactly one role tag, and no tag the generator does not know."""
    unknown = [tag for tag in _tags(cell) if tag not in ROLES and tag not in OTHER_TAGS]
    if unknown:
        yield 0, (f"unknown tag {unknown[0]!r} (a misspelling?): the role tags are {', '.join(ROLES)}")
    if cell.cell_type != "code":
        if _roles(cell):
            yield 0, f"a {cell.cell_type} cell with the role tag {_roles(cell)[0]!r}: only code cells take roles"
        return
    roles = _roles(cell)
    if not roles and not unknown:
        yield 0, ("a code cell without a role tag would reach students as it is: tag it "
                  f"{', '.join(ROLES)} (instructor for anything students must not see)")
    elif len(roles) > 1:
        yield 0, f"several role tags {roles}: keep one"


def parses(cell):
    """A cell that becomes Python (setup, question, tests, instructor), or that students run (exploration, with
    IPython's %magics translated), is valid Python."""
    if cell.cell_type != "code" or len(_roles(cell)) != 1 or _roles(cell)[0] not in PYTHON_ROLES + ("exploration",):
        return
    source = cell.source
    if _roles(cell)[0] == "exploration":
        try:
            source = TransformerManager().transform_cell(source)
        except (SyntaxError, ValueError):
            pass
    try:
        ast.parse(source)
    except SyntaxError as error:
        yield error.lineno or 0, f"does not parse: {error.msg}; fix the {_roles(cell)[0]} cell's code"


def solution_blocks(cell):
    """A question cell has a solution block, and no solution code outside its blocks."""
    tree = _parsed(cell)
    if tree is None or _roles(cell) != ["question"]:
        return
    lines = cell.source.split("\n")
    markers = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip() in (BEGIN, END)]
    if not any(marker == BEGIN for _, marker in markers):
        yield 0, (f"a question cell without a solution block: put the solution between {BEGIN!r} and {END!r}, "
                  "or students get it as it is")
        return
    inside = set()
    start = None
    for number, marker in markers:
        if marker == BEGIN:
            start = number
        elif start is not None:
            inside.update(range(start, number + 1))
            start = None
    last_end = max((number for number, marker in markers if marker == END), default=0)
    if not any(isinstance(node, ast.FunctionDef) for node in tree.body):  # a value question
        yield from _value_question(tree, inside)
        return
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            yield node.lineno, "code outside the question's function reaches students: move it into a solution block"
            continue
        for statement in ast.walk(node):
            if (isinstance(statement, ast.stmt) and statement is not node and statement.lineno > last_end
                    and statement.lineno not in inside and not _scaffolding(statement)):
                yield statement.lineno, (f"code after {END!r} reaches students: only return lines and comments "
                                         "may follow the solution block; move it inside the block")
                break


def _value_question(tree, inside):
    """A value question assigns one name, inside its solution block, and has no other code."""
    names = assigned_names(ast.unparse(tree))
    if len(names) != 1:
        yield 0, (f"a question cell defines one function or assigns one value; this one assigns {names or 'nothing'}: "
                  "split it, or move the helpers into the setup cell")
        return
    for node in tree.body:
        if node.lineno not in inside:
            yield node.lineno, ("code outside the solution block reaches students: a value question's assignment "
                                f"({names[0]} = ...) goes inside the block, and the stub sets it to None")
            return


def _scaffolding(statement):
    """Whether a statement after the solution block is the stub's own: return of names, pass."""
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Return):
        value = statement.value
        items = value.elts if isinstance(value, ast.Tuple) else [value]
        return all(item is None or isinstance(item, (ast.Name, ast.Constant)) for item in items)
    return False


def hidden_literals(cell):
    """Every test_case(hidden=...) in a tests cell is the literal True or False."""
    tree = _parsed(cell)
    if tree is None or _roles(cell) != ["tests"]:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "test_case":
            for keyword in node.keywords:
                if keyword.arg == "hidden" and not (isinstance(keyword.value, ast.Constant)
                                                    and isinstance(keyword.value.value, bool)):
                    yield node.lineno, ("hidden= must be the literal True or False (the generator does not run the "
                                        "cell to find out which tests to keep from students)")


def hidden_share(cell):
    """A tests cell has hidden cases holding at least half of its points: code fitted to the public inputs (whose
    expected values ship) must lose at least half of the question, as any output wrong on general inputs does."""
    tree = _parsed(cell)
    if tree is None or _roles(cell) != ["tests"]:
        return
    public = hidden = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "test_case":
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            points = keywords.get("points")
            if not isinstance(points, ast.Constant) or not isinstance(points.value, (int, float)):
                return  # no literal points: show_points says so
            if "hidden" in keywords and not isinstance(keywords["hidden"], ast.Constant):
                return  # hidden_literals says so
            is_hidden = isinstance(keywords.get("hidden"), ast.Constant) and keywords["hidden"].value is True
            hidden, public = hidden + points.value * is_hidden, public + points.value * (not is_hidden)
    if public + hidden and hidden < public:
        yield 0, (f"hidden cases hold {hidden:g} of {public + hidden:g} points: they must hold at least half (add a "
                  "hidden case on other inputs, or move points to one), so that memorizing the public inputs "
                  "earns at most half")


def public_tests_stay_public(cell):
    """No public test (nor what it uses) imports or names an instructor-only module, however it is spelled."""
    tree = _parsed(cell)
    if tree is None or _roles(cell) != ["tests"]:
        return
    for node in tree.body:
        if _hidden(node) or (isinstance(node, (ast.Import, ast.ImportFrom)) and _reaches_instructor_code(node)):
            continue  # hidden tests may use it; a top-level import is dropped from the public file with its users
        for child in ast.walk(node):
            reached = _reaches_instructor_code(child)
            if reached:
                yield child.lineno, (f"{reached} in a public test: it would be in the students' test file; "
                                     "import it at the top of the cell (then only hidden tests may use it) or mark "
                                     "the test hidden=True")
                break


def _hidden(node):
    """Whether a statement is a test_case(..., hidden=True) function."""
    for decorator in getattr(node, "decorator_list", []):
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "test_case":
            return any(keyword.arg == "hidden" and isinstance(keyword.value, ast.Constant)
                       and keyword.value.value is True for keyword in decorator.keywords)
    return False


def _reaches_instructor_code(node):
    """A phrase naming how a node reaches an instructor-only module, or '' when it does not."""
    modules = set(HIDDEN_ONLY_MODULES)
    if isinstance(node, ast.Import) and any(alias.name.split(".")[0] in modules for alias in node.names):
        return "an import of an instructor-only module"
    if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in modules:
        return "an import of an instructor-only module"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        if text in modules or any(text.endswith(f"{module}.py") for module in modules):
            return f"the name {text!r} of an instructor-only module (an import by name?)"
    return ""


CHECKS = (role_tags, parses, solution_blocks, hidden_literals, hidden_share, public_tests_stay_public)


def shipped_solutions(files, questions, student):
    """
    Solution lines that reach students anyway, in a file of theirs (a public test's helper that computes what the
    solution computes, the same way).

    Inputs:
    - files: the generated files, path -> text; questions: the master.Question list; student: "assignment/<name>/".

    Returns:
    - a list of messages, one per line found (empty when nothing leaks).
    """
    found = []
    texts = {path: text for path, text in files.items() if path.startswith(student) and isinstance(text, str)}
    for question in questions:
        for line in solution_lines(question.solution_source, question.name):
            for path, text in texts.items():
                if line in text:
                    found.append(f"{question.name}: the solution line {line!r} is also in {path}, which students "
                                 "get: write that public test's code another way, or make it hidden")
    return found
