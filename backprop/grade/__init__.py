"""Grade a notebook: load its definitions, run the otter test files against them.

This first version runs the student's code in the calling process, which is
fine for the framework's own tests and for a TA's trusted fixtures; the batch
grader isolates it in a sandbox (see the batch-grading issue).
"""

from .notebook_code import definition_cells
from .namespace import load_definitions
from .notebook import grade_notebook, question_order
from .results import CaseResult, QuestionResult
from .test_runner import run_question, run_tests

__all__ = ["CaseResult", "QuestionResult", "definition_cells", "grade_notebook", "load_definitions", "question_order", "run_question", "run_tests"]
