"""Build one assignment's autograder.zip for Gradescope: the same bytes from the same sources, every time.

Its root holds setup.sh and run_autograder (Gradescope's contract), the
pinned requirements.txt, the grading code (backprop/, without the
generator and the sources it copies into autograder/) and the assignment's
generated autograder/<name>/ folder, as autograder/ (hidden tests,
reference, assignment.json, data files). The grading code is copied
where student code could read it without Landlock: nothing instructor-only
may be in it.
Nothing else: no master notebook, no student folder, no caches.
"""

import io
import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPTS = ("setup.sh", "run_autograder")
PACKAGES = ("grade", "gradescope", "report", "sandbox", "students")  # generate and checks (sources of
# autograder/) are not needed
ZIP = "autograder.zip"  # written in autograder/<name>/
FIXED_DATE = (2026, 1, 1, 0, 0, 0)  # zip entries carry no build time, so the zip depends on its sources only


def members(name, root=ROOT, autograder=None):
    """
    What goes into one assignment's zip.

    Inputs:
    - name: the assignment; root: the repository.
    - autograder: the assignment's autograder folder (default: root/autograder/<name>).

    Returns:
    - a sorted list of (name in the zip, file on disk, executable?).
    """
    here = root / "backprop" / "gradescope"
    found = [(name, here / name, True) for name in SCRIPTS]
    found.append(("requirements.txt", root / "requirements.txt", False))
    found.append(("backprop/__init__.py", root / "backprop" / "__init__.py", False))
    sources = [path for package in PACKAGES for path in (root / "backprop" / package).rglob("*")]
    for path in sources:
        if path.is_file() and path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            found.append((path.relative_to(root).as_posix(), path, False))
    assignment = pathlib.Path(autograder) if autograder else root / "autograder" / name
    if not (assignment / "assignment.json").is_file():
        raise FileNotFoundError(f"no assignment {name!r}: {assignment}/assignment.json is missing (make assign)")
    for path in assignment.rglob("*"):  # data files too, whatever their kind; not an earlier zip
        if path.is_file() and "__pycache__" not in path.parts and path.relative_to(assignment).as_posix() != ZIP:
            found.append(("autograder/" + path.relative_to(assignment).as_posix(), path, False))
    return sorted(found)


def fixed_zip(entries):
    """
    A zip whose bytes depend on its entries only: fixed dates, given modes, deflated (two builds can be compared).

    Inputs:
    - entries: (name in the zip, bytes, mode bits of external_attr >> 16) triples, in the zip's order.

    Returns:
    - the zip's bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.external_attr, info.compress_type = mode << 16, zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def zip_bytes(name, root=ROOT, autograder=None):
    """
    One assignment's autograder zip, in memory.

    Inputs:
    - name: the assignment; root: the repository; autograder: as for members.

    Returns:
    - the zip's bytes (fixed dates and modes: the same sources give the same bytes).
    """
    return fixed_zip((member, path.read_bytes(), 0o100755 if executable else 0o100644)
                     for member, path, executable in members(name, root, autograder))


def build_zip(*, name, output=None, root=ROOT):
    """
    Write one assignment's autograder zip.

    Inputs:
    - name: the assignment; output: the file to write (default: autograder/<name>/autograder.zip).
    - root: the repository.

    Returns:
    - (the path written, the number of files in the zip).
    """
    output = pathlib.Path(output) if output else root / "autograder" / name / ZIP
    data = zip_bytes(name, root)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    partial.write_bytes(data)
    partial.replace(output)
    return output, len(members(name, root))
