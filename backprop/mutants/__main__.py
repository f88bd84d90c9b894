"""python -m backprop.mutants: the mutation report of the tests (see README, 'Mutation report')."""

import argparse
import pathlib
import sys

from backprop.grade.assignments import course

from .report import build, load_equivalent, markdown, text
from .run import Progress, run_mutants

ROOT = pathlib.Path(__file__).resolve().parents[2]


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
    parser.add_argument("--autograder", default=ROOT / "autograder", type=pathlib.Path,
                        help="autograder/ (every assignment) or one assignment's autograder/<name> (default: "
                             "autograder)")
    parser.add_argument("--assignment", action="append", default=[], metavar="NAME",
                        help="the assignment (repeatable; default: every one)")
    parser.add_argument("--question", action="append", default=None, metavar="NAME",
                        help="a question to mutate (repeatable; default: every one)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--output", default=None, type=pathlib.Path,
                        help="the markdown report, for one assignment (default: results/mutants/<name>.md)")
    parser.add_argument("--equivalent", type=pathlib.Path, default=None, metavar="PATH",
                        help="the reviewed JSON list of equivalent mutants, for one assignment (default: "
                             "solutions/<name>.equivalent_mutants.json when it exists)")
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
        assignments = course(args.autograder, args.assignment)
        if (args.output or args.equivalent) and len(assignments) != 1:
            raise ValueError(f"--output and --equivalent are for one assignment; there are {len(assignments)}: "
                             "add --assignment NAME")
        for name, folder in assignments.items():
            equivalent = args.equivalent or ROOT / "solutions" / f"{name}.equivalent_mutants.json"
            equivalent = load_equivalent(equivalent) if args.equivalent or equivalent.is_file() else []
            run = run_mutants(folder, args.question, args.jobs, on_outcome=Progress())
            report = build(run, equivalent)
            output = args.output or pathlib.Path("results") / "mutants" / f"{name}.md"
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(markdown(report))
            print(f"{name}: markdown report: {output}", file=sys.stderr)
            sys.stderr.flush()
            print(text(report))
    except (OSError, ValueError, RuntimeError) as error:
        print(f"python -m backprop.mutants: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
