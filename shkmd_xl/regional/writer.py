"""The regional outputs' sheet writer: one xlsxwriter workbook, text stays text, A4 pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import palette as P
from ..printing import (
    LINE_PT,
    fit_width,
    page_breaks,
    row_height,
    setup_xlsxwriter,
    text_lines,
    widen,
)

OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
STATUS_COLOURS = P.STATUS
#: A table's header takes at most this many lines where its column's given width allows.
HEADER_LINES = 2
#: Wider than any printed page width (characters).
PAGE = 250


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
        self.centre = wb.add_format({"align": "center"})
        self.centre_top = wb.add_format({"align": "center", "valign": "top"})
        self.date_top = wb.add_format({"num_format": "dd.mm.yyyy", "valign": "top"})
        self.status = {k: wb.add_format({"bg_color": v}) for k, v in STATUS_COLOURS.items()}
        #: each table's column widths as written (a note under it wraps in them)
        self.widths: dict[str, list[float]] = {}

    def table(
        self,
        name: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] | None = None,
        header_height: float | None = None,
        wrap: Collection[int] = (),
        centre: Collection[int] = (),
        keys: int = 1,
        breaks: Sequence[int] | None = None,
        wrap_long: bool = False,
    ) -> tuple[Worksheet, int]:
        """A sheet of `headers` and `rows`, columns as wide as their content up to
        `widths`; the header wraps between words, the columns in `wrap` wrap their text at
        their width, each row as tall as its text (LibreOffice keeps a row's height as
        written); the columns in `centre` are centred (a number right-aligned against the
        next column's text read as one run with it: «1 Анализ факторов»). A table wider
        than an A4 landscape page prints on page widths that share its columns evenly,
        each with the `keys` first columns (see :func:`shkmd_xl.printing.page_breaks`),
        or on the page widths starting at the given columns `breaks`. `wrap_long`: every
        column whose text is wider than its given width wraps too (text past a table's
        last column prints on a page of its own)."""
        ws = self.wb.add_worksheet(name)
        rows = [list(row) for row in rows]  # the widths first: row heights depend on them
        # widths by content: the longest value (or bold header word), at most the given width
        words = [
            max((fit_width(word, bold=True) for word in str(h).split()), default=4.0)
            for h in headers
        ]
        longest = list(words)
        for row in rows:
            for c, value in enumerate(row[: len(longest)]):
                # measured only when it may be wider (a character is at most 2,3 of width)
                # and never past a page's width: tables of many rows stay quick
                if value is not None and longest[c] < PAGE and len(str(value)) * 2.3 > longest[c]:
                    longest[c] = max(longest[c], _shown_length(value))
        shown = [_width(longest[c], widths, c, words[c]) for c in range(len(headers))]
        for c, h in enumerate(headers):  # a header in two lines where its width allows
            cap = max(_cap(widths, c), shown[c])
            while shown[c] < cap and text_lines(str(h), shown[c], bold=True) > HEADER_LINES:
                shown[c] = min(shown[c] + 1, cap)
        if wrap_long:
            wrap = {*wrap, *(c for c, width in enumerate(shown) if longest[c] > width + 0.5)}
        breaks = page_breaks(shown, keys) if breaks is None else list(breaks)
        if breaks:  # the room each page width leaves goes to its wrapping columns
            widen(shown, breaks, keys, wrap, [max(s, longest[c]) for c, s in enumerate(shown)])
        self.widths[name] = shown
        for c, width in enumerate(shown):
            ws.set_column(c, c, width)
        if not header_height:
            header_height = max(
                (row_height(str(h), shown[c], bold=True) for c, h in enumerate(headers)),
                default=LINE_PT,
            )
        ws.set_row(0, header_height)  # before any row is written (constant memory flushes)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, self.header)
        for n, row in enumerate(rows, 1):
            if wrap:  # before the row's cells: constant memory writes a row once
                tall = [
                    row_height(str(row[c]), shown[c])
                    for c in wrap
                    if c < len(row) and row[c] not in (None, "")
                ]
                ws.set_row(n, max([LINE_PT, *tall]))
            for c, value in enumerate(row):
                fmt = self.wrap if c in wrap else self.top if wrap else None
                if c in centre:
                    fmt = self.centre_top if wrap else self.centre
                self.cell(ws, n, c, value, fmt)
        if breaks:
            ws.set_v_pagebreaks(breaks)
        ws.freeze_panes(1, keys if breaks else 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        return ws, len(rows)

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


def _cap(widths: Sequence[float] | None, c: int) -> float:
    return widths[c] if widths and c < len(widths) else 40


def _width(longest: float, widths: Sequence[float] | None, c: int, word: float = 0) -> float:
    """Content width capped at the given width, never narrower than the header's longest
    bold word (`word`): a header breaks between words only."""
    return max(6, word, min(longest + 0.5, _cap(widths, c)))


def _shown_length(value: Any) -> float:
    """The width (characters) that shows `value` on one line."""
    if isinstance(value, dt.date):
        return fit_width("00.00.0000")
    if isinstance(value, float):
        return fit_width(f"{value:g}")
    return fit_width(str(value))


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
