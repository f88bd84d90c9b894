"""results.json in Gradescope's autograder schema, for one submission."""

import json

from .csv_table import number

VISIBLE, AFTER_PUBLISHED = "visible", "after_published"


def _entry(question, cases, label, visibility):
    failed = [case for case in cases if not case.passed]
    output = "\n".join(f"{case.name}: {case.message}" for case in failed) or "All checks passed."
    return {"name": f"{question.name} ({label})", "score": sum(c.points for c in cases if c.passed),
            "max_score": sum(c.points for c in cases), "status": "failed" if failed else "passed",
            "output": output, "visibility": visibility}


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
                tests.append(_entry(question, cases, label, visibility))
    first_failure = next((case for question in result.questions for case in question.cases
                          if not case.passed and not case.hidden), None)
    summary = f"Score {number(result.score)} / {number(result.possible)}."
    if result.status != "graded":
        summary += f" {result.status}: {result.message}"
    elif first_failure is not None:
        summary += f" First failed check: {first_failure.name}: {first_failure.message}"
    return _document(result.score, result.seconds, f"{note} {summary}".strip(), tests)


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
