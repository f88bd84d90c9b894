"""What grading found: per test case and per question."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """One test case: its name, points, visibility, verdict and message ('' when passed)."""

    name: str
    points: float
    hidden: bool
    passed: bool
    message: str


@dataclasses.dataclass(frozen=True)
class QuestionResult:
    """One question (one otter test file) and its cases, in file order."""

    name: str
    cases: tuple

    @property
    def score(self):
        """Points earned."""
        return sum(case.points for case in self.cases if case.passed)

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
