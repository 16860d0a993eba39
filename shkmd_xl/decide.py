"""Recording the region's decisions: from the command line (``shkmd-xl decide``) and from
the «Решения» sheet of the previous regional workbook (read back by collect)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .campaign.models import Campaign
from .consolidate.consolidation import Consolidation, consolidate
from .consolidate.decisions import DecisionError, Proposed, find_municipality, record
from .forms import decisions as D
from .messages import render
from .reader.decisions import read_decisions
from .ru import date
from .store.sqlite import Store


@dataclass
class SheetOutcome:
    """What collect did with a «Решения» sheet."""

    recorded: list[str] = field(default_factory=list)  # messages
    problems: list[str] = field(default_factory=list)  # messages naming the cell
    unrecorded: dict[str, dict[str, Any]] = field(default_factory=dict)


def recorded_message(done: dict[str, Any], period: str) -> str:
    """«Записано решение по … : принять, сняты замечания: RM02 (причина: …)»."""
    from .statuses import Decision

    action = Decision(done["action"])
    details = ""
    if done["deadline"] and action == Decision.RETURN:
        details += render("decide.deadline_set", deadline=date(done["deadline"]))
    if done["waived"]:
        details += render("decide.waived_set", waived=", ".join(done["waived"]))
    if done["reason"]:
        details += render("decide.reason_set", reason=done["reason"])
    return render(
        "decide.recorded",
        name=done["name"],
        period=period,
        decision=action.ru,
        details=details,
        file=done["file"],
    )


def sheet_decisions(
    store: Store, campaign: Campaign, cons: Consolidation, path: Path, who: str = ""
) -> SheetOutcome:
    """Record the decisions typed in ``path``'s «Решения» (a rerun records nothing
    twice); a refused row keeps what was typed and why, for the next «Решения»."""
    out = SheetOutcome()
    if not path.is_file():
        return out
    read = read_decisions(path, cons.period.code)
    out.problems += read.problems
    for row in read.rows:
        problem = row.problem
        if not problem and row.action is not None:
            proposed = Proposed(
                row.code,
                row.action,
                row.reason,
                row.deadline,
                tuple(row.waived),
                row.hash,
                who,
                source=f"лист «{D.SHEET}»",
            )
            try:
                done = record(store, campaign, cons, proposed)
            except DecisionError as exc:
                cell = row.cell(exc.field)
                problem = render(
                    "decide.sheet_cell",
                    file=path.name,
                    cell=cell,
                    problem=render(
                        "decide.sheet_row",
                        row=row.row,
                        municipality=row.municipality or row.code,
                        problem=str(exc),
                    ),
                )
            else:
                if done is not None:
                    out.recorded.append(recorded_message(done, cons.period.name))
                continue
        out.problems.append(problem)
        try:
            code = find_municipality(campaign, row.code)
        except DecisionError:
            continue
        out.unrecorded[code] = {**row.typed, "problem": problem}
    return out


def with_sheet(
    store: Store, campaign: Campaign, cons: Consolidation, path: Path, who: str = ""
) -> tuple[Consolidation, SheetOutcome]:
    """The consolidation after the sheet's decisions are recorded."""
    outcome = sheet_decisions(store, campaign, cons, path, who)
    if outcome.recorded:
        cons = consolidate(store, campaign, cons.period.code)
    cons.unrecorded = outcome.unrecorded
    return cons, outcome
