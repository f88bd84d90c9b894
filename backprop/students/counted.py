"""Which of a student's files counts: the best score; the rule for ties is the documented order below."""


def counted_file(handins):
    """
    The file that counts for one student, among every file they handed in.

    The rule: the highest score counts. Among equal scores: a file graded in full (status graded) before one that
    was not (timeout, error, invalid; as the Gradescope run chooses), then a file handed in on time before a late
    one, then the later upload (the larger Canvas attachment id or Gradescope submission id; a file without one
    comes after those with one), then the path that sorts first.

    Inputs:
    - handins: (SubmissionResult, Identity) pairs, at least one.

    Returns:
    - the (SubmissionResult, Identity) pair that counts.
    """
    def merit(handin):
        result, identity = handin
        order = identity.order if identity.order is not None else -1
        return (result.score, result.status == "graded", not identity.late, order)

    by_path = sorted(handins, key=lambda handin: handin[0].submission)
    return max(by_path, key=merit)  # max keeps the first of equals: the path that sorts first
