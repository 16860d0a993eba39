"""The one place that strings the steps together."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .campaign import Campaign, default_campaign
from .isolation import Limits
from .issues import Findings
from .messages import render

#: Generation time written into the committed workbooks, so that rebuilding
#: them gives the same content (the staleness test compares XML parts).
WORKBOOKS_GENERATED_AT = dt.datetime(2026, 1, 1, 0, 0, 0)
CAMPAIGN_BOOK_NAME = "Кампания_по_умолчанию.xlsx"


def build_workbooks(out: Path) -> list[Path]:
    """(Re)build the downloadable workbooks of ``workbooks/``."""
    from .template.campaign_book import write_campaign_workbook
    from .template.workbook import GENERIC_NAME, write_municipal_workbook

    c = default_campaign()
    return [
        write_municipal_workbook(c, None, out / GENERIC_NAME, WORKBOOKS_GENERATED_AT),
        write_campaign_workbook(c, out / CAMPAIGN_BOOK_NAME),
    ]


def check(
    path: Path | str, campaign: Campaign | None = None, period: str | None = None
) -> Findings:
    """Read and validate one municipal workbook in this process; never raises on a user's file.

    Sheets are scanned for far cells before they are read (a reader would abort the
    process on them). For files from strangers prefer :func:`check_files`, which
    also bounds memory and time.
    """
    return _check(str(path), campaign or default_campaign(), period, guard=True)


def _check(path: str, campaign: Campaign, period: str | None, guard: bool = False) -> Findings:
    from .reader.book import read_book
    from .rules import validate

    book = read_book(Path(path), campaign, guard_extent=guard)
    issues, ctx = validate(book, campaign, period)
    report = Findings(issues=issues, files=[path])
    if ctx is not None:
        report.municipality = ctx.municipality or ""
        report.period = ctx.period.code if ctx.period else ""
    return report


def check_files(
    paths: list[Path],
    campaign: Campaign | None = None,
    period: str | None = None,
    limits: Limits | None = None,
) -> list[Findings]:
    """Check files as ``collect`` does: each in a worker process with collect's memory and
    time limits, so that a hostile file costs its own report only (SUB09), never the
    caller. Where fork is missing (Windows) files are checked in this process."""
    import functools

    from .isolation import failure_issue, run_isolated

    c = campaign or default_campaign()
    limits = limits or Limits()
    if not paths:
        return []
    if os.name != "posix":
        return [check(p, c, period) for p in paths]
    import shkmd_xl.reader.book
    import shkmd_xl.rules  # noqa: F401

    job = functools.partial(_check, campaign=c, period=period)
    reports: list[Findings | None] = [None] * len(paths)
    jobs = [str(p) for p in paths]
    for index, ok, outcome in run_isolated(job, jobs, min(2, len(paths)), limits):
        if ok:
            reports[index] = outcome
        else:
            issue = failure_issue(paths[index].name, str(outcome), limits)
            reports[index] = Findings(issues=[issue], files=[jobs[index]])
    return [r for r in reports if r is not None]


REGION_CONSOLE = "shkmd_region.xlsm"
MUNICIPAL_XLSM = "Шаблон_общий_с_кнопками.xlsm"


def build_excel_workbooks(out: Path) -> list[Path]:
    """The regional console and the municipal .xlsm with buttons (built locally: they
    contain xlwings' VBA module, which is third-party code and is not committed)."""
    from .template.console import write_console, write_municipal_xlsm
    from .template.vba import add_vba

    c = default_campaign()
    out.mkdir(parents=True, exist_ok=True)
    # built whole in a scratch folder, moved into place only when complete: a failure
    # never leaves a workbook without its macros in ``out``
    with tempfile.TemporaryDirectory(prefix=".tmp-build-", dir=out) as scratch:
        tmp = Path(scratch)
        built = [
            add_vba(write_console(c, tmp / REGION_CONSOLE, WORKBOOKS_GENERATED_AT), ["Region"]),
            add_vba(
                write_municipal_xlsm(c, tmp / MUNICIPAL_XLSM, WORKBOOKS_GENERATED_AT),
                ["Municipal"],
            ),
        ]
        placed = []
        for path in built:
            os.replace(path, out / path.name)
            placed.append(out / path.name)
    return placed


def import_results(path: Path, period: str, campaign: Campaign, out: Path) -> Any:
    """``shkmd-xl results import``: an export of the data-processing centre into the
    store's results table, in one transaction; refused whole when a value is bad or a
    required column is missing (the report says which file, row and column)."""
    import hashlib

    from .reader.results_export import read_export
    from .store.folder import run_lock, work_paths
    from .store.results import IMPORTED, ResultRow, replace_imported, year_of
    from .store.sqlite import Store

    parsed = read_export(path, campaign)
    seen: dict[tuple[str, str, str, int], int] = {}
    for r in parsed.rows:
        key = (r["school"].code, r["assessment"], r["subject"], r["grade"])
        if key in seen:
            parsed.errors.append(
                render("results.duplicate", file=path.name, row=r["line"], first=seen[key])
            )
        seen.setdefault(key, r["line"])
    report = ImportReport(path.name, period, parsed)
    if parsed.errors:
        return report
    source = IMPORTED + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    rows = [
        ResultRow(
            year_of(period),
            period,
            source,
            r["school"].municipality,
            r["school"].short_name,
            r["assessment"],
            r["subject"],
            r["grade"],
            r["participants"],
            r["mean"],
            r["fail_share"],
            r["high_share"],
            f"{path.name}, строка {r['line']}",
        )
        for r in parsed.rows
    ]
    out.mkdir(parents=True, exist_ok=True)
    with run_lock(out):
        store = Store(work_paths(out)["store"])
        try:
            report.imported = replace_imported(store, period, rows)
        finally:
            store.close()
    return report


@dataclass
class ImportReport:
    """What ``results import`` did: rows imported, schools skipped, problems."""

    file: str
    period: str
    parsed: Any
    imported: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.parsed.errors)

    def lines(self) -> list[str]:
        """The report in Russian, line by line."""
        p = self.parsed
        out: list[str] = []
        if p.columns:
            found = "; ".join(f"{k} ← «{v}»" for k, v in p.columns.items())
            out.append(render("results.columns", file=self.file, found=found))
        if p.unmapped:
            out.append(render("results.unmapped", columns="; ".join(f"«{c}»" for c in p.unmapped)))
        for row, name, guess in p.unknown:
            hint = render("results.did_you_mean", guess=guess) if guess else ""
            out.append(
                render("results.unknown_school", file=self.file, row=row, name=name, hint=hint)
            )
        out += p.errors
        if self.refused:
            out.append(render("results.refused", file=self.file, errors=len(p.errors)))
        else:
            out.append(
                render(
                    "results.imported",
                    file=self.file,
                    rows=self.imported,
                    period=self.period,
                    skipped=len(p.unknown),
                )
            )
        return out
