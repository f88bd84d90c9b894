"""Progress of a batch: a bar on a terminal, one plain line per submission elsewhere (CI, logs)."""

import sys
import time

from .results import one_line


class Progress:
    """
    Report each finished submission.

    Inputs:
    - stream: where to write (default stderr).
    """

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()

    def __call__(self, result, done, total, reused=False):
        """Show one finished submission (a SubmissionResult), done of total; reused: taken from a previous run."""
        elapsed = time.monotonic() - self.started
        if self.tty:
            width = 30
            filled = int(width * done / max(total, 1))
            rate = done / elapsed if elapsed > 0 else 0.0
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:.1f}/s  "
                              f"{one_line(result.submission)[:40]:<40}")
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{total}] {one_line(result.submission)}: {result.score:g}/{result.possible:g} "
                              f"{result.status}{' (reused)' if reused else ''}\n")
        self.stream.flush()
