"""python -m backprop.generate.handout [--assignment NAME]: the zip to give students, from assignment/<name>/.

It holds the generated student folder as it is committed (the notebook, its public checks, feedback.py,
session.py, requirements.txt, README.md, the data files) under <name>/, and nothing else: no checkpoints,
caches, unpacked checks or exported submissions an instructor's trial left there. Entries carry a fixed
date, so the same folder gives the same bytes.
"""

import argparse
import pathlib
import sys

from backprop.gradescope.build import fixed_zip

LEFT_OUT = (".ipynb_checkpoints", "__pycache__", ".OTTER_LOG")  # and hidden folders (the unpacked checks), zips


def members(folder):
    """The files of a student folder that go into its handout, sorted, as paths relative to it."""
    folder = pathlib.Path(folder)
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file()
                  and not any(part in LEFT_OUT or part.startswith(".") for part in path.relative_to(folder).parts)
                  and path.suffix != ".zip")


def handout_bytes(folder):
    """
    The handout zip of one student folder, in memory.

    Inputs:
    - folder: assignment/<name>.

    Returns:
    - the zip's bytes, entries under <name>/.
    """
    folder = pathlib.Path(folder)
    if not (folder / f"{folder.name}.ipynb").is_file():
        raise FileNotFoundError(f"no student notebook {folder / (folder.name + '.ipynb')}: run `make assign` first")
    return fixed_zip((f"{folder.name}/{relative.as_posix()}", (folder / relative).read_bytes(), 0o644)
                     for relative in members(folder))


def main(argv=None):
    """Write results/handout/<name>.zip for each assignment asked for (default: every one); the exit status."""
    parser = argparse.ArgumentParser(prog="python -m backprop.generate.handout", description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    parser.add_argument("--assignment", action="append", default=[], metavar="NAME",
                        help="the assignment (repeatable; default: every one in assignment/)")
    parser.add_argument("--output", default="results/handout", help="the folder to write (default: results/handout)")
    args = parser.parse_args(argv)
    root = pathlib.Path(args.root)
    names = args.assignment or sorted(path.name for path in (root / "assignment").iterdir() if path.is_dir())
    for name in names:
        try:
            data = handout_bytes(root / "assignment" / name)
        except FileNotFoundError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        target = pathlib.Path(args.output) / f"{name}.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target} ({len(members(root / 'assignment' / name))} files): give it to students")
    return 0


if __name__ == "__main__":
    sys.exit(main())
