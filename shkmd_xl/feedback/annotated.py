"""A municipality's submission + its findings -> the annotated copy sent back: problem
cells coloured and commented, the list of remarks on a sheet of its own."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import palette as P
from ..atomic import atomic_output
from ..forms.sheets import CONTROL
from ..issues import MUNICIPAL_COLUMNS, Severity, titles
from ..issues import widths as widths_of

PROBLEM_RGB, WARNING_RGB = P.ERROR.lstrip("#"), P.WARNING.lstrip("#")
SHEET = "Замечания"
HEADERS = tuple(titles(MUNICIPAL_COLUMNS))
REMAINS, STILL, FIXED = "Осталось?", "осталось", "исправлено"
MESSAGE_WIDTH = 60


def _atomic_save(wb: openpyxl.Workbook, path: Path) -> None:
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _remarks_sheet(
    wb: openpyxl.Workbook,
    findings: list[dict[str, Any]],
    linkable: set[str],
    found: dict[tuple[str, str], Any],
) -> None:
    """«Замечания»: every finding, a link to its cell and whether it remains — a formula
    comparing the cell with the value found wrong («осталось» / «исправлено»)."""
    ws = wb.create_sheet(SHEET, 0)
    ws.append([*HEADERS, REMAINS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for f in findings:
        ws.append([f[k] or "" for k in MUNICIPAL_COLUMNS])
        if f["sheet"] in linkable and f["cell"]:
            link = ws.cell(ws.max_row, MUNICIPAL_COLUMNS.index("cell") + 1)
            link.hyperlink = f"#'{f['sheet']}'!{f['cell']}"
            link.font = Font(color="0563C1", underline="single")
            ref = f"'{f['sheet']}'!{f['cell']}"
            condition = still_wrong(ref, found[(f["sheet"], f["cell"])])
            remains = ws.cell(ws.max_row, len(MUNICIPAL_COLUMNS) + 1)
            remains.value = f'=IF({condition},"{STILL}","{FIXED}")'
    # the message wraps in a column that keeps the sheet one A4 landscape page wide at 8 pt
    widths = [
        MESSAGE_WIDTH if c == "message" else w
        for c, w in zip(MUNICIPAL_COLUMNS, widths_of(MUNICIPAL_COLUMNS), strict=True)
    ]
    widths.append(12)
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    from ..template.styles import text_height

    message = MUNICIPAL_COLUMNS.index("message") + 1
    for row in ws.iter_rows(min_row=2, min_col=message, max_col=message):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        # explicit heights: rows of wrapped text do not overlap in any program
        ws.row_dimensions[row[0].row].height = text_height(str(row[0].value or ""), MESSAGE_WIDTH)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(ws.max_row, 1)}"
    wb.active = 0


def _print_setup(wb: openpyxl.Workbook, region: str, period: str) -> None:
    """Every sheet prints on A4 at 8 pt or more, its frozen header rows and columns
    repeated, region, period and «Стр. N из M» on each page."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    from ..printing import setup_openpyxl

    for ws in wb.worksheets:
        rows, cols = 1, 1
        if ws.freeze_panes:
            letters, row = coordinate_from_string(ws.freeze_panes)
            rows, cols = max(row - 1, 1), max(column_index_from_string(letters) - 1, 1)
        setup_openpyxl(ws, region, period, header_rows=rows, key_columns=cols)


def _formulas_to_values(wb: openpyxl.Workbook, source: Path) -> None:
    """Formulas someone typed into data cells leave as the values the reader saw.

    Only «Контроль» keeps its formulas (the template's self-check); anything else
    that computes (=WEBSERVICE, =HYPERLINK, links to other files) must not travel
    back in a file we send.
    """
    found = [
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        if ws.title != CONTROL
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    if not found:
        return
    cached = openpyxl.load_workbook(source, data_only=True, keep_links=False)
    for sheet, addr in found:
        cell = wb[sheet][addr]
        value = cached[sheet][addr].value
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, even when it starts with "="


def still_wrong(ref: str, value: Any) -> str:
    """An Excel condition (no «=») true while the cell ``ref`` still holds ``value``, the
    value the check found wrong: the mark clears when the municipality changes it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"LEN(TRIM({ref}))=0"
    if isinstance(value, bool):
        return f"AND(ISLOGICAL({ref}),{ref}={'TRUE' if value else 'FALSE'})"
    if isinstance(value, int | float):
        return f"AND(ISNUMBER({ref}),{ref}={value!r})"
    if isinstance(value, dt.datetime | dt.date):
        return f"AND(ISNUMBER({ref}),INT({ref})=DATE({value.year},{value.month},{value.day}))"
    text = str(value)
    # a formula's text constant holds 255 characters: the text compared piece by piece
    # (a formula holds 8 192: over 20 pieces, the first and the last ten)
    starts = list(range(0, len(text), 255))
    if len(starts) > 20:
        starts = starts[:10] + starts[-10:]
    pieces = ",".join(
        f'EXACT(MID({ref},{i + 1},255),"{text[i : i + 255].replace(chr(34), chr(34) * 2)}")'
        for i in starts
    )
    return f"AND(LEN({ref})={len(text)},{pieces})"


def _marks_on_top(ws: Any, cells: dict[bool, list[str]]) -> None:
    """The template colours its cells by conditional formatting, which Excel and
    LibreOffice paint over a cell's own fill: the marks are added as the first rules
    (stop if true), so a marked cell shows red or yellow in both — while the cell still
    holds the value found wrong (``still_wrong``); a fixed cell loses its mark."""
    from openpyxl.formatting.rule import FormulaRule

    ours = [(error, addr) for error, addrs in sorted(cells.items(), reverse=True) for addr in addrs]
    theirs = ws.conditional_formatting._cf_rules
    kept = list(theirs.items())
    theirs.clear()  # ours first in the file too: LibreOffice goes by the order in the file
    for priority, (error, addr) in enumerate(ours, 1):
        colour = "FF" + (PROBLEM_RGB if error else WARNING_RGB)  # opaque (alpha FF)
        fill = PatternFill("solid", start_color=colour, end_color=colour)
        _, style, line = P.MARK_LINES["error" if error else "warning"]
        side = Side(style=style, color="FF" + line.lstrip("#"))
        frame = Border(left=side, right=side, top=side, bottom=side)
        condition = still_wrong(addr, ws[addr].value)
        rule = FormulaRule(formula=[condition], fill=fill, border=frame, stopIfTrue=True)
        rule.priority = priority
        ws.conditional_formatting.add(addr, rule)
    for cf, rules in kept:
        for rule in rules:
            rule.priority = (rule.priority or 0) + len(ours)
        theirs[cf] = rules


def annotate(
    source: Path,
    findings: list[dict[str, Any]],
    out: Path,
    *,
    region: str = "",
    period: str = "",
) -> Path:
    """Copy of the municipality's file: problem cells coloured and commented, «Замечания» first.

    Files openpyxl cannot open (.xls, .ods, damaged) get a workbook with the
    «Замечания» sheet only. Macros are never copied (saved as .xlsx).
    """
    try:
        wb = openpyxl.load_workbook(source, keep_vba=False, keep_links=False)
        _formulas_to_values(wb, source)
    except Exception:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        if f["sheet"] in wb.sheetnames and f["cell"]:
            by_cell[(f["sheet"], f["cell"])].append(f)
    marks: dict[str, dict[bool, list[str]]] = defaultdict(lambda: {True: [], False: []})
    for (sheet, addr), items in by_cell.items():
        cell = wb[sheet][addr]
        error = any(i["severity"] == Severity.ERROR.ru for i in items)
        marks[sheet][error].append(addr)  # a conditional colour: it clears when fixed
        text = "\n".join(f"{i['code']}: {i['message'].split(': ', 1)[-1]}" for i in items)
        cell.comment = Comment(text[:30000], "shkmd_xl", width=420, height=160)
    found = {(sheet, addr): wb[sheet][addr].value for sheet, addr in by_cell}
    for sheet, cells in marks.items():
        _marks_on_top(wb[sheet], cells)
    _remarks_sheet(wb, findings, set(wb.sheetnames), found)
    _print_setup(wb, region, period)
    wb.calculation.fullCalcOnLoad = True  # openpyxl dropped cached formula results
    _atomic_save(wb, out)
    return out
