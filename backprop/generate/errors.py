"""The one error the generator raises: the master notebook is malformed."""


class GenerationError(ValueError):
    """The master notebook breaks a rule of the format; the message says which and where."""
