"""Generate the student notebook and the autograder from the master notebook."""

from .errors import GenerationError
from .outputs import render, stale_files, write

__all__ = ["GenerationError", "render", "stale_files", "write"]
