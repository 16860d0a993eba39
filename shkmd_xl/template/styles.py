"""Cell formats of the municipal workbook (one place for the colour legend)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from .. import palette as P

INPUT_FILL = P.INPUT  # light yellow: cells to fill
LOCKED_FILL = P.WHITE
GREY_FILL = P.GREY  # not collected in this period
HEADER_FILL = P.HEADER
MISSING_FILL = P.MISSING_INPUT  # required and empty
INVALID_FILL = P.INVALID  # invalid value
OK_FILL = P.OK
REMARK_ERROR_FILL = P.ERROR  # a cell «Проверить» or the region found an error in
REMARK_WARNING_FILL = P.WARNING

DATE_FORMAT = "dd.mm.yyyy"


@dataclass
class Styles:
    """The formats, created once per workbook."""

    title: Format
    header: Format
    label: Format
    locked: Format
    locked_wrap: Format
    input: Format
    input_date: Format
    input_wrap: Format
    col_input: Format
    col_input_date: Format
    col_input_wrap: Format
    tint: Format
    grey: Format
    text: Format
    bold: Format
    missing: Format
    invalid: Format
    ok: Format
    formula: Format
    formula_bold: Format
    remark_error: Format
    remark_warning: Format
    grey_cf: Format  # «в этом периоде не заполняется» as a conditional format

    @classmethod
    def create(cls, wb: Workbook) -> Styles:
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top", "border": 1}

        def fmt(**kw: object) -> Format:
            return wb.add_format({**base, **kw})

        def mark(kind: str, **kw: object) -> Format:
            style, _, colour = P.MARK_LINES[kind]
            return wb.add_format({"border": style, "border_color": colour, **kw})

        return cls(
            title=wb.add_format({"bold": True, "font_size": 14}),
            header=fmt(
                bold=True,
                bg_color=HEADER_FILL,
                text_wrap=True,
                locked=True,
                align="center",
                valign="vcenter",
            ),
            label=fmt(bold=True, bg_color=HEADER_FILL, locked=True, text_wrap=True),
            locked=fmt(locked=True),
            locked_wrap=fmt(locked=True, text_wrap=True),
            input=fmt(locked=False, bg_color=INPUT_FILL),
            input_date=fmt(locked=False, bg_color=INPUT_FILL, num_format=DATE_FORMAT),
            input_wrap=fmt(locked=False, bg_color=INPUT_FILL, text_wrap=True),
            # column formats: unlocked, tinted by a conditional format over the data rows
            col_input=wb.add_format({"locked": False, "valign": "top"}),
            col_input_date=wb.add_format(
                {"locked": False, "valign": "top", "num_format": DATE_FORMAT}
            ),
            col_input_wrap=wb.add_format({"locked": False, "valign": "top", "text_wrap": True}),
            tint=wb.add_format({"bg_color": INPUT_FILL, "border": 1, "border_color": "#BFBFBF"}),
            grey=fmt(locked=True, bg_color=GREY_FILL),
            text=wb.add_format({"text_wrap": True, "valign": "top"}),
            bold=wb.add_format({"bold": True}),
            missing=mark("missing", bg_color=MISSING_FILL),
            invalid=mark("invalid", bg_color=INVALID_FILL, font_color="#9C0006"),
            ok=wb.add_format({"bg_color": OK_FILL, "bold": True}),
            formula=fmt(locked=True, text_wrap=True),
            formula_bold=fmt(locked=True, bold=True, font_size=13),
            remark_error=mark("error", bg_color=REMARK_ERROR_FILL),
            remark_warning=mark("warning", bg_color=REMARK_WARNING_FILL),
            grey_cf=wb.add_format({"bg_color": GREY_FILL}),
        )


def text_height(text: str, width: float, line: float = 15.0, bold: bool = False) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` wide.

    Word wrap is estimated as Excel does it: about one Cyrillic character of
    Calibri 11 per unit of column width, words kept whole where they fit.
    """
    per_line = max(int(width * (0.75 if bold else 0.9)), 1)
    lines = 0
    for paragraph in str(text).split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, len(word)
            else:
                used += (1 if used else 0) + len(word)
            while used > per_line:  # a word longer than the column breaks
                count, used = count + 1, used - per_line
        lines += count
    return line * lines + 4
