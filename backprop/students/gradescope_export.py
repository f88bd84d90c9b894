"""
Gradescope's "Export Submissions": who handed in each submission_<id>/ folder, from submission_metadata.yml.

The export is a folder of submission_<id>/ folders (the files as uploaded) and, at its root, a
submission_metadata.yml written by Ruby, whose keys are Ruby symbols (":submitters:" reads as the key
":submitters"). As public tools that read these exports use it:

    submission_123456789:
      :submitters:
      - :name: Zoë Müller
        :sid: '1234'
        :email: zoe@example.edu
      :created_at: 2024-02-06 21:35:13.457345000 -08:00
      :score: 10.0
      :history: []          # earlier submissions (each with :created_at, :score)

A group submission lists every member under :submitters. No lateness key was found in public examples; a
":late:" (true/false) or ":lateness:" (seconds, or "H:M:S", above 0 meaning late) is read if present.
"""

import dataclasses
import pathlib
import re

import yaml

from backprop.grade.results import one_line

from .identity import GRADESCOPE, Student

METADATA_NAME = "submission_metadata.yml"
FOLDER = re.compile(r"^submission_(\d+)$")
MAX_BYTES = 50_000_000


class MetadataError(ValueError):
    """A submission_metadata.yml that cannot be read; the message says where."""


@dataclasses.dataclass(frozen=True)
class Submitted:
    """One submission_<id>/ folder: its students (several for a group), lateness and Gradescope's id."""

    students: tuple
    late: bool = False
    order: int | None = None


class _RubyTolerantLoader(yaml.SafeLoader):
    """safe_load, reading a Ruby-tagged value (!ruby/object:BigDecimal, !ruby/hash:...) as its plain value."""


def _plain(loader, suffix, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_RubyTolerantLoader.add_multi_constructor("!", _plain)


def find_metadata(submissions_dir):
    """
    Where a Gradescope export's submission_metadata.yml is: at the root of the submissions folder or in one of its
    folders (the export unpacked into a folder of its own).

    Inputs:
    - submissions_dir: the submissions folder.

    Returns:
    - the path, or None.
    """
    root = pathlib.Path(submissions_dir)
    candidates = [root / METADATA_NAME] + sorted(root.glob(f"*/{METADATA_NAME}"))
    return next((path for path in candidates if path.is_file() and not path.is_symlink()), None)


def read_metadata(path):
    """
    Read a submission_metadata.yml.

    Inputs:
    - path: the file.

    Returns:
    - a dict: folder name ("submission_123") -> Submitted.

    Raises:
    - MetadataError naming the file and what is wrong.
    """
    path = pathlib.Path(path)
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise MetadataError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB")
    try:
        document = yaml.load(data.decode("utf-8-sig"), Loader=_RubyTolerantLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise MetadataError(f"{path}: not YAML that Gradescope wrote ({one_sentence(error)})") from None
    return metadata_from(document, source=path.name)


def metadata_from(document, *, source=METADATA_NAME):
    """
    The folders of an export from its parsed metadata.

    Inputs:
    - document: what the YAML holds; source: its name, for messages.

    Returns:
    - a dict: folder name -> Submitted.

    Raises:
    - MetadataError when the document is not a mapping of submissions with submitters.
    """
    if not isinstance(document, dict):
        raise MetadataError(f"{source}: not a mapping of submission folders to their submitters")
    folders = {}
    for folder, entry in document.items():
        submitters = entry.get(":submitters") if isinstance(entry, dict) else None
        if not isinstance(submitters, list) or not all(isinstance(person, dict) for person in submitters):
            raise MetadataError(f"{source}: {str(folder)[:100]!r} has no :submitters: list")
        students = tuple(_student(person) for person in submitters)
        match = FOLDER.match(str(folder))
        folders[str(folder)] = Submitted(tuple(s for s in students if s.id), _late(entry),
                                         int(match[1]) if match else None)
    return folders


def _student(person):
    """A Student from one :submitters: entry; its id is the SID, else the e-mail, else the name."""
    name, sid, email = (_text(person.get(key)) for key in (":name", ":sid", ":email"))
    return Student(id=sid or email or name, name=name, email=email, source=GRADESCOPE)


def _late(entry):
    """Whether a submission's metadata says it was late (see the module's docstring)."""
    late = entry.get(":late")
    if isinstance(late, bool):
        return late
    lateness = entry.get(":lateness")
    if isinstance(lateness, (int, float)):
        return lateness > 0
    if isinstance(lateness, str):
        return bool(lateness.strip("0:. "))  # "00:00:00" is on time
    return False


def _text(value):
    """A metadata value as clean one-line text ('' for None)."""
    return "" if value is None else one_line(value, limit=500).strip()


def one_sentence(error):
    """A YAML error on one line."""
    return " ".join(str(error).split())[:300]
