"""The one place that strings the steps together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .campaign import Campaign, default_campaign
from .issues import Report

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


def check(path: Path | str, campaign: Campaign | None = None, period: str | None = None) -> Report:
    """Read and validate one municipal workbook; never raises on a user's file."""
    from .reader.book import read_book
    from .rules import validate

    c = campaign or default_campaign()
    path = Path(path)
    book = read_book(path, c)
    issues, ctx = validate(book, c, period)
    report = Report(issues=issues, files=[str(path)])
    if ctx is not None:
        report.municipality = ctx.municipality or ""
        report.period = ctx.period.code if ctx.period else ""
    return report


REGION_CONSOLE = "shkmd_region.xlsm"
MUNICIPAL_XLSM = "Шаблон_общий_с_кнопками.xlsm"


def build_excel_workbooks(out: Path) -> list[Path]:
    """The regional console and the municipal .xlsm with buttons (built locally: they
    contain xlwings' VBA module, which is third-party code and is not committed)."""
    from .template.console import write_console, write_municipal_xlsm
    from .template.vba import add_vba

    c = default_campaign()
    console = write_console(c, out / REGION_CONSOLE, WORKBOOKS_GENERATED_AT)
    municipal = write_municipal_xlsm(c, out / MUNICIPAL_XLSM, WORKBOOKS_GENERATED_AT)
    return [add_vba(console, ["Region"]), add_vba(municipal, ["Municipal"])]
