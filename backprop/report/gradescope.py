"""results.json in Gradescope's autograder schema, for one submission."""

import json

from .csv_table import number
from .student_feedback import staff_change

VISIBLE, AFTER_PUBLISHED = "visible", "after_published"


def _without_name(question, text):
    """A case name or message without the leading '<question>: ' (the entry already names the question)."""
    return text.removeprefix(f"{question.name}: ")


def _entry(question, cases, label, visibility, graded):
    failed = [case for case in cases if not case.passed]
    if not graded:
        output = "Not graded: the summary at the top says why."
    else:
        output = "\n".join(f"{_without_name(question, case.name)}: {_without_name(question, case.message)}"
                           for case in failed) or "All checks passed."
    return {"name": f"{question.name} ({label})", "score": sum(c.points for c in cases if c.passed),
            "max_score": sum(c.points for c in cases), "status": "failed" if failed else "passed",
            "output": output, "visibility": visibility}


def summary(result):
    """
    The top-level output: the score, then why the file was not fully graded, else its first failed public
    check, else the points lost in hidden checks (whose details wait for publication).

    Inputs:
    - result: a SubmissionResult.

    Returns:
    - one or two sentences.
    """
    text = f"Score {number(result.score)} / {number(result.possible)}."
    if result.overrides:
        text += "".join(f" Changed by course staff: {staff_change(item, result)}." for item in result.overrides)
    if result.status != "graded":
        return f"{text} {result.status}: {result.message}"
    for question in result.questions:
        for case in question.cases:
            if not case.passed and not case.hidden:
                return f"{text} First failed check: {case.name}: {_without_name(question, case.message)}"
    hidden_lost = result.possible - result.score
    if hidden_lost:
        points = f"{number(hidden_lost)} point" + ("s were" if hidden_lost != 1 else " was")
        return (f"{text} Every public check passed; {points} lost in hidden checks, "
                "whose details appear when grades are published.")
    return text


def results_json(result, note=""):
    """
    Gradescope's results.json for a SubmissionResult.

    Inputs:
    - result: a SubmissionResult.
    - note: a sentence put before the summary (which file of several was graded, say).

    Returns:
    - the JSON text: score, execution_time, output, stdout_visibility and one test entry
      per question and kind (public checks visible, hidden ones after grades are published).
    """
    tests = []
    for question in result.questions:
        for hidden, label, visibility in ((False, "public checks", VISIBLE), (True, "hidden checks", AFTER_PUBLISHED)):
            cases = [case for case in question.cases if case.hidden == hidden]
            if cases:
                tests.append(_entry(question, cases, label, visibility, result.status != "invalid"))
    return _document(result.score, result.seconds, f"{note} {summary(result)}".strip(), tests)


def failure_json(reason, seconds):
    """
    Gradescope's results.json when nothing could be graded because the autograder itself failed.

    Inputs:
    - reason: what happened, in a sentence; seconds: the time spent.

    Returns:
    - the JSON text: score 0 and an output that says this is not a verdict on the student's work.
    """
    output = (f"The autograder could not grade this submission: {reason}. This is not a verdict on your work: "
              "please tell your instructor, who can run the autograder again.")
    return _document(0, seconds, output, [])


def _document(score, seconds, output, tests):
    return json.dumps({"score": score, "execution_time": round(max(seconds, 0), 3), "output": output,
                       "stdout_visibility": "hidden", "tests": tests}, indent=1) + "\n"
