"""Campaign -> editable campaign workbook (xlsxwriter)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..atomic import atomic_output
from ..campaign import validate as V
from ..campaign.goals import OPTIONAL_INDICATORS
from ..campaign.models import Campaign
from ..forms import campaign_book as CB
from ..messages import render
from ..printing import setup_xlsxwriter
from .campaign_results import results_rows
from .styles import DATE_FORMAT, text_height
from .workbook import WORKBOOK_OPTIONS

#: Fixed creation date: the campaign workbook is the same bytes for the same data.
CREATED = dt.datetime(2026, 1, 1)


def _rows(c: Campaign, sheet: CB.CampaignSheet) -> list[list[Any]]:
    if sheet is CB.MUNICIPALITIES:
        return [
            [m.code, m.name, m.coordinator, m.position, "; ".join(m.emails), m.phone]
            for m in c.municipalities
        ]
    if sheet is CB.SCHOOLS:
        return [
            [s.code, s.name, s.short_name, s.municipality, s.type, s.mentor, s.curator]
            for s in c.schools
        ]
    if sheet is CB.CATALOGUE:
        return [
            [e.target_group, e.name, e.organisers, e.capacity, CB.YES if e.capacity_set else "Нет"]
            for e in c.catalogue
        ]
    if sheet is CB.MONTHS:
        return [[m.name, m.stage] for m in c.months]
    if sheet.name == V.SHEET_INDICATORS:
        implied = {code for code, _ in OPTIONAL_INDICATORS} if c.support_camps else set()
        return [
            [
                i.code,
                i.task,
                i.wording,
                i.level,
                i.value_type,
                *(CB.YES if s in i.slots else None for s in c.month_names),
                i.target_group,
            ]
            for i in c.indicators
            if i.code not in implied  # the switch on «Кампания» adds them
        ]
    if sheet.name == V.SHEET_PERIODS:
        return [[p.code, p.name, p.slot, p.deadline, p.roadmap_year] for p in c.periods]
    if sheet is CB.GOALS:
        return [
            [
                g.key,
                g.wording,
                CB.MEASURES[g.measure][0],
                g.comparison,
                _value(g.value),
                g.judged,
                g.source,
            ]
            for g in c.goals
        ]
    if sheet is CB.RECOMMENDATIONS:
        return [[r.weak, r.event, r.source] for r in c.recommendations]
    if sheet is CB.ASSESSMENTS or sheet is CB.RESULTS_RULES:
        return results_rows(c, sheet)
    if sheet is CB.THRESHOLDS:
        return [
            [CB.THRESHOLD_NAMES.get(k, k), CB.THRESHOLD_DESCRIPTIONS.get(k, k), v, k]
            for k, v in c.thresholds.model_dump().items()
        ]
    general: list[list[Any]] = [
        [label, ("Да" if v else "Нет") if isinstance(v := getattr(c, key), bool) else str(v)]
        for key, label in CB.GENERAL_ROWS.items()
    ]
    general += [[CB.DIRECTION_LABEL.format(n=n), d] for n, d in enumerate(c.directions, 1)]
    return general


def _value(text: str) -> Any:
    """A goal's value as a number cell when it is one («75»), else the text («44–60»)."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


#: Hidden sheet holding dropdown lists too long for a list validation (255 characters).
LISTS = "Списки"


def _write_sheet(
    ws: Worksheet,
    sheet: CB.CampaignSheet,
    rows: list[list[Any]],
    header: Any,
    date: Any,
    wrap: Any = None,
    lists: Any = None,
    number: Any = None,
    top: Any = None,
) -> None:
    """One campaign sheet: numbers centred (a task's number right-aligned read as one
    run with the wording beside it), text at the top of rows that wrap."""
    for col, column in enumerate(sheet.columns):
        ws.set_column(col, col, column.width, None, {"hidden": column.hidden})
        ws.write_string(0, col, column.label, header)
        if column.help:  # e.g. «values by default: set your own»
            ws.write_comment(0, col, column.help, {"x_scale": 2, "y_scale": 1.5})
        last = max(len(rows) + 200, 500)
        source: Any = list(column.choices)
        if sheet is CB.RECOMMENDATIONS and column.key == "event":
            source = f"='{V.SHEET_CATALOGUE}'!$B$2:$B$1000"
        elif column.choices and len(";".join(column.choices)) > 250 and lists is not None:
            source = lists(column.choices)
        if source:
            ws.data_validation(
                1,
                col,
                last,
                col,
                {
                    "validate": "list",
                    "source": source,
                    "error_type": "warning" if isinstance(source, str) else "stop",
                    "error_title": "Значение не из списка",
                    "error_message": "Выберите значение из списка"
                    + (": " + ", ".join(column.choices) if not isinstance(source, str) else "."),
                },
            )
    for r, row in enumerate(rows, 1):
        height = 0.0
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if hasattr(value, "isoformat"):
                ws.write_datetime(r, col, value, date)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, col, value, number)
            elif len(str(value)) > sheet.columns[col].width:  # long text wraps: it prints
                ws.write_string(r, col, str(value), wrap)
                height = max(height, text_height(str(value), sheet.columns[col].width))
            else:
                ws.write_string(r, col, str(value), top)
        if height:
            ws.set_row(r, height)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(sheet.columns) - 1)


#: The sheets «Инструкция» describes, in the order of the workbook.
INSTRUCTED = (
    "general",
    "municipalities",
    "schools",
    "catalogue",
    "months",
    "indicators",
    "periods",
    "thresholds",
    "goals",
    "recommendations",
    "assessments",
    "results_rules",
)


def _instruction(wb: Any, header: Any) -> Worksheet:
    """«Инструкция»: what each sheet is, what the region changes, what happens when a
    value is wrong (the catalogue's «campaign.instruction.*»)."""
    ws = wb.add_worksheet(CB.INSTRUCTION)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    title = wb.add_format({"bold": True, "font_size": 14})
    ws.set_column(0, 0, 22)
    ws.set_column(1, 2, 60)
    ws.write_string(0, 0, render("campaign.instruction.title"), title)
    ws.merge_range(1, 0, 1, 2, render("campaign.instruction.intro"), wrap)
    ws.set_row(1, 75)
    for col, label in enumerate(render("campaign.instruction.columns").split("|")):
        ws.write_string(3, col, label, header)
    ws.repeat_rows(3)  # the table's header on every printed page
    for r, key in enumerate(INSTRUCTED, 4):
        for col, text in enumerate(render(f"campaign.instruction.{key}").split("|")):
            ws.write_string(r, col, text, wrap)
        ws.set_row(r, 60)
    last = 4 + len(INSTRUCTED) + 1
    ws.merge_range(last, 0, last, 2, render("campaign.instruction.errors"), wrap)
    ws.set_row(last, 60)
    return ws


def write_campaign_workbook(c: Campaign, path: Path) -> Path:
    """Write the campaign as an Excel workbook a methodologist can edit."""
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "border": 1, "valign": "top"}
        )
        date = wb.add_format({"num_format": DATE_FORMAT})
        guide = _instruction(wb, header)
        setup_xlsxwriter(guide, c.region, f"Файл кампании: {c.title}", header_rows=0)
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        number = wb.add_format({"align": "center", "valign": "top"})
        top = wb.add_format({"valign": "top"})
        held: list[tuple[str, ...]] = []

        def lists(choices: tuple[str, ...]) -> str:
            held.append(choices)
            col = xl_col_to_name(len(held) - 1)
            return f"='{LISTS}'!${col}$1:${col}${len(choices)}"

        for sheet in CB.sheets_for(c.month_names):
            ws = wb.add_worksheet(sheet.name)
            _write_sheet(ws, sheet, _rows(c, sheet), header, date, wrap, lists, number, top)
            setup_xlsxwriter(ws, c.region, f"Файл кампании: {c.title}")
        if held:
            hidden = wb.add_worksheet(LISTS)
            for col, choices in enumerate(held):
                hidden.write_column(0, col, choices)
            hidden.hide()
        wb.set_properties(
            {"title": f"Кампания: {c.title}", "author": "shkmd_xl", "created": CREATED}
        )
        wb.close()
    return path
