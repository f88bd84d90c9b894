"""python -m backprop.generate.scaffold NAME: start a new assignment's master, solutions/NAME.ipynb.

The master is a copy of template.ipynb: one function question and one
short-answer (value) question, each with public and hidden tests, the grader
set-up and the submit cell, every cell tagged. `make assign ASSIGNMENT=NAME`
generates it as it is; the instructor then replaces the questions.
"""

import argparse
import pathlib
import sys
import uuid

import nbformat

from .errors import GenerationError
from .outputs import NAME

TEMPLATE = pathlib.Path(__file__).resolve().parent / "template.ipynb"
PLACEHOLDERS = ("ASSIGNMENT_NAME", "ASSIGNMENT_TITLE")


def scaffold(*, root, name, title=None):
    """
    Write a new master notebook from the template.

    Inputs:
    - root: the repository root; name: the assignment's name (lowercase letters, digits, underscores).
    - title: the notebook's heading (default: the name, words capitalized).

    Returns:
    - the path written; GenerationError when the name is not usable or the master exists already.
    """
    if not NAME.fullmatch(name) or len(name) > 64:
        raise GenerationError(f"assignment name {name!r}: use at most 64 lowercase letters, digits and underscores, "
                              "starting with a letter (it names the folders and the notebook)")
    path = pathlib.Path(root) / "solutions" / f"{name}.ipynb"
    if path.exists():
        raise GenerationError(f"{path} exists already: pick another name, or edit that master")
    master = nbformat.read(TEMPLATE, as_version=4)
    values = dict(zip(PLACEHOLDERS, (name, title or name.replace("_", " ").capitalize())))
    for cell in master.cells:
        for placeholder, value in values.items():
            cell.source = cell.source.replace(placeholder, value)
        cell.id = f"{cell.id}-{uuid.uuid4().hex[:8]}"  # ids unique across masters, as Jupyter makes them
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(master, path)
    return path


def main(argv=None):
    """Parse the command line and write the master; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m backprop.generate.scaffold", description=__doc__.split("\n")[0])
    parser.add_argument("name", nargs="?", default="", help="the assignment's name, e.g. linear_regression")
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    parser.add_argument("--title", default=None, help="the notebook's heading (default: from the name)")
    args = parser.parse_args(argv)
    if not args.name:
        parser.error("name the assignment: make new-assignment NAME=<name>")
    try:
        path = scaffold(root=args.root, name=args.name, title=args.title)
    except GenerationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}: a function question and a short-answer question with their tests.\n"
          f"Next: make assign ASSIGNMENT={args.name}, then open {path} and replace the questions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
