"""Command line: python -m backprop.generate [--check] [--root DIR] [--assignment NAME ... | --master PATH]."""

import argparse
import pathlib
import sys

from .errors import GenerationError
from .master import read
from .outputs import assignment_name, orphans, stale_files, write


def masters_of(root, names):
    """
    The master notebooks to act on, by assignment name.

    Inputs:
    - root: the repository root; names: assignment names (empty for every master in ROOT/solutions).

    Returns:
    - dict assignment name -> master path; a name without a master, or two masters of one name, raise
      GenerationError.
    """
    by_name = {}
    for path in sorted((pathlib.Path(root) / "solutions").glob("*.ipynb")):
        name = assignment_name(path, read(path))  # the file's stem, or metadata backprop.name: unique
        if name in by_name:
            raise GenerationError(f"two masters are the assignment {name!r}: {by_name[name]} and {path} (the file's "
                                  "name, or metadata backprop.name): rename one")
        by_name[name] = path
    missing = [name for name in names if name not in by_name]
    if missing:
        raise GenerationError(f"no master solutions/{missing[0]}.ipynb; the assignments are: "
                              + (", ".join(by_name) or "none"))
    return {name: path for name, path in by_name.items() if not names or name in names}


def main(argv=None):
    """
    Regenerate assignment/<name>/ and autograder/<name>/ from each master, or check that they are current.

    Inputs:
    - argv: the arguments (default: sys.argv[1:]).

    Returns:
    - the exit status: 0, or 1 when --check finds stale files or a master is malformed (nothing is written
      for a master with a mistake).
    """
    parser = argparse.ArgumentParser(prog="python -m backprop.generate", description=main.__doc__.split("\n")[1].strip())
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    parser.add_argument("--assignment", action="append", default=[], metavar="NAME",
                        help="the assignment solutions/NAME.ipynb (repeatable; default: every master in ROOT/solutions)")
    parser.add_argument("--master", default=None, help="a master notebook's path, instead of --assignment")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a generated file is stale")
    args = parser.parse_args(argv)
    root = pathlib.Path(args.root)
    try:
        by_name = {} if args.master else masters_of(root, args.assignment)
    except GenerationError as error:
        parser.error(str(error))
    masters = [pathlib.Path(args.master)] if args.master else list(by_name.values())
    if not masters:
        parser.error(f"no master notebook in {root / 'solutions'}: `make new-assignment NAME=<name>` makes one")
    status = 0
    for master in masters:
        status |= _one(root, master, args.check)
    if not args.assignment and not args.master:  # every master: a generated folder without one is stale
        for folder in orphans(root, by_name):
            print(f"stale: {folder}/ has no master (solutions/{pathlib.Path(folder).name}.ipynb): remove the "
                  "folder, or put its master back", file=sys.stderr)
            status |= 1 if args.check else 0
    return status


def _one(root, master, check):
    """Generate, or check, one master's files; the exit status (0 or 1)."""
    try:
        if check:
            stale = stale_files(root, master)
            for path in stale:
                print(f"stale: {path}")
            if stale:
                print(f"{master}: run `make assign` and commit the result", file=sys.stderr)
            return 1 if stale else 0
        done = write(root, master)
        for action, path in done:
            print(f"{action} {path}")
        if not done:
            print(f"{master}: every generated file is current")
        return 0
    except GenerationError as error:
        print(f"error in the master notebook {master}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
