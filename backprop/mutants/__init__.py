"""Mutation report of the test suite: how many small bugs planted in the reference do the checks catch?

- operators: the AST operators, and mutants_of(source, function_name).
- run: grade each mutant (the reference with one function mutated) in parallel, as make grade does.
- report: the table per question, survivors with their diffs, the markdown, the final line.

Everything about the assignment is read from the autograder folder (assignment.json, reference.py).
"""

from .operators import OPERATORS, Mutant, mutants_of
from .report import build, final_line, load_equivalent, markdown, text
from .run import Outcome, Run, run_mutants

__all__ = ["OPERATORS", "Mutant", "Outcome", "Run", "build", "final_line", "load_equivalent", "markdown",
           "mutants_of", "run_mutants", "text"]
