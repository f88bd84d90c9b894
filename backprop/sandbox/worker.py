"""The sandbox process: runs a notebook's definition cells and answers calls to its functions.

Forked by the template process (template.py), which imported this module and
NumPy once, with the message pipe on two file descriptors. serve() confines
the process (confine.py), sends "ready", then serves requests until the pipe
closes. Student output goes to a capped buffer, never to the pipe; the real
stdout and stderr are /dev/null.

Requests: exec (run a cell), lookup (the notebook's names), call, substitute
and restore (trusted functions in place of the student's helpers while one
function is graded), reset (between test cases), output (what was printed).
"""

import builtins
import io
import sys

import numpy  # noqa: F401  imported before confinement, as every notebook needs it

from .channel import Channel
from .confine import confine

MISSING = object()  # a global the function did not have before substitute()


class CappedOutput(io.TextIOBase):
    """
    A text stream that keeps the first `limit` characters written and counts the rest.

    Inputs:
    - limit: the number of characters kept.
    """

    def __init__(self, limit):
        super().__init__()
        self.limit, self.kept, self.dropped = limit, [], 0
        self.size = 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.kept.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def text(self):
        """What was kept, with a note when some was dropped."""
        kept = "".join(self.kept)
        return kept + (f"\n[... {self.dropped} more characters of output dropped]" if self.dropped else "")


class QuietIPython:
    """
    Stands in for get_ipython() when cells with magics run without IPython.

    Line magics (%matplotlib inline) and shell commands (!pip install) do
    nothing: they cannot define the functions grading needs. Cell magics that
    only wrap Python (%%time, %%capture, ...) run their body; others are skipped.

    Inputs:
    - namespace: the notebook's namespace, where wrapped bodies run.
    """

    PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}

    def __init__(self, namespace):
        self.namespace = namespace

    def run_line_magic(self, name, line, *args, **kwargs):
        """Ignore a line magic."""

    def run_cell_magic(self, name, line, body, *args, **kwargs):
        """Run the Python body of %%time-like cell magics; ignore other cell magics."""
        if name in self.PYTHON_CELL_MAGICS:
            exec(compile(body, f"<%%{name} cell>", "exec"), self.namespace)

    def system(self, *args, **kwargs):
        """Ignore a shell command."""

    def getoutput(self, *args, **kwargs):
        """A shell command's output: none."""
        return []


class Notebook:
    """The student's namespace and the requests that act on it."""

    def __init__(self, output):
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        shell = QuietIPython(self.namespace)
        self.namespace["get_ipython"] = lambda: shell
        self.output = output
        self.saved_globals = []

    def exec(self, index, source):
        """Run one cell; its exception is reported to the caller."""
        code = compile(source, "<this cell>", "exec")  # messages name the cell by its first line, never by number
        exec(code, self.namespace)

    def lookup(self, names):
        """The values of names in the namespace (functions cross as handles); missing ones are absent."""
        return {name: self.namespace[name] for name in names if name in self.namespace}

    def substitute(self, func, replacements):
        """Put trusted functions in func's globals until restore()."""
        namespace = getattr(func, "__globals__", None)
        if not isinstance(namespace, dict):
            self.saved_globals.append((None, {}))
            return
        self.saved_globals.append((namespace, {name: namespace.get(name, MISSING) for name in replacements}))
        namespace.update(replacements)

    def restore(self):
        """Undo the last substitute()."""
        namespace, saved = self.saved_globals.pop()
        for name, value in saved.items():
            if value is MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = value

    def printed(self):
        """Everything the notebook printed so far (capped)."""
        return self.output.text()


def serve(read_fd, write_fd, settings):
    """
    Confine this process and answer the trusted side's requests until it closes the pipe.

    Inputs:
    - read_fd, write_fd: the message pipe's ends.
    - settings: the dict the trusted side sent (scratch, memory_bytes, cpu_seconds, output_chars,
      message_bytes, isolation).
    The caller has already made the process its own session, not dumpable, dying with its parent, with
    /dev/null as stdin, stdout and stderr and no other descriptor open (template.become_sandbox).
    """
    output = CappedOutput(settings["output_chars"])
    sys.stdout = sys.stderr = output
    channel = Channel(read_fd, write_fd, parity=1, max_message=settings["message_bytes"])
    notebook = Notebook(output)
    channel.handlers.update(exec=notebook.exec, lookup=notebook.lookup, substitute=notebook.substitute,
                            restore=notebook.restore, output=notebook.printed,
                            pin=channel.mirrors.pin, reset=channel.mirrors.reset)
    try:
        confine(settings["scratch"], settings["memory_bytes"], settings["cpu_seconds"], settings["isolation"])
    except Exception as error:  # e.g. --isolation landlock on a kernel without it: said to the trusted side
        channel.post({"kind": "unconfined", "error": f"{type(error).__name__}: {error}"[:2000]})
        return
    channel.post({"kind": "ready"})
    channel.serve_forever()
