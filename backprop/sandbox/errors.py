"""What can go wrong across the boundary, and the other side's exceptions raised on this one."""

import builtins

BUILTIN_ERRORS = {cls.__name__: cls for cls in vars(builtins).values()
                  if isinstance(cls, type) and issubclass(cls, Exception)}


class SandboxFailure(BaseException):
    """
    The other side stopped answering properly: it exited, timed out or broke the protocol.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` in a
    test or in student code can swallow it: the grader must see it.
    """


class ProtocolError(SandboxFailure):
    """The other side sent something this protocol does not allow."""


class RemoteError(Exception):
    """Base of exceptions re-raised from the other side under their own type name."""


def remote_exception(type_name, message):
    """
    An exception to raise for one raised on the other side.

    Inputs:
    - type_name: the original class name; message: its text.

    Returns:
    - an Exception instance: a builtin class of that name (not SystemExit and the
      like, which are not Exceptions), else a RemoteError subclass named after it.
    """
    cls = BUILTIN_ERRORS.get(type_name)
    if cls is None:
        cls = type(identifier(type_name), (RemoteError,), {})
    try:
        return cls(message)
    except Exception:  # a builtin that takes other arguments
        return RemoteError(f"{type_name}: {message}")


def identifier(text):
    """A Python identifier made from any text (a remote type's name), at most 60 characters."""
    name = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in str(text))[:60]
    return name if name and not name[0].isdigit() else f"_{name}"
