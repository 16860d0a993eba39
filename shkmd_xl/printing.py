"""Pages that print: A4, the header row (and the first columns) repeated, region, period
and «Стр. N из M» on every page, and type that stays at 8 pt or more.

The rule (issue 17, «Outputs that print»): a sheet narrower than A4 portrait prints
portrait at 100 %; a wider one prints landscape, fitted to the page width while the
scale keeps its smallest type at 8 pt or more; a sheet wider still prints at that
smallest readable scale and its columns continue on further pages, each with the
header rows and the first column(s) repeated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .ru import MONTHS

#: A4 in points and the margins (inches) every sheet prints with.
A4_PT = (595.0, 842.0)
SIDE_IN = 0.4
TOP_IN = 0.75
HEADER_IN = 0.3
MIN_PT = 8.0
SPARE = 1.4
#: Excel's default column width in characters (Calibri 11).
DEFAULT_WIDTH = 8.43


def column_points(width: float) -> float:
    """A column `width` characters wide in points (Calibri 11: 7 px a character + 5 px)."""
    return (math.floor(width * 7 + 0.5) + 5) * 0.75


def printable(landscape: bool) -> float:
    """The printable width of an A4 page in points."""
    return (A4_PT[1] if landscape else A4_PT[0]) - 2 * SIDE_IN * 72


@dataclass(frozen=True)
class Plan:
    landscape: bool
    scale: int  # per cent
    fits: bool  # all columns on one page width

    @property
    def smallest(self) -> float:
        return self.scale / 100


def plan(widths: Sequence[float], smallest_font: float = 11.0) -> Plan:
    """Orientation and scale of a sheet whose columns are `widths` characters wide and
    whose smallest type is `smallest_font` points."""
    # LibreOffice without Calibri (DejaVu Sans in its place) draws a column up to 40 %
    # wider than Excel: the plan leaves that much to spare
    total = SPARE * sum(column_points(w) for w in widths) or 1.0
    if total <= printable(False):
        return Plan(False, 100, True)
    fit = math.floor(100 * printable(True) / total)
    if fit >= 100:
        return Plan(True, 100, True)
    least = math.ceil(100 * MIN_PT / smallest_font)
    if fit >= least:
        return Plan(True, fit, True)
    return Plan(True, least, False)


def period_title(code_or_name: str) -> str:
    """«2026-11» → «ноябрь 2026»; a name stays as it is."""
    year, _, month = code_or_name.partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return f"{MONTHS[int(month) - 1]} {year}"
    return code_or_name


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def header_size(scale: int) -> int:
    """Header and footer type in points that prints at 8 pt or more at `scale` per cent
    (LibreOffice scales them with the sheet)."""
    return max(10, math.ceil(100 * (MIN_PT + 0.2) / scale))


def header_text(region: str, period: str, scale: int = 100) -> str:
    size = header_size(scale)
    return f"&L&{size}{_escape(region)}&R&{size}{_escape(period)}"


def footer_text(scale: int = 100) -> str:
    return f"&C&{header_size(scale)}Стр. &P из &N"


def xlsxwriter_widths(ws: Any) -> list[float]:
    """The widths of an xlsxwriter worksheet's used columns (its charts are not counted)."""
    last = ws.dim_colmax if ws.dim_colmax is not None else 0
    widths = []
    for c in range(last + 1):
        info = ws.col_info.get(c)
        width = getattr(info, "width", None) if info is not None else None
        hidden = getattr(info, "hidden", False) if info is not None else False
        if not hidden:  # xlsxwriter 3.3 keeps widths in pixels (7 a character + 5)
            widths.append(DEFAULT_WIDTH if width is None else max(float(width) - 5, 0) / 7)
    return widths


def setup_xlsxwriter(
    ws: Any,
    region: str,
    period: str,
    *,
    header_rows: int = 1,
    key_columns: int = 1,
    smallest_font: float = 11.0,
    widths: Sequence[float] | None = None,
) -> Plan:
    """A4, repeated header rows, region/period/«Стр. N из M», a readable scale."""
    p = plan(xlsxwriter_widths(ws) if widths is None else widths, smallest_font)
    ws.set_paper(9)
    if p.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    # a fixed scale, not «fit to width»: LibreOffice fits comments and overflowing text too,
    # and would shrink the type below 8 pt
    ws.set_print_scale(p.scale)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    if not p.fits and key_columns:
        ws.repeat_columns(0, key_columns - 1)
    ws.set_margins(left=SIDE_IN, right=SIDE_IN, top=TOP_IN, bottom=TOP_IN)
    options = {"margin": HEADER_IN, "scale_with_doc": False}
    ws.set_header(header_text(region, period, p.scale), options)
    ws.set_footer(footer_text(p.scale), options)
    return p


def openpyxl_widths(ws: Any) -> list[float]:
    from openpyxl.utils import get_column_letter

    widths = []
    for c in range(1, (ws.max_column or 1) + 1):
        dim = ws.column_dimensions.get(get_column_letter(c))
        if dim is not None and dim.hidden:
            continue
        # a dimension may cover several columns (min..max); openpyxl keys it by the first
        width = dim.width if dim is not None and dim.width else None
        if width is None:
            for d in ws.column_dimensions.values():
                if d.min and d.max and d.min <= c <= d.max and d.width:
                    width = d.width
                    break
        widths.append(float(width) if width else DEFAULT_WIDTH)
    return widths


def setup_openpyxl(
    ws: Any,
    region: str,
    period: str,
    *,
    header_rows: int = 1,
    key_columns: int = 1,
    smallest_font: float = 11.0,
) -> Plan:
    from openpyxl.utils import get_column_letter

    p = plan(openpyxl_widths(ws), smallest_font)
    ws.page_setup.paperSize = 9
    ws.page_setup.orientation = "landscape" if p.landscape else "portrait"
    ws.page_setup.scale = p.scale
    ws.page_setup.fitToWidth = None  # a fixed scale (see setup_xlsxwriter)
    ws.page_setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    if not p.fits and key_columns:
        ws.print_title_cols = f"A:{get_column_letter(key_columns)}"
    ws.page_margins.left = ws.page_margins.right = SIDE_IN
    ws.page_margins.top = ws.page_margins.bottom = TOP_IN
    ws.page_margins.header = ws.page_margins.footer = HEADER_IN
    ws.HeaderFooter.scaleWithDoc = False
    ws.oddHeader.left.text = _escape(region)
    size = header_size(p.scale)
    ws.oddHeader.left.size = size
    ws.oddHeader.right.text = _escape(period)
    ws.oddHeader.right.size = size
    ws.oddFooter.center.text = "Стр. &[Page] из &[Pages]"
    ws.oddFooter.center.size = size
    return p


__all__ = [
    "Plan",
    "period_title",
    "plan",
    "setup_openpyxl",
    "setup_xlsxwriter",
]
