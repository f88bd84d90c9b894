"""The class report: how the class did per question and per check, the most common root causes, the scores'
distribution, possible copies, and the submissions to look at; a score histogram."""

import collections
import re
import statistics
import urllib.parse

from .csv_table import number
from backprop.grade.results import GRADER_FAILED, one_line, unfinished, without_details

# Markdown that could turn a student's text into a link, an image, HTML or code: escaped with a backslash.
MARKDOWN_ACTIVE = re.compile(r"([\\`\[\]<>])")
HINT = "Hint:"
# What differs between submissions in a message without a hint, in the wordings of backprop.checks.feedback:
# where the bad entry is, the values printed, the shape or length of a wrong output, the answer given, how many
# entries were wrong. Hand-written patterns (no library knows these messages): anything else, such as the 2 of
# "L2" or "2h", belongs to the words and stays.
VARYING = (
    (re.compile(r" at index \([^()]*\)"), ""),  # "... (nan) at index (0, 3)."
    (re.compile(r": expected .*?, got .*?(?=[.;](?:\s|$))"), ""),  # ": expected [0, 2], got [1, 2]."
    (re.compile(r"\bshape \([\d, ]*\)"), "shape (…)"),  # "out has shape (3, 2); expected (N, M) = (2, 3)."
    (re.compile(r" of length \d+"), ""),  # "it is a list of length 3."
    (re.compile(r"; it is (?:'[^']*'|\"[^\"]*\"|[-+]?(?:\d[\d.e+-]*|nan|inf))(?=\.(?:\s|$))"), ""),  # "; it is 'z'."
    (re.compile(r"\b\d+ of (?=\d+ )"), "some of "),  # "3 of 8 examples get the wrong label"
)
TOP_CAUSES = 20  # root causes listed; the rest are summed in one line
TOP_COPIES = 100  # pairs of possible copies listed (and linked to their pages); similarity.csv has every one


def table_cell(text, limit=5000):
    """
    Text as one cell of a Markdown table row: on one line (a file name or a student's message may hold line
    breaks), without the | that would end the cell, and with the characters that make links, images, HTML or
    code escaped (a file named "[grade](https://...)" stays text).

    Inputs:
    - text: any string; limit: the most characters kept.

    Returns:
    - the cell's text.
    """
    return MARKDOWN_ACTIVE.sub(r"\\\1", one_line(text, limit=limit).replace("|", "/"))


def link_target(target):
    """A link's address made inert in Markdown: spaces, brackets, parentheses and quotes percent-encoded."""
    return urllib.parse.quote(str(target), safe="/#")


def root_cause(message):
    """
    What a failure's message says went wrong, the same for every submission that made the same slip.

    Inputs:
    - message: a check's message, e.g. "f: out is wrong (worst relative error ...). Hint: the bias is missing.".

    Returns:
    - the hint's slip ("the bias is missing.") when the message has one (the last "Hint:": an exception's own
      text comes before the checks' hint); else the message without its details (where the worst entry was, the
      values and shapes printed), its other numbers kept ("L2 penalty", "2h").
    """
    before, found, slip = message.rpartition(HINT)
    if found and slip.strip():
        return slip.strip()
    text = without_details(message)
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return text


def no_verdict(result):
    """Whether a result says nothing about the file's code: invalid, or the grader itself failed."""
    return result.status == "invalid" or result.message.startswith(GRADER_FAILED)


def one_per_file(results):
    """
    The results that count when no one says which: a file's identical copies once (an export next to its
    notebook is one), every invalid file (no code to compare).

    Inputs:
    - results: SubmissionResults.

    Returns:
    - a list of SubmissionResult, in the order given.
    """
    seen, kept = set(), []
    for result in results:
        key = result.sha256 or result.submission
        if result.status == "invalid" or key not in seen:
            seen.add(key)
            kept.append(result)
    return kept


def root_causes(counted, questions):
    """
    The root causes of the first failed check of each question, and how many students each one hit; a question
    still a stub is left out (see unfinished_questions), and so is a result that is no verdict on its file.

    Inputs:
    - counted: SubmissionResults, one per student; questions: names in notebook order.

    Returns:
    - a list of (question, cause, number of students), most students first, then in notebook order.
    """
    counts = collections.Counter()
    for result in counted:
        if no_verdict(result):
            continue
        for question in result.questions:
            failed = question.failures()
            if failed and not unfinished(failed[0].message):
                counts[question.name, root_cause(failed[0].message)] += 1
    order = {name: index for index, name in enumerate(questions)}
    return [(name, text, count) for (name, text), count in
            sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0][0], len(order)), item[0]))]


def unfinished_questions(results, questions):
    """
    Per question, how many students' files still raise NotImplementedError in it (their own stub, not a layer's).

    Inputs:
    - results: SubmissionResults, one per student (those with no verdict on their file are left out);
      questions: names in notebook order.

    Returns:
    - a list of (question, number of students), in notebook order, leaving out zeros.
    """
    counts = collections.Counter()
    for result in results:
        if no_verdict(result):
            continue
        for question in result.questions:
            failed = question.failures()
            if failed and unfinished(failed[0].message, question.name):
                counts[question.name] += 1
    return [(name, counts[name]) for name in questions if counts[name]]


def question_table(results, questions):
    """
    Per question: points, mean score, and the share of students with full marks.

    Inputs:
    - results: SubmissionResults, one per student; questions: names in notebook order.

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


def check_pass_rates(counted, questions):
    """
    Per check of every question, how many students' files pass it, over the files with a verdict (invalid files
    and rows where the grader failed are left out).

    Inputs:
    - counted: SubmissionResults, one per student; questions: names in notebook order.

    Returns:
    - a list of (question, check name, hidden, points, students passing, students graded), in notebook order
      and each question's checks in file order.
    """
    tally = {}  # (question, check) -> [hidden, points, passing, graded], in the order first met
    for result in counted:
        if no_verdict(result):
            continue
        for question in result.questions:
            for case in question.cases:
                row = tally.setdefault((question.name, case.name), [case.hidden, case.points, 0, 0])
                row[2] += case.passed
                row[3] += 1
    order = {name: index for index, name in enumerate(questions)}
    keys = sorted(tally, key=lambda key: order.get(key[0], len(order)))  # stable: checks keep their file order
    return [(name, check, *tally[name, check]) for name, check in keys]


def score_distribution(counted, questions):
    """
    Per question, how many students got each score.

    Inputs:
    - counted: SubmissionResults, one per student; questions: names in notebook order.

    Returns:
    - a list of (question, possible, [(score, number of students), ...] by increasing score).
    """
    rows = []
    for name in questions:
        per = [q for result in counted for q in result.questions if q.name == name]
        scores = collections.Counter(q.score for q in per)
        rows.append((name, per[0].possible if per else 0.0, sorted(scores.items())))
    return rows


def _code(name):
    """A question's name as inline code in a table cell (no backtick or | can end it early)."""
    return "`" + one_line(name, limit=200).replace("`", "'").replace("|", "/") + "`"


def _check_label(question, check):
    """A check's name without its question's name in front ("q: worked example" -> "worked example")."""
    return check[len(question) + 2:] if check.startswith(f"{question}: ") else check


def _share(passing, graded):
    """E.g. '69% (9 of 13)'; '-' when no file was graded."""
    return f"{passing / graded:.0%} ({passing} of {graded})" if graded else "-"


def _pass_rate_lines(counted, questions):
    """The section "Pass rate per check": one table, the question named on its first check's row."""
    rows = check_pass_rates(counted, questions)
    graded = sum(not no_verdict(result) for result in counted)
    lines = ["", "## Pass rate per check", "",
             f"The share of students whose file passes each check ({graded} students; invalid files left out).",
             "", "| question | check | kind | points | students passing |", "|---|---|---|---:|---:|"]
    previous = None
    for name, check, hidden, points, passing, total in rows:
        shown = _code(name) if name != previous else ""
        previous = name
        lines.append(f"| {shown} | {table_cell(_check_label(name, check), 200)} | "
                     f"{'hidden' if hidden else 'public'} | {number(points)} | {_share(passing, total)} |")
    return lines


def _distribution_lines(counted, questions):
    """The section "Score distribution per question": score: students, by increasing score."""
    lines = ["", "## Score distribution per question", "",
             f"How many students got each score ({len(counted)} students; score: students).", "",
             "| question | points | students per score |", "|---|---:|---|"]
    for name, possible, scores in score_distribution(counted, questions):
        spread = " · ".join(f"{number(score)}: {count}" for score, count in scores)
        lines.append(f"| {_code(name)} | {number(possible)} | {spread} |")
    return lines


def _cause_lines(counted, questions, top=TOP_CAUSES):
    """The section "Most common root causes": the top ones, and a line for the rest."""
    causes = root_causes(counted, questions)
    lines = ["", "## Most common root causes", "",
             "The first failed check of each question, by the slip its hint names (or, without a hint, its message "
             "without the details that differ between files). Invalid files and unfinished questions are left out.",
             ""]
    if not causes:
        return lines + ["No failure."]
    lines += ["| students | question | cause |", "|---:|---|---|"]
    lines += [f"| {count} | {_code(name)} | {table_cell(text, 500)} |" for name, text, count in causes[:top]]
    rest = causes[top:]
    if rest:
        lines += ["", f"And {len(rest)} rarer causes ({sum(count for _, _, count in rest)} first failures in all)."]
    return lines


def _copies_lines(similar, similar_link):
    """The section "Possible copies": each flagged pair, linked to its comparison when there is one."""
    lines = ["", "## Possible copies", ""]
    if not similar:
        return lines + ["None flagged."]
    lines += ["Pairs of files whose code is alike, most similar first: a reason to compare them, not a verdict.", "",
              "| pair | similarity | submission | submission |", "|---:|---:|---|---|"]
    for index, (first, second, similarity) in enumerate(similar[:TOP_COPIES], start=1):
        pair = f"[{index}]({link_target(similar_link(index))})" if similar_link else str(index)
        lines.append(f"| {pair} | {float(similarity):.1%} | {table_cell(first, 200)} | {table_cell(second, 200)} |")
    if len(similar) > TOP_COPIES:
        lines += ["", f"{len(similar) - TOP_COPIES} more pairs are listed in similarity.csv."]
    return lines


def _header_lines(results, counted, guessed, late, missing=0):
    """The report's title, the files by status, the students counted (and late), their scores' summary."""
    statuses = collections.Counter(result.status for result in results)
    lines = ["# Class report", "", f"{len(results)} submissions: "
             + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())), ""]
    students = f"{len(counted)} students counted" + (" (a file's identical copies once)" if guessed else "")
    lines += [students + (f"; {late} of them submitted late." if late is not None else ".")
              + (f" {missing} students on the roster submitted nothing (students.csv lists them)." if missing else ""),
              ""]
    scores = [result.score for result in counted]
    if scores:
        lines += [f"Score out of {number(counted[0].possible)}: mean {statistics.fmean(scores):.1f}, median "
                  f"{number(statistics.median(scores))}, min {number(min(scores))}, max {number(max(scores))}.", ""]
    return lines


def report_markdown(results, questions, histogram_name="scores.png", isolation="", *, counted=None, late=None,
                    similar=(), similar_link=None, missing=0):
    """
    The class report as Markdown.

    Inputs:
    - results: every file's SubmissionResult (the submissions to look at are among them).
    - questions: names in notebook order.
    - histogram_name: the PNG the report links to; isolation: how the sandbox was isolated.
    - counted: the results that count, one per student (default: results, a file's identical copies once);
      the class's figures (means, pass rates, causes, distributions) are over them.
    - late: how many students' counted submissions are late (None: unknown, not shown).
    - missing: how many students of the roster handed in nothing.
    - similar: (submission, submission, similarity in [0, 1]) of the flagged pairs, most similar first.
    - similar_link: a function of a pair's number (1 for the first of similar) giving the address of its
      comparison, e.g. "similarity/001.html"; None for no links.

    Returns:
    - the Markdown text (the same inputs give the same text).
    """
    guessed = counted is None
    counted = one_per_file(results) if guessed else list(counted)
    lines = _header_lines(results, counted, guessed, late, missing)
    if isolation:
        lines += [f"Sandbox: {isolation}.", ""]
    lines += [f"![Histogram of scores]({link_target(histogram_name)})", "", "## Per question", "",
              "| question | points | mean | full marks |", "|---|---:|---:|---:|"]
    for name, points, mean, rate in question_table(counted, questions):
        lines.append(f"| {_code(name)} | {number(points)} | {mean:.2f} | {rate:.0%} |")
    lines += _distribution_lines(counted, questions)
    lines += _pass_rate_lines(counted, questions)
    lines += _cause_lines(counted, questions)
    still = unfinished_questions(counted, questions)
    if still:
        lines += ["", "## Unfinished questions (still raising NotImplementedError)", "", "| question | students |",
                  "|---|---:|"]
        lines += [f"| {_code(name)} | {count} |" for name, count in still]
    lines += _copies_lines(similar, similar_link)
    flagged = [result for result in results if result.status != "graded" or result.score == 0]
    if flagged:
        lines += ["", "## Submissions to look at (not fully graded, or 0 points)", "",
                  "| submission | status | message |", "|---|---|---|"]
        for result in flagged:
            lines.append(f"| {table_cell(result.submission, 200)} | {result.status} | {table_cell(result.message)} |")
    return "\n".join(lines) + "\n"


def histogram_png(results, path, unit="submissions"):
    """
    Save a histogram of the scores as a PNG.

    Inputs:
    - results: SubmissionResults; path: where to write the PNG; unit: what one result is ("students": each
      student's counted file).
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
    ax.set(xlabel=f"score (out of {number(possible)})", ylabel=unit,
           title=f"Scores of {len(results)} {unit}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
