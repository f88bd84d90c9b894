"""The results folder: one sub-folder per submission, written so that nothing is ever half-saved.

A stored result is reused by a later run when the file's bytes, the
autograder and the limits are unchanged (see fingerprint) and it was not a
timeout or an error, which the machine may have caused.
"""

import dataclasses
import hashlib
import json
import os
import pathlib
import shutil

from .results import SubmissionResult

MAX_NAME_BYTES, MAX_PATH_BYTES = 200, 1000  # under Linux's 255 per name and 4096 per path, results folder included


def fingerprint(autograder_dir, limits):
    """
    A hash of what grading depends on besides the submission: the autograder's files and the limits.

    Inputs:
    - autograder_dir: the autograder folder; limits: a Limits.

    Returns:
    - a hex string.
    """
    digest = hashlib.sha256(json.dumps(dataclasses.asdict(limits), sort_keys=True).encode())
    for path in sorted(pathlib.Path(autograder_dir).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.name != "autograder.zip":  # data files too
            digest.update(path.relative_to(autograder_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_atomically(path, text):
    """Write a text file so that a reader never sees it half-written."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    # backslashreplace: a lone surrogate from student code or a file name that is not UTF-8 is written escaped
    partial.write_text(text, encoding="utf-8", errors="backslashreplace")
    os.replace(partial, path)


class Store:
    """
    The results folder: one sub-folder per submission, plus the class-wide files.

    Inputs:
    - results_dir: the folder; fingerprint: see fingerprint().
    - writers: file name -> function(SubmissionResult) -> text, the files written per submission
      besides result.json (feedback, Gradescope's results.json).
    """

    def __init__(self, results_dir, fingerprint, writers):
        self.root, self.fingerprint, self.writers = pathlib.Path(results_dir), fingerprint, writers
        self._read = None  # name -> (fingerprint, result) of result.json, once stored() has read the folder

    def folder(self, name):
        """The sub-folder of one submission: its own path, or a short stand-in when the file system would refuse it."""
        parts = pathlib.PurePosixPath(name).parts
        # os.fsencode: a file name that is not UTF-8 (surrogate-escaped by os.walk) keeps its own bytes
        if len(os.fsencode(name)) <= MAX_PATH_BYTES and all(len(os.fsencode(part)) <= MAX_NAME_BYTES for part in parts):
            return self.root / "submissions" / name
        tail = os.fsencode(parts[-1])[-MAX_NAME_BYTES // 2:].decode(errors="ignore")
        return self.root / "submissions" / "long-names" / f"{hashlib.sha256(os.fsencode(name)).hexdigest()[:16]}-{tail}"

    def cached(self, name, sha256):
        """A stored result for this file, if it was graded from the same bytes with the same autograder."""
        loaded = self._read.get(name) if self._read is not None else _load(self.folder(name) / "result.json")
        if loaded is None:
            return None
        fingerprint, result = loaded
        if fingerprint != self.fingerprint or result.sha256 != sha256 or not sha256:
            return None
        if result.status in ("error", "timeout"):  # may have been the machine's fault: grade again
            return None
        return result

    def save(self, result):
        """Write one submission's files (result.json as the checks graded it: overrides are applied on every run)."""
        self.render(result)
        write_atomically(self.folder(result.submission) / "result.json", json.dumps(
            {"fingerprint": self.fingerprint, "result": result.as_graded().to_dict()}, indent=1))

    def render(self, result):
        """Write the files people read for one submission (feedback, results.json), where they changed."""
        folder = self.folder(result.submission)
        for file_name, render in self.writers.items():
            text = render(result)
            try:
                if (folder / file_name).read_text(encoding="utf-8", errors="backslashreplace") == text:
                    continue
            except OSError:
                pass
            write_atomically(folder / file_name, text)

    def stored(self):
        """
        Every result saved in this folder, whatever autograder or limits graded it.

        Returns:
        - dict submission name -> (SubmissionResult, whether it was graded with this fingerprint).
        """
        self._read = {}
        for path in sorted((self.root / "submissions").rglob("result.json")):
            loaded = _load(path)
            if loaded is not None and self.folder(loaded[1].submission) == path.parent:  # else not ours
                self._read[loaded[1].submission] = loaded
        return {name: (result, fingerprint == self.fingerprint) for name, (fingerprint, result) in self._read.items()}

    def remove(self, name):
        """Delete one submission's folder, and the folders it leaves empty (none above submissions/)."""
        folder = self.folder(name)
        shutil.rmtree(folder, ignore_errors=True)
        top = self.root / "submissions"
        for parent in folder.parents:
            if parent == top or top not in parent.parents:
                break
            try:
                parent.rmdir()
            except OSError:
                break


def _load(path):
    """
    One result.json as saved.

    Inputs:
    - path: the file.

    Returns:
    - (the fingerprint it was graded with, the SubmissionResult), or None when it cannot be read (half a folder, not
      ours): the next run grades that file again.
    """
    try:
        data = json.loads(path.read_text())
        return data.get("fingerprint"), SubmissionResult.from_dict(data["result"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
