"""python -m backprop.mutants: the mutation report of the tests (see README, 'Mutation report')."""

import argparse
import pathlib
import sys

from .report import build, load_equivalent, markdown, text
from .run import Progress, run_mutants


def parse_args(argv=None):
    """
    Read the command line.

    Inputs:
    - argv: the arguments (default sys.argv[1:]).

    Returns:
    - an argparse.Namespace.
    """
    parser = argparse.ArgumentParser(prog="python -m backprop.mutants",
                                     description="Mutate the reference solution one change at a time and grade each "
                                                 "mutant: which do the public checks, and all checks, catch?")
    parser.add_argument("--autograder", default="autograder", type=pathlib.Path,
                        help="the autograder folder: questions.json, reference.py, tests/ (default: autograder)")
    parser.add_argument("--question", action="append", default=None, metavar="NAME",
                        help="a question to mutate (repeatable; default: every one)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--output", default="results/mutants.md", type=pathlib.Path,
                        help="the markdown report (default: results/mutants.md)")
    parser.add_argument("--equivalent", type=pathlib.Path, default=None, metavar="PATH",
                        help="the reviewed JSON list of equivalent mutants (default: none)")
    return parser.parse_args(argv)


def main(argv=None):
    """
    Run the mutation report: print it (ending with the summary line) and write its markdown.

    Inputs:
    - argv: the arguments (default sys.argv[1:]).

    Returns:
    - the exit code: 0, or 2 when the report cannot be made (an unknown question, a bad equivalent list,
      a reference that fails its own checks).
    """
    args = parse_args(argv)
    try:
        equivalent = load_equivalent(args.equivalent) if args.equivalent else []
        run = run_mutants(args.autograder, args.question, args.jobs, on_outcome=Progress())
    except (OSError, ValueError, RuntimeError) as error:
        print(f"python -m backprop.mutants: {error}", file=sys.stderr)
        return 2
    report = build(run, equivalent)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(markdown(report))
    print(f"markdown report: {args.output}", file=sys.stderr)
    sys.stderr.flush()
    print(text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
