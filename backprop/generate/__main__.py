"""Command line: python -m backprop.generate [--check] [--root DIR] [--master PATH]."""

import argparse
import pathlib
import sys

from .errors import GenerationError
from .outputs import stale_files, write


def main(argv=None):
    """
    Regenerate assignment/ and autograder/ from the master, or check that they are current.

    Inputs:
    - argv: the arguments (default: sys.argv[1:]).

    Returns:
    - the exit status: 0, or 1 when --check finds stale files or the master is malformed.
    """
    parser = argparse.ArgumentParser(prog="python -m backprop.generate", description=main.__doc__.split("\n")[1].strip())
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    parser.add_argument("--master", default=None, help="the master notebook (default: the only one in ROOT/solutions)")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a generated file is stale")
    args = parser.parse_args(argv)
    root = pathlib.Path(args.root)
    masters = sorted((root / "solutions").glob("*.ipynb"))
    if args.master is None and len(masters) != 1:
        parser.error(f"--master: {len(masters)} master notebooks in {root / 'solutions'}; name one")
    master = args.master or masters[0]
    try:
        if args.check:
            stale = stale_files(root, master)
            for path in stale:
                print(f"stale: {path}")
            if stale:
                print("run `make assign` and commit the result", file=sys.stderr)
            return 1 if stale else 0
        done = write(root, master)
        for action, path in done:
            print(f"{action} {path}")
        if not done:
            print("every generated file is current")
        return 0
    except GenerationError as error:
        print(f"error in the master notebook: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
