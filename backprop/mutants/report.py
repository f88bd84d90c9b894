"""The mutation report: a table per question, the survivors and their diffs, and one final line.

Equivalent mutants (no test could tell them from the reference) come from a reviewed JSON list of
{"question", "mutant" (its id), "reason"}; they are shown as such and left out of the percentages.
An entry that matches no mutant is stale and gets a warning.
"""

import dataclasses
import json
import pathlib

COLUMNS = ("question", "mutants", "equivalent", "killed by all checks", "by public checks alone", "survivors",
           "stillborn")


def load_equivalent(path):
    """
    Read the reviewed list of equivalent mutants.

    Inputs:
    - path: a JSON file holding a list of {"question", "mutant", "reason"}, each a non-empty string.

    Returns:
    - the list of entries (dicts); ValueError naming the first malformed one.
    """
    entries = json.loads(pathlib.Path(path).read_text())
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a JSON list of {{question, mutant, reason}}")
    for number, entry in enumerate(entries, 1):
        fields = ("question", "mutant", "reason")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) and entry[f].strip() for f in fields):
            raise ValueError(f"{path}: entry {number} needs non-empty strings question, mutant and reason")
    return entries


@dataclasses.dataclass(frozen=True)
class Row:
    """
    One question's counts: mutants (equivalent ones included), equivalent, killed by all checks and by
    the public checks alone (equivalent ones excluded), survivors (not killed, not equivalent), stillborn.
    """

    question: str
    mutants: int
    equivalent: int
    killed_all: int
    killed_public: int
    survivors: int
    stillborn: int


@dataclasses.dataclass(frozen=True)
class Report:
    """
    A mutation report.

    - rows: a Row per question, then the total (question 'total').
    - survivors: the Outcomes no check kills (equivalent ones excluded).
    - hidden_only: the Outcomes that only hidden checks kill.
    - equivalent: (Outcome, reason) pairs.
    - warnings: lines to show (stale list entries, equivalent mutants that a check kills, lost gradings).
    """

    rows: list
    survivors: list
    hidden_only: list
    equivalent: list
    warnings: list

    @property
    def total(self):
        """The total Row."""
        return self.rows[-1]


def _row(question, outcomes, equivalent_ids, stillborn):
    """One question's Row (see Row) from its Outcomes, the ids declared equivalent and its stillborn count."""
    counted = [outcome for outcome in outcomes if outcome.mutant.id not in equivalent_ids]
    return Row(question, len(outcomes), len(outcomes) - len(counted), sum(o.killed_all for o in counted),
               sum(o.killed_public for o in counted), sum(not o.killed_all for o in counted), stillborn)


def build(run, equivalent_entries=()):
    """
    Classify a run's mutants and count them.

    Inputs:
    - run: a Run (see run.py).
    - equivalent_entries: the reviewed list, as load_equivalent returns it.

    Returns:
    - a Report.
    """
    reasons = {(e["question"], e["mutant"]): e["reason"] for e in equivalent_entries}
    ids = {(outcome.mutant.question, outcome.mutant.id) for outcome in run.outcomes}
    warnings = [f"equivalent list: {question}: no mutant '{mutant}' (a stale entry: update or remove it)"
                for question, mutant in reasons
                if (question in run.questions or question not in run.every_question) and (question, mutant) not in ids]
    rows, survivors, hidden_only, equivalent = [], [], [], []
    for question in run.questions:
        outcomes = [outcome for outcome in run.outcomes if outcome.mutant.question == question]
        declared = {mutant for q, mutant in reasons if q == question}
        rows.append(_row(question, outcomes, declared, len(run.stillborn.get(question, ()))))
        for outcome in outcomes:
            key = (question, outcome.mutant.id)
            if key in reasons:
                equivalent.append((outcome, reasons[key]))
                if outcome.killed_all:
                    warnings.append(f"equivalent list: {question}: '{outcome.mutant.id}' fails "
                                    f"{', '.join(outcome.public + outcome.hidden)}: it is not equivalent")
            elif not outcome.killed_all:
                survivors.append(outcome)
            elif not outcome.killed_public:
                hidden_only.append(outcome)
            if outcome.status == "lost":
                warnings.append(f"{question}: '{outcome.mutant.id}': {outcome.public[0]} (counted as killed)")
    totals = [sum(getattr(row, field.name) for row in rows) for field in dataclasses.fields(Row)[1:]]
    return Report(rows + [Row("total", *totals)], survivors, hidden_only, equivalent, warnings)


def percent(count, row):
    """
    A count as a percentage of a row's non-equivalent mutants.

    Inputs:
    - count: killed mutants; row: a Row.

    Returns:
    - e.g. '93.5%', or 'n/a' when every mutant is equivalent (or there is none).
    """
    counted = row.mutants - row.equivalent
    return f"{100 * count / counted:.1f}%" if counted else "n/a"


def final_line(report):
    """
    The report's last line.

    Inputs:
    - report: a Report.

    Returns:
    - 'mutants N, killed by all checks K (P%), by public checks alone Kp (Pp%), equivalent E'.
    """
    total = report.total
    return (f"mutants {total.mutants}, killed by all checks {total.killed_all} ({percent(total.killed_all, total)}), "
            f"by public checks alone {total.killed_public} ({percent(total.killed_public, total)}), "
            f"equivalent {total.equivalent}")


def _cells(row):
    """A Row as table cells, in COLUMNS order."""
    return [row.question, str(row.mutants), str(row.equivalent), f"{row.killed_all} ({percent(row.killed_all, row)})",
            f"{row.killed_public} ({percent(row.killed_public, row)})", str(row.survivors), str(row.stillborn)]


def _named(outcome):
    """A mutant's question, id and line."""
    return f"{outcome.mutant.question}: {outcome.mutant.id} (line {outcome.mutant.line})"


def text(report):
    """
    The report for a terminal: the table, the survivors with their diffs, the equivalent mutants,
    the warnings, and the final line last.

    Inputs:
    - report: a Report.

    Returns:
    - the text.
    """
    table = [list(COLUMNS)] + [_cells(row) for row in report.rows]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths)))
             for cells in table]
    lines.insert(-1, "-" * len(lines[0]))
    lines.insert(0, "Mutation report: each mutant graded with its question's checks; percentages over the mutants "
                    "not declared equivalent")
    lines.append("")
    lines.append(f"Survivors (no check fails): {len(report.survivors)}")
    for outcome in report.survivors:
        lines.append(f"  {_named(outcome)}")
        lines.extend(f"      {line}" for line in outcome.mutant.diff.splitlines())
    if report.equivalent:
        lines.append(f"Equivalent (declared, not in the percentages): {len(report.equivalent)}")
        lines.extend(f"  {_named(outcome)}: {reason}" for outcome, reason in report.equivalent)
    lines.extend(f"warning: {warning}" for warning in report.warnings)
    lines.append(final_line(report))
    return "\n".join(lines)


def _listing(title, outcomes, diffs, note=""):
    """A markdown section listing mutants, with their diffs or not; note(outcome) is written after each."""
    lines = [f"## {title} ({len(outcomes)})", ""]
    for outcome in outcomes:
        lines.append(f"- `{_named(outcome)}`{note(outcome) if note else ''}")
        if diffs:
            lines.extend(["", "  ```diff", *(f"  {line}" for line in outcome.mutant.diff.splitlines()), "  ```"])
    return lines + ([] if outcomes else ["None."]) + [""]


def markdown(report):
    """
    The report as markdown: the table, survivors with diffs, mutants only hidden checks kill, the
    equivalent ones and their reasons, warnings, and the final line.

    Inputs:
    - report: a Report.

    Returns:
    - the markdown text.
    """
    lines = ["# Mutation report of the tests", "",
             "Each mutant is the reference with one small change to one function, graded with that question's "
             "checks. Percentages are over the mutants not declared equivalent.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" + "---:|" * (len(COLUMNS) - 1)]
    for row in report.rows:
        cells = _cells(row)
        if row.question == "total":
            cells = [f"**{cell}**" for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += _listing("Survivors: no check fails", report.survivors, diffs=True)
    lines += _listing("Killed by hidden checks only", report.hidden_only, diffs=False,
                      note=lambda outcome: f": {', '.join(outcome.hidden)}")
    reasons = {(outcome.mutant.question, outcome.mutant.id): reason for outcome, reason in report.equivalent}
    lines += _listing("Equivalent (reviewed list)", [outcome for outcome, _ in report.equivalent], diffs=False,
                      note=lambda outcome: f": {reasons[outcome.mutant.question, outcome.mutant.id]}")
    if report.warnings:
        lines += ["## Warnings", "", *(f"- {warning}" for warning in report.warnings), ""]
    lines.append(final_line(report))
    return "\n".join(lines) + "\n"
