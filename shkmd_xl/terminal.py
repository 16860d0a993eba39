"""Findings for people (rich table grouped by sheet) and for programs (JSON)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from .forms import sheets as F
from .issues import COLUMN_TITLES, COLUMNS, Findings, Issue, Severity
from .messages import render
from .ru import count, mid_sentence
from .statuses import Status

if TYPE_CHECKING:
    from .collect import CollectResult
    from .federal.results import FederalResult

STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


#: Sheets in the order of the workbook (findings about the whole file first).
SHEET_ORDER = ("", *F.SHEET_ORDER)
#: More findings than this with one code on one sheet are shown as one line.
GROUP_AFTER = 3


def _sheet_key(issue: Issue) -> tuple[int, str]:
    sheet = issue.location.sheet
    return (SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else len(SHEET_ORDER), sheet)


def _rows(issues: list[Issue]) -> list[tuple[str, Severity, str, str]]:
    """(code, severity, where, text) lines; many findings of one code become one line."""
    out = []
    by_code: dict[tuple[str, str, str], list[Issue]] = {}
    for issue in issues:  # «the same thing»: one code, one text but for the values quoted
        same = re.sub(r"«[^»]*»", "«…»", issue.message.split(": ", 1)[-1])
        by_code.setdefault((issue.code, issue.variant, same), []).append(issue)
    for group in by_code.values():
        if len(group) <= GROUP_AFTER:
            for issue in group:
                cell = issue.location.cell
                text = issue.message.split(": ", 1)[-1] if cell else issue.message
                out.append(
                    (issue.code, issue.severity, cell or str(issue.location.row or "—"), text)
                )
            continue
        first = group[0]
        cells = [i.location.cell for i in group if i.location.cell]
        where = f"{cells[0]} … {cells[-1]}" if cells else "—"
        text = first.message.split(": ", 1)[-1] if first.location.cell else first.message
        more = count(len(group) - 1, "ячейке", "ячейках", "ячейках") if cells else ""
        tail = f" Так же — ещё в {more}." if more else f" (всего {len(group)})"
        out.append((first.code, first.severity, where, f"{text}{tail}"))
    return out


def print_findings(console: Console, report: Findings) -> None:
    """One file: a table per sheet in the workbook's order, then the summary line."""
    name = Path(report.files[0]).name if report.files else ""
    ordered = sorted(report.sorted(), key=_sheet_key)
    for sheet, group in groupby(ordered, key=lambda i: i.location.sheet):
        table = Table(
            title=f"{name}: {sheet or 'файл целиком'}",
            title_justify="left",
            show_lines=False,
            expand=True,
        )
        for key in ("code", "severity", "cell"):
            table.add_column(COLUMN_TITLES[key], no_wrap=True)
        table.add_column(COLUMN_TITLES["message"], ratio=1)
        for code, severity, where, text in _rows(list(group)):
            table.add_row(code, f"[{STYLE[severity]}]{severity.ru}[/]", where, text)
        console.print(table)
    stats = report.stats
    if not report.issues:
        console.print(render("cli.check_ok", file=name), style="green")
    else:
        console.print(
            render(
                "cli.check_summary",
                file=name,
                errors=stats[Severity.ERROR.ru],
                warnings=stats[Severity.WARNING.ru],
                infos=stats[Severity.INFO.ru],
            ),
            style="bold",
        )


def print_json(reports: Iterable[Findings]) -> None:
    rows = [row for r in reports for row in r.table()]
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


def collect_summary(result: CollectResult) -> dict[str, int]:
    cons = result.consolidation
    s = cons.summary if cons else {}
    return {
        "received": s.get("received", 0),
        "new": result.new_files,
        "replaced": s.get("replaced", 0),
        "duplicates": s.get("duplicates", 0),
        "rejected": s.get("rejected", 0),
        "late": s.get("late", 0),
        "accepted": s.get(Status.ACCEPTED, 0),
        "remarks": s.get(Status.ACCEPTED_REMARKS, 0),
        "redo": s.get(Status.TO_REDO, 0),
        "missing": s.get(Status.MISSING, 0),
    }


def print_collect_summary(console: Console, result: CollectResult, dry_run: bool) -> None:
    """DHIS2-style import summary of a collect run."""
    counts = collect_summary(result)
    period = result.consolidation.period.name if result.consolidation else result.period
    console.print(render("cli.collect_header", period=mid_sentence(period), **counts), style="bold")
    console.print(render("cli.collect_statuses", **counts))
    if result.consolidation:
        table = Table(show_lines=False)
        for col in ("Код", "Муниципальное образование", "Статус", "Ошибок", "Предупр."):
            table.add_column(col)
        for st in result.consolidation.statuses:
            table.add_row(st.code, st.name, st.status.ru, str(st.errors), str(st.warnings))
        console.print(table)
    if result.expertise is not None:
        console.print(
            render("cli.expertise_read", path=result.expertise, marks=result.expertise_marks)
        )
        for problem in result.expertise_problems:
            console.print(problem, style="yellow")
    for line in result.decisions:
        console.print(line, markup=False)
    for line in result.decision_problems:
        console.print(line, markup=False, style="red")
    if dry_run:
        console.print(render("cli.dry_run"), style="yellow")
    elif "regional" in result.outputs:
        feedback = result.feedback[0].parent if result.feedback else "—"
        console.print(
            render(
                "cli.collect_outputs",
                regional=result.outputs["regional"].resolve(),
                feedback=feedback,
            )
        )


def print_collect_json(result: CollectResult) -> None:
    cons = result.consolidation
    payload = {
        "period": result.period,
        "summary": collect_summary(result),
        "statuses": [
            {
                "code": st.code,
                "municipality": st.name,
                "status": st.status,
                "errors": st.errors,
                "warnings": st.warnings,
                "decision": st.decision["action"] if st.decided and st.decision else None,
            }
            for st in cons.statuses
        ]
        if cons
        else [],
        "findings": [{k: f[k] for k in COLUMNS} for f in cons.findings] if cons else [],
        "outputs": {k: str(v) for k, v in result.outputs.items()},
        "decisions_recorded": result.decisions,
        "decision_problems": result.decision_problems,
    }
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def print_federal_summary(console: Console, result: FederalResult) -> None:
    """One line per region, then where the summary and the tables are."""
    from .federal.results import DONE

    done = [r for r in result.regions if r.status == DONE]
    console.print(
        render(
            "cli.federal_header",
            period=result.period,
            regions=len(result.regions),
            done=len(done),
            municipalities=sum(r.municipalities for r in done),
            submitted=sum(r.submitted for r in done),
        ),
        style="bold",
    )
    table = Table(show_lines=False)
    for col in ("Код", "Регион", "Обработка", "МО", "Представили", "Ошибок", "Что не так"):
        table.add_column(col)
    for r in result.regions:
        ok = r.status == DONE
        table.add_row(
            r.region.code,
            r.region.name,
            r.status,
            str(r.municipalities) if ok else "",
            str(r.submitted) if ok else "",
            str(r.errors) if ok else "",
            r.problem,
            style=None if ok else "red",
        )
    console.print(table)
    console.print(
        render("cli.federal_outputs", summary=result.summary, tables=result.tables), markup=False
    )


def print_federal_json(result: FederalResult) -> None:
    payload = {
        "period": result.period,
        "summary": str(result.summary),
        "tables": str(result.tables),
        "rows": result.rows,
        "regions": [
            {
                "code": r.region.code,
                "name": r.region.name,
                "status": r.status,
                "problem": r.problem,
                "municipalities": r.municipalities,
                "submitted": r.submitted,
                "statuses": dict(r.statuses),
                "errors": r.errors,
                "warnings": r.warnings,
            }
            for r in result.regions
        ],
    }
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
