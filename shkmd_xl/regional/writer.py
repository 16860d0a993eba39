"""The regional outputs' sheet writer: one xlsxwriter workbook, text stays text, A4 pages."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import palette as P
from ..printing import setup_xlsxwriter
from ..template.styles import text_height

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
STATUS_COLOURS = P.STATUS


class Writer:
    """Small helpers over one xlsxwriter workbook."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "border": 1}
        )
        self.date = wb.add_format({"num_format": "dd.mm.yyyy"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.top = wb.add_format({"valign": "top"})  # beside wrapped text
        self.date_top = wb.add_format({"num_format": "dd.mm.yyyy", "valign": "top"})
        self.status = {k: wb.add_format({"bg_color": v}) for k, v in STATUS_COLOURS.items()}

    def table(
        self,
        name: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] | None = None,
        header_height: float | None = None,
        wrap: Collection[int] = (),
    ) -> tuple[Worksheet, int]:
        """A sheet of `headers` and `rows`, columns as wide as their content up to
        `widths`; the columns in `wrap` wrap their text at that width, each row as tall as
        its text (LibreOffice keeps a row's height as written)."""
        ws = self.wb.add_worksheet(name)
        # widths by content: the longest value (or bold header word), at most the given width
        words = [max((_bold(word) for word in str(h).split()), default=4) for h in headers]
        longest = list(words)
        if not header_height:  # the header wrapped in its narrowest possible column
            header_height = max(
                (
                    text_height(str(h), _width(longest[c], widths, c, words[c]), bold=True)
                    for c, h in enumerate(headers)
                ),
                default=15.0,
            )
        ws.set_row(0, header_height)  # before any row is written (constant memory flushes)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, self.header)
        n = 0
        for n, row in enumerate(rows, 1):
            if wrap:  # before the row's cells: constant memory writes a row once
                tall = [
                    text_height(str(row[c]), _width(10**6, widths, c))  # the cap
                    for c in wrap
                    if c < len(row) and row[c] not in (None, "")
                ]
                ws.set_row(n, max([15.0, *tall]))
            for c, value in enumerate(row):
                self.cell(ws, n, c, value, self.wrap if c in wrap else self.top if wrap else None)
                if c < len(longest) and value is not None:
                    longest[c] = max(longest[c], _shown_length(value))
        for c in range(len(headers)):
            ws.set_column(c, c, _width(longest[c], widths, c, words[c]))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(n, 1), len(headers) - 1)
        return ws, n

    def cell(self, ws: Worksheet, r: int, c: int, value: Any, fmt: Any = None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(r, c, "Да" if value else "Нет", fmt)
        elif isinstance(value, int | float):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, value, self.date_top if fmt is self.top else fmt or self.date)
        else:
            ws.write_string(r, c, str(value), fmt)  # user text: never a formula or a link


def _bold(word: str) -> int:
    """Characters of column width a bold header word needs."""
    return math.ceil(len(word) * 1.15)


def _width(longest: int, widths: Sequence[float] | None, c: int, word: int = 0) -> float:
    """Content width capped at the given width, never narrower than the header's longest
    bold word (`word`): a header breaks between words only."""
    cap = widths[c] if widths and c < len(widths) else 40
    return max(6, word + 1, min(longest + 2, cap))


def _shown_length(value: Any) -> int:
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:g}")
    return len(str(value))


def page_setup(wb: Workbook, region: str, period: str) -> None:
    """Every sheet prints on A4 with its header row (and, when its columns continue on
    further pages, its first columns) repeated, region, period and «Стр. N из M» on each
    page, at a scale that keeps its type at 8 pt or more (see :mod:`shkmd_xl.printing`)."""
    for ws in wb.worksheets():
        panes = getattr(ws, "panes", None) or [1, 1]
        setup_xlsxwriter(
            ws,
            region,
            period,
            header_rows=max(int(panes[0]), 1),
            key_columns=max(int(panes[1]), 1),
            smallest_font=10.0 if ws.charts else 11.0,  # a chart's axis labels: 10 pt
        )
