"""Charge each bug once: trusted stand-ins for the questions a submission already lost points on.

Questions are graded in notebook order. When a question's function is wrong
(its question lost points), every later question is checked with the
reference's function in its place, in two ways:

- inside the sandbox, the notebook's global of that name is the reference's
  while a check runs, so a composite (a network's loss that calls the layers)
  is graded on its own code only;
- a check that calls that function itself (a backward check needs its forward
  pass's cache) gets a Fallback: the student's function where its result can
  stand in for the reference's (same structure), else the reference's. A
  forward pass with a wrong output but a usable cache keeps the student's own
  cache format, which their backward pass expects.

The in-notebook grader.check has none of this: there the student's own
functions run, and the checks' messages name the function to fix first.
"""

import contextlib
import copy
import functools
import importlib.util
import pathlib


def load_reference(autograder_dir):
    """
    The reference solution's functions, by name.

    Inputs:
    - autograder_dir: the generated autograder folder (reference.py in it).

    Returns:
    - dict name -> function; empty when the folder has no reference.
    """
    path = pathlib.Path(autograder_dir).resolve() / "reference.py"
    if not path.is_file():
        return {}
    return _load(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _load(path, mtime):
    """The reference's functions, executed once per process (again if the file changed), as test files are."""
    spec = importlib.util.spec_from_file_location("backprop_reference", path)
    module = importlib.util.module_from_spec(spec)
    with contextlib.chdir(pathlib.Path(path).parent):  # its cells may read the assignment's data files
        spec.loader.exec_module(module)
    return {name: value for name, value in vars(module).items() if callable(value) and not name.startswith("_")}


def _same_structure(value, model):
    """Whether value is shaped like model: tuples of the same length, dicts, or anything for other values."""
    if isinstance(model, tuple):
        return isinstance(value, tuple) and len(value) == len(model)
    if isinstance(model, dict):
        return isinstance(value, dict) and set(value) == set(model)
    return value is not None


class Fallback:
    """
    The student's function where its result can stand in for the reference's, else the reference's.

    Inputs:
    - student: the student's function (a proxy); trusted: the reference's.
    """

    trusted_stand_in = True  # checks that diagnose a composite never blame a function the grader replaced

    def __init__(self, student, trusted):
        self.student, self.trusted = student, trusted
        self.__name__ = getattr(trusted, "__name__", "function")

    def __call__(self, *args, **kwargs):
        model = self.trusted(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        if not callable(self.student):  # not defined, or not a function
            return model
        try:
            value = self.student(*args, **kwargs)
        except Exception:  # the student's function cannot serve: use the reference's (a SandboxFailure goes through)
            return model
        return value if _same_structure(value, model) else model


def stand_ins(namespace, trusted):
    """
    The namespace a later question's checks see: trusted stand-ins for the functions already found wrong.

    Inputs:
    - namespace: the notebook's names (proxies); trusted: dict name -> reference function of the wrong ones.

    Returns:
    - a new dict.
    """
    names = dict(namespace)
    for name, function in trusted.items():
        names[name] = Fallback(names.get(name), function)
    return names


@contextlib.contextmanager
def patched(namespace, trusted):
    """
    Run the block with some names of a namespace set to trusted functions, then put them back.

    Inputs:
    - namespace: a dict (an in-process notebook's globals); trusted: dict name -> function.
    """
    missing = object()
    saved = {name: namespace.get(name, missing) for name in trusted}
    namespace.update(trusted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
