"""python -m backprop.gradescope: build the autograder zip, or (in Gradescope's container) grade one submission."""

import argparse
import os
import sys

from backprop.sandbox.process import Limits

from backprop.grade.assignments import course

from .build import ROOT, build_zip
from .run import run_autograder


def main(argv=None):
    """Parse the command line and build, or run."""
    parser = argparse.ArgumentParser(prog="python -m backprop.gradescope", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write each assignment's autograder.zip for Gradescope")
    build.add_argument("--assignment", action="append", default=[], metavar="NAME",
                       help="the assignment (repeatable; default: every one in autograder/)")
    build.add_argument("--output", default=None,
                       help="the zip to write, for one assignment (default: autograder/<name>/autograder.zip)")
    run = commands.add_parser("run", help="grade <root>/submission into <root>/results/results.json")
    run.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"),
                     help="the autograder root (default: $AUTOGRADER_ROOT, else /autograder)")
    run.add_argument("--sandbox-user", default="", help="the unprivileged account student code runs as")
    run.add_argument("--isolation", choices=("auto", "landlock", "none"), default="auto",
                     help="filesystem isolation of the sandbox (see python -m backprop.grade --help)")
    args = parser.parse_args(argv)
    if args.command == "build":
        try:
            names = list(course(ROOT / "autograder", args.assignment))
        except (ValueError, OSError) as error:
            parser.error(str(error))
        if args.output and len(names) != 1:
            parser.error(f"--output names one zip; there are {len(names)} assignments: add --assignment NAME")
        for name in names:
            output, count = build_zip(name=name, output=args.output)
            print(f"Wrote {output} ({count} files, {output.stat().st_size // 1024} KB): upload it on Gradescope "
                  f"as the autograder of {name} (Configure Autograder > Zip file upload).")
        return 0
    run_autograder(root=args.root, limits=Limits(user=args.sandbox_user, isolation=args.isolation))
    return 0


if __name__ == "__main__":
    sys.exit(main())
