"""Grade the mutants of the reference in parallel, in the worker pool of make grade.

Each mutant is graded as a submission: the whole reference module with one function mutated, run in
the sandbox, with the tests of that function's question only. Its failed cases say whether the
public checks alone, or all checks, kill it.
"""

import ast
import dataclasses
import functools
import os
import pathlib
import sys

from backprop.grade import grade_cells, question_order
from backprop.grade.batch import in_pool  # make grade's pool: capped memory, Ctrl-C, retries when a worker dies
from backprop.sandbox.process import Limits

from .operators import mutants_of

LOST = "its grading worker died, alone in a fresh worker too"


@dataclasses.dataclass(frozen=True)
class Outcome:
    """
    What the checks of its question made of one mutant.

    - mutant: the Mutant.
    - public, hidden: the names of the failed public and hidden cases of the mutant's question.
    - status: how grading ended (graded, timeout, error; lost when the grading worker itself died).
    """

    mutant: object
    public: tuple
    hidden: tuple
    status: str = "graded"

    @property
    def killed_all(self):
        """True when a case of the question, public or hidden, fails."""
        return bool(self.public or self.hidden)

    @property
    def killed_public(self):
        """True when a public case of the question fails."""
        return bool(self.public)


@dataclasses.dataclass(frozen=True)
class Run:
    """
    A graded set of mutants.

    - questions: the questions mutated, in notebook order; every_question: all of the autograder's.
    - outcomes: an Outcome per mutant, in question then source order.
    - stillborn: question -> the mutants that did not compile.
    """

    questions: list
    every_question: list
    outcomes: list
    stillborn: dict


def _grade(job, autograder_dir, limits):
    """
    Grade one module source with the tests of some questions (in a worker process).

    Inputs:
    - job: (key, questions, source); autograder_dir: the autograder folder; limits: a Limits.

    Returns:
    - (key, {question: (failed public case names, failed hidden case names)}, status).
    """
    key, questions, source = job
    result = grade_cells([(0, source)], autograder_dir, limits, submission=f"mutant {key}", questions=list(questions))
    failures = {question.name: (tuple(case.name for case in question.failures(hidden=False)),
                                tuple(case.name for case in question.failures(hidden=True)))
                for question in result.questions}
    return key, failures, result.status


def grade_sources(jobs, autograder_dir, limits=Limits(), workers=None, on_graded=lambda answer: None):
    """
    Grade module sources in parallel, each with the tests of some questions.

    Inputs:
    - jobs: (key, questions, source) triples, keys distinct and sortable.
    - autograder_dir: the autograder folder; limits: a Limits; workers: processes (default: every core).
    - on_graded: called with each answer as it arrives.

    Returns:
    - a dict key -> ({question: (failed public names, failed hidden names)}, status); a job whose worker
      died twice fails every question with LOST and status lost.
    """
    answers = {}
    by_key = {job[0]: job for job in jobs}

    def finish(answer):
        answers[answer[0]] = answer[1:]
        on_graded(answer)

    def lost(job):
        finish((job[0], {question: ((LOST,), ()) for question in job[1]}, "lost"))

    grade = functools.partial(_grade, autograder_dir=pathlib.Path(autograder_dir), limits=limits)
    if jobs:
        in_pool(sorted(by_key.values()), grade, workers or os.cpu_count() or 1, limits.memory_mb, finish, lost)
    return answers


def check_reference(reference, autograder_dir, questions, limits=Limits()):
    """
    Make sure the unmutated reference passes every check of the questions (else every mutant would be
    'killed' and the report would mean nothing).

    Inputs:
    - reference: the reference module's source; autograder_dir, questions, limits: as for run_mutants.

    Returns:
    - nothing; RuntimeError naming the failed cases when a check fails.
    """
    answers = grade_sources([(0, tuple(questions), reference)], autograder_dir, limits, workers=1)
    failures, status = answers[0]
    failed = [f"{question}: {name}" for question, (public, hidden) in failures.items() for name in public + hidden]
    if failed or status != "graded":
        raise RuntimeError(f"the reference itself does not pass its checks (grading {status}): "
                           + "; ".join(failed or ["no case failed"]))


def run_mutants(autograder_dir, questions=None, workers=None, limits=Limits(), on_outcome=lambda *shown: None):
    """
    Generate the mutants of the reference's functions and grade them.

    Inputs:
    - autograder_dir: an assignment's autograder folder (assignment.json, reference.py, tests/).
    - questions: the questions to mutate (default: every one); workers: processes (default: every core).
    - limits: a Limits; on_outcome: called with each Outcome as it arrives, the number graded and the total.

    Returns:
    - a Run; ValueError for a question the autograder does not have, RuntimeError when the reference fails.
    """
    autograder_dir = pathlib.Path(autograder_dir)
    every = question_order(autograder_dir)
    questions = list(questions or every)
    unknown = [question for question in questions if question not in every]
    if unknown:
        raise ValueError(f"no question {', '.join(unknown)} in {autograder_dir / 'assignment.json'}")
    reference = (autograder_dir / "reference.py").read_text()
    functions = {node.name for node in ast.parse(reference).body if isinstance(node, ast.FunctionDef)}
    values = [question for question in questions if question not in functions]
    if values and questions != every:
        raise ValueError(f"{', '.join(values)}: a question that asks for a value, not a function, has no mutants")
    questions = [question for question in every if question in questions and question in functions]
    generated = {question: mutants_of(reference, question) for question in questions}
    check_reference(reference, autograder_dir, questions, limits)
    mutants = [mutant for question in questions for mutant in generated[question].mutants]
    outcomes = {}

    def on_graded(answer):
        key, failures, status = answer
        mutant = mutants[key]
        outcomes[key] = Outcome(mutant, *failures[mutant.question], status)
        on_outcome(outcomes[key], len(outcomes), len(mutants))

    grade_sources([(key, (mutant.question,), mutant.source) for key, mutant in enumerate(mutants)],
                  autograder_dir, limits, workers, on_graded)
    return Run(questions, every, [outcomes[key] for key in range(len(mutants))],
               {question: generated[question].stillborn for question in questions})


class Progress:
    """
    Show each graded mutant: a line redrawn in place on a terminal, one line per mutant elsewhere.

    Inputs:
    - stream: where to write (default stderr).
    """

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.killed = 0

    def __call__(self, outcome, done, total):
        """Show one Outcome, the done-th of total."""
        self.killed += outcome.killed_all
        if self.stream.isatty():
            end = "\n" if done == total else ""
            self.stream.write(f"\rmutants graded {done}/{total}, killed by all checks {self.killed}{end}")
        else:
            verdict = ("killed by a public check" if outcome.killed_public
                       else "killed by a hidden check only" if outcome.killed_all else "survived")
            self.stream.write(f"[{done}/{total}] {outcome.mutant.question}: {outcome.mutant.id}: {verdict}\n")
        self.stream.flush()
