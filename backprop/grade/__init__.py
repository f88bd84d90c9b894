"""Grade submissions: definition cells run in a sandbox, otter test files run here against proxies.

- submission: a file (.ipynb or export .zip) -> a notebook, or InvalidSubmission.
- notebook_code: the cells grading runs (not checks, training or plots).
- sandboxed: those cells in a sandbox process, restarted after crashes.
- test_runner: otter test files, run in this trusted process.
- grader: one file -> SubmissionResult; batch: a folder, in parallel, into a results folder.
- scope: the whole class folder, or a part of it merged into the class's results; store: the results folder.
- overrides: a TA's overrides.csv, checked before grading, applied on every run.
"""

from .grader import grade_cells, grade_file, question_order
from .notebook_code import definition_cells
from .results import CaseResult, QuestionResult, SubmissionResult
from .test_runner import run_question, run_tests

__all__ = ["CaseResult", "QuestionResult", "SubmissionResult", "definition_cells", "grade_cells", "grade_file",
           "question_order", "run_question", "run_tests"]
