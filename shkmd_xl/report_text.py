"""Findings for people (rich table grouped by sheet) and for programs (JSON)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .issues import Report, Severity
from .messages import render

STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_report(console: Console, report: Report) -> None:
    """One file: a table per sheet, then the summary line."""
    name = Path(report.files[0]).name if report.files else ""
    for sheet, group in groupby(report.sorted(), key=lambda i: i.location.sheet):
        table = Table(
            title=f"{name}: {sheet or 'файл целиком'}",
            title_justify="left",
            show_lines=False,
            expand=True,
        )
        table.add_column("Код", no_wrap=True)
        table.add_column("Важность", no_wrap=True)
        table.add_column("Ячейка", no_wrap=True)
        table.add_column("Замечание", ratio=1)
        for issue in group:
            table.add_row(
                issue.code,
                f"[{STYLE[issue.severity]}]{issue.severity.ru}[/]",
                issue.location.cell or (str(issue.location.row or "") or "—"),
                issue.message.split(": ", 1)[-1] if issue.location.cell else issue.message,
            )
        console.print(table)
    stats = report.stats
    if not report.issues:
        console.print(render("cli.check_ok", file=name), style="green")
    else:
        console.print(
            render(
                "cli.check_summary",
                file=name,
                errors=stats["ошибка"],
                warnings=stats["предупреждение"],
                infos=stats["сведения"],
            ),
            style="bold",
        )


def print_json(reports: Iterable[Report]) -> None:
    rows = [row for r in reports for row in r.table()]
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
