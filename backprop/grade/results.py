"""What grading found: per test case, per question and per submission."""

import dataclasses
import re

CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]")


def printable(text, limit=2000):
    """
    Text from student code made safe to show: no terminal escapes or control characters, at most limit characters.

    Inputs:
    - text: any string (an exception message, printed output).
    - limit: the most characters kept.

    Returns:
    - the cleaned text.
    """
    # a lone surrogate (print("caf\udcff"), a file name that is not UTF-8) cannot be written: escape it
    text = CONTROL.sub("", str(text)).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + f" [... {len(text) - limit} more characters]"


def one_line(text, limit=200):
    """
    Text made safe to show on one line (a file name, a CSV cell): no control characters or line breaks.

    Inputs:
    - text: any string; limit: the most characters kept.

    Returns:
    - the cleaned text.
    """
    return printable(" ".join(str(text).replace("\t", " ").splitlines()), limit=limit)


GRADER_FAILED = "the grader failed"  # how a row that is no verdict on the file starts
UNFINISHED = ("is not implemented yet", "is not answered yet")  # what a stub's check says (a function, a value)


def unfinished(message, name=""):
    """
    Whether a check's message says a question is still a stub (its function raises NotImplementedError, or its
    value is not set).

    Inputs:
    - message: the check's message; name: the question, to count only its own stub ('' for any question's).

    Returns:
    - a bool.
    """
    return any(f"{name} {words}" in message if name else words in message for words in UNFINISHED)


def without_details(message):
    """
    A check's message without the details that differ between submissions: where the worst entry was, how wrong.

    Inputs:
    - message: e.g. "f: out is wrong (worst relative error 1e+00 at index (0, 4); accepted up to 1e-07). Hint: ...".

    Returns:
    - e.g. "f: out is wrong. Hint: ..." (everything after the details is kept: hints, "Also, ...").
    """
    head, found, rest = message.partition(" (worst relative error")
    if not found:
        return message
    _, closed, after = rest.partition(").")
    return f"{head}.{after}" if closed else f"{head}."


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """One test case: its name, points, visibility, verdict and message ('' when passed)."""

    name: str
    points: float
    hidden: bool
    passed: bool
    message: str


@dataclasses.dataclass(frozen=True)
class Override:
    """
    A TA's change to a grade (a row of overrides.csv).

    - question: the question whose score it sets ('' for points added to the total).
    - points: the question's new score, or the points added to the total (negative to take some off).
    - reason: why, shown to the student.
    """

    question: str
    points: float
    reason: str


@dataclasses.dataclass(frozen=True)
class QuestionResult:
    """One question (one otter test file) and its cases, in file order; override: a TA's Override of its score."""

    name: str
    cases: tuple
    override: Override = None

    @property
    def graded_score(self):
        """Points earned by the checks, whatever a TA overrode."""
        return sum(case.points for case in self.cases if case.passed)

    @property
    def score(self):
        """Points earned: the checks' verdict, or the TA's override."""
        return self.graded_score if self.override is None else self.override.points

    @property
    def possible(self):
        """Points available."""
        return sum(case.points for case in self.cases)

    def failures(self, hidden=None):
        """
        The failed cases, optionally only the hidden (True) or public (False) ones.

        Inputs:
        - hidden: None for all, or a bool.

        Returns:
        - a list of CaseResult.
        """
        return [case for case in self.cases if not case.passed and hidden in (None, case.hidden)]


@dataclasses.dataclass(frozen=True)
class SubmissionResult:
    """
    One submitted file, graded.

    - submission: its path relative to the submissions folder.
    - status: graded (every check ran), timeout (a time limit stopped something),
      error (the sandbox crashed or exited), invalid (not a gradable notebook).
    - message: the most important problem, in one line ('' when there is none).
    - questions: QuestionResult per question, in notebook order.
    - cell_errors: (cell index, message) for notebook cells that raised or were skipped.
    - output: what the notebook printed (capped).
    - sha256: the file's hash; seconds: the time grading took.
    - code: the Python source of the cells grading ran, in notebook order (to compare submissions).
    - adjustments: a TA's Overrides of the total (points added), applied on every run, never stored.
    """

    submission: str
    status: str
    message: str
    questions: tuple
    cell_errors: tuple = ()
    output: str = ""
    sha256: str = ""
    seconds: float = 0.0
    code: str = ""
    adjustments: tuple = ()

    @property
    def score(self):
        """Points earned, with a TA's overrides (never below 0)."""
        total = sum(question.score for question in self.questions) + sum(item.points for item in self.adjustments)
        return max(0, total)

    @property
    def overrides(self):
        """Every Override applied to this result: of questions, in order, then of the total."""
        return tuple(q.override for q in self.questions if q.override is not None) + tuple(self.adjustments)

    def as_graded(self):
        """This result as the checks graded it, without any override (what result.json stores)."""
        return dataclasses.replace(self, adjustments=(), questions=tuple(
            dataclasses.replace(question, override=None) for question in self.questions))

    @property
    def possible(self):
        """Points available."""
        return sum(question.possible for question in self.questions)

    def to_dict(self):
        """A JSON-able dict (the inverse of from_dict)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        """
        Rebuild a SubmissionResult from to_dict()'s output.

        Inputs:
        - data: the dict.

        Returns:
        - a SubmissionResult.
        """
        def override(item):
            return None if item is None else Override(**item)

        questions = tuple(QuestionResult(q["name"], tuple(CaseResult(**case) for case in q["cases"]),
                                         override(q.get("override"))) for q in data["questions"])
        return cls(**{**data, "questions": questions,
                      "cell_errors": tuple(tuple(error) for error in data.get("cell_errors", ())),
                      "adjustments": tuple(override(item) for item in data.get("adjustments", ()))})
