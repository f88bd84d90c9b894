"""The errors the generator raises: the master notebook is malformed."""


class GenerationError(ValueError):
    """The master notebook breaks a rule of the format; the message says which and where."""


class AuthoringErrors(GenerationError):
    """
    Authoring mistakes found in a master before anything was written.

    Inputs:
    - path: the master notebook; problems: the authoring.Problem list (not empty).
    """

    def __init__(self, path, problems):
        self.path, self.problems = path, list(problems)
        count = len(self.problems)
        super().__init__(f"{count} authoring mistake{'s' if count > 1 else ''} in {path}; nothing was written:\n"
                         + "\n".join(f"  - {problem}" for problem in self.problems))
