"""The class report: how the class did per question, the most common failures, a score histogram."""

import collections
import re
import statistics

from .csv_table import number
from backprop.grade.results import one_line, unfinished, without_details

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)


def table_cell(text, limit=5000):
    """
    Text as one cell of a Markdown table row: on one line (a file name or a student's message may hold line
    breaks), without the | that would end the cell.

    Inputs:
    - text: any string; limit: the most characters kept.

    Returns:
    - the cell's text.
    """
    return one_line(text, limit=limit).replace("|", "/")


def cause(message):
    """
    A failure's cause, without what differs between submissions: the numbers, and where the worst entry was.

    Inputs:
    - message: a check's message, e.g. "f: out is wrong (worst relative error ...). Hint: the bias is missing.".

    Returns:
    - e.g. "f: out is wrong. Hint: the bias is missing." (other numbers masked as #).
    """
    return NUMBER.sub("#", without_details(message))


def _distinct(results):
    """The graded results, each file's bytes counted once (a copy, or an export next to its notebook, is one)."""
    seen, kept = set(), []
    for result in results:
        key = result.sha256 or result.submission
        if result.status != "invalid" and key not in seen:
            seen.add(key)
            kept.append(result)
    return kept


def common_failures(results, top=15):
    """
    The most frequent causes of the first failure of each question; unfinished questions are counted apart.

    Inputs:
    - results: SubmissionResults (invalid ones are left out: their reason is in their row; identical files
      count once); top: how many.

    Returns:
    - a list of ("check: cause", number of submissions), most frequent first.
    """
    counts = collections.Counter()
    for result in _distinct(results):
        for question in result.questions:
            failed = question.failures()
            if failed and not unfinished(failed[0].message):
                counts[f"{failed[0].name}: {cause(failed[0].message)}"] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def unfinished_questions(results, questions):
    """
    Per question, how many submissions still raise NotImplementedError in it (their own stub, not a layer's).

    Inputs:
    - results: SubmissionResults (identical files count once); questions: names in notebook order.

    Returns:
    - a list of (question, number of submissions), in notebook order, leaving out zeros.
    """
    counts = collections.Counter()
    for result in _distinct(results):
        for question in result.questions:
            failed = question.failures()
            if failed and unfinished(failed[0].message, question.name):
                counts[question.name] += 1
    return [(name, counts[name]) for name in questions if counts[name]]


def question_table(results, questions):
    """
    Per question: points, mean score, and the share of submissions with full marks.

    Inputs:
    - results: SubmissionResults; questions: names in notebook order.

    Returns:
    - a list of (question, possible, mean, pass rate).
    """
    rows = []
    for name in questions:
        per = [q for result in results for q in result.questions if q.name == name]
        possible = per[0].possible if per else 0.0
        mean = statistics.fmean(q.score for q in per) if per else 0.0
        rate = sum(q.score == q.possible for q in per) / len(per) if per else 0.0
        rows.append((name, possible, mean, rate))
    return rows


def report_markdown(results, questions, histogram_name="scores.png", isolation=""):
    """
    The class report as Markdown.

    Inputs:
    - results: SubmissionResults; questions: names in notebook order.
    - histogram_name: the PNG the report links to; isolation: how the sandbox was isolated.

    Returns:
    - the Markdown text.
    """
    scores = [result.score for result in results]
    possible = results[0].possible if results else 0
    statuses = collections.Counter(result.status for result in results)
    lines = ["# Class report", "",
             f"{len(results)} submissions: " + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())),
             ""]
    if scores:
        lines += [f"Score out of {number(possible)}: mean {statistics.fmean(scores):.1f}, "
                  f"median {number(statistics.median(scores))}, min {number(min(scores))}, max {number(max(scores))}.", ""]
    if isolation:
        lines += [f"Sandbox: {isolation}.", ""]
    lines += [f"![Histogram of scores]({histogram_name})", "", "## Per question", "",
              "| question | points | mean | full marks |", "|---|---:|---:|---:|"]
    for name, points, mean, rate in question_table(results, questions):
        lines.append(f"| `{name}` | {number(points)} | {mean:.2f} | {rate:.0%} |")
    lines += ["", "## Most common mistakes", "",
              "The first failed check of each question, by cause (numbers masked as #; identical files count once).", "",
              "| submissions | check: cause |", "|---:|---|"]
    for message, count in common_failures(results):
        lines.append(f"| {count} | {table_cell(message)} |")
    still = unfinished_questions(results, questions)
    if still:
        lines += ["", "## Unfinished questions (still raising NotImplementedError)", "", "| question | submissions |", "|---|---:|"]
        lines += [f"| `{name}` | {count} |" for name, count in still]
    flagged = [result for result in results if result.status != "graded" or result.score == 0]
    if flagged:
        lines += ["", "## Submissions to look at (not fully graded, or 0 points)", "", "| submission | status | message |", "|---|---|---|"]
        for result in flagged:
            lines.append(f"| {table_cell(result.submission, 200)} | {result.status} | {table_cell(result.message)} |")
    return "\n".join(lines) + "\n"


def histogram_png(results, path):
    """
    Save a histogram of the scores as a PNG.

    Inputs:
    - results: SubmissionResults; path: where to write the PNG.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    possible = results[0].possible if results else 1.0
    fig, ax = plt.subplots(figsize=(7, 3.5))
    graded = [result.score for result in results if result.status == "graded"]
    others = [result.score for result in results if result.status != "graded"]
    # bins of whole points (a few points each for a large total), the last one for full marks alone, so that
    # a full-marks bar never merges with near misses
    width = max(1, int(-(-(possible or 1) // 40)))
    edges = list(range(0, int(possible), width)) + [possible - 0.5, possible + 0.5]
    edges = sorted(set(edge for edge in edges if edge <= possible + 0.5))
    ax.hist([graded, others], bins=edges, stacked=True, color=["#4477aa", "#cc6677"],
            edgecolor="white", label=["graded", "invalid, timeout or error"])
    ax.legend(loc="upper center")
    ax.set(xlabel=f"score (out of {number(possible)})", ylabel="submissions",
           title=f"Scores of {len(results)} submissions")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
