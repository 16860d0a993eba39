"""Pages that print: A4, the header row (and the first columns) repeated, region, period
and «Стр. N из M» on every page, and type that stays at 8 pt or more.

The rule (issue 17, «Outputs that print»): a sheet narrower than A4 portrait prints
portrait at 100 %, one a little wider portrait at 85 % or more; a wider one prints
landscape, fitted to the page width while the scale keeps its smallest type at 8 pt or
more; a sheet wider still prints at that smallest readable scale and its columns continue
on further pages, each with the header rows and the first column(s) repeated.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from .ru import MONTHS

#: A4 in points and the margins (inches) every sheet prints with.
A4_PT = (595.0, 842.0)
SIDE_IN = 0.4
TOP_IN = 0.75
HEADER_IN = 0.3
MIN_PT = 8.0
#: Excel draws a column 7 pixels a character (Calibri's hinted digit); LibreOffice, with
#: Carlito (Calibri's metric twin, fonts-crosextra-carlito), 7.43: 6 % wider. The plan
#: leaves 10 % to spare. (Without Carlito, DejaVu Sans stands in, up to 40 % wider: the
#: last columns then continue on a further page width, at the same readable size.)
SPARE = 1.1
#: A sheet a little wider than A4 portrait prints portrait at this scale or more (twice
#: the rows of a landscape page, type 9 pt or more) rather than landscape at 100 %.
PORTRAIT_LEAST = 85
#: Excel's default column width in characters (Calibri 11).
DEFAULT_WIDTH = 8.43


def column_points(width: float) -> float:
    """A column `width` characters wide in points (Calibri 11: 7 px a character + 5 px)."""
    return (math.floor(width * 7 + 0.5) + 5) * 0.75


def printable(landscape: bool) -> float:
    """The printable width of an A4 page in points."""
    return (A4_PT[1] if landscape else A4_PT[0]) - 2 * SIDE_IN * 72


#: Advance widths (hundredths of the type size, rounded up) of Calibri's metric twin
#: Carlito — the font of every sheet we write (Excel's default; LibreOffice draws Carlito
#: in its place, the same widths). A character not listed counts as the widest letter.
_REGULAR = {
    23: "'ilі ",
    24: "j",
    25: ",’‘",
    26: ".IІ·",
    27: ":;",
    30: "`",
    31: "()-[]f",
    32: "J{}",
    33: "!",
    34: "t°",
    35: "rг",
    39: "/\\т",
    40: "sz",
    41: '"',
    42: "“”",
    43: "LcГзс",
    44: "xх",
    45: "э",
    46: "FSkvyу",
    47: "?Z|кчь",
    48: "agЗавя",
    49: "ETYЕТЁ",
    50: "#*+<=>^_e~её–•×−±≤≥",
    51: "$0123456789€",
    52: "KPXРХл«»",
    53: "bdhnopquУопр",
    54: "CБСЬбнъ",
    55: "BRВКЭийц",
    56: "ЧЯд",
    57: "V",
    58: "AА",
    59: "₽",
    62: "DЛЪ",
    63: "HНПф",
    64: "GЦ",
    65: "NUДИЙ",
    67: "OОы",
    68: "Qм",
    69: "&ж",
    70: "Ф…",
    72: "%w",
    73: "шю",
    75: "щ",
    77: "Ы",
    80: "m",
    81: "Ж",
    86: "MМ",
    87: "Ш",
    88: "Ю",
    89: "WЩ",
    90: "@",
    91: "—",
    103: "№",
}
_BOLD = {
    23: " ",
    24: "'",
    25: "ilі",
    26: ",j’‘",
    27: ".IІ·",
    28: ":;",
    31: "-`",
    32: "()f",
    33: "![]",
    34: "J",
    35: "t{}°",
    36: "rг",
    39: "т",
    40: "sz",
    42: "cс",
    43: "/L\\з",
    44: '"Гэ“”',
    46: "Fxх",
    47: "?",
    48: "SZgkvy|у",
    49: "EЕЗчЁ",
    50: "#*+<=>T^_a~Тавкья–•×−±≤≥",
    51: "$0123456789eеё€",
    52: "Y",
    53: "CСл",
    54: "PbdhnopquРЭбопр«»",
    55: "KУн",
    56: "XБХЬийъ",
    57: "BRВКЧц",
    58: "Я",
    59: "д₽",
    60: "V",
    61: "AА",
    63: "ЛП",
    64: "DGHНЪ",
    66: "NUИЙЦ",
    68: "OДОф",
    69: "Q",
    71: "&",
    72: "мы…",
    73: "%Ф",
    74: "ж",
    75: "w",
    76: "ю",
    77: "ш",
    79: "щ",
    80: "Ы",
    82: "m",
    84: "Ж",
    88: "MМ",
    90: "@Ш",
    91: "W—",
    92: "Ю",
    93: "Щ",
    105: "№",
}
_ADVANCE = {
    bold: {ch: size for size, chars in table.items() for ch in chars}
    for bold, table in ((False, _REGULAR), (True, _BOLD))
}
#: Excel draws Calibri hinted to whole pixels: a line comes out up to a few per cent
#: wider than the font's own widths (LibreOffice draws them as they are).
HINTING = 1.04
#: A cell's text starts and ends this far (points) inside its column.
CELL_PADDING = 3.0
#: Excel's height of a line of wrapped Calibri 11, as its row autofit makes it
#: (LibreOffice draws the lines closer).
LINE_PT = 15.0


@functools.lru_cache(maxsize=1 << 16)
def text_points(text: str, size: float = 11.0, bold: bool = False) -> float:
    """The width of `text` in points, set in Calibri (Carlito) of `size` points (kept
    per text: a regional workbook measures the same names and words thousands of times)."""
    return sum(map(_ADVANCE[bold].get, text, itertools.repeat(93))) * size / 100 * HINTING


@functools.lru_cache(maxsize=1 << 16)
def text_lines(text: str, width: float, bold: bool = False, size: float = 11.0) -> int:
    """Lines `text` takes wrapped in a column `width` characters wide: words move whole
    to the next line, a word longer than the line breaks (as Excel and LibreOffice do)."""
    room = max(column_points(width) - CELL_PADDING, 1.0)
    space = text_points(" ", size, bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        count, used = 1, 0.0
        for word in paragraph.split():
            length = text_points(word, size, bold)
            if used and used + space + length > room:
                count, used = count + 1, 0.0
            used += (space if used else 0.0) + length
            while used > room:  # a word longer than the line breaks
                count, used = count + 1, used - room
        lines += count
    return lines


@functools.lru_cache(maxsize=1 << 16)
def fit_width(text: str, bold: bool = False) -> float:
    """The column width (characters) that shows `text` on one line."""
    longest = max((text_points(line, bold=bold) for line in str(text).split("\n")), default=0.0)
    pixels = math.ceil((longest + CELL_PADDING) / 0.75 - 5)  # a column is whole pixels
    return round(max(pixels, 0) / 7, 4)


def row_height(text: str, width: float, bold: bool = False) -> float:
    """A row's height (points) that shows `text` wrapped in a column `width` wide, in
    Excel and in LibreOffice (which keeps a row's height as written)."""
    return LINE_PT * text_lines(text, width, bold)


@dataclass(frozen=True)
class Plan:
    landscape: bool
    scale: int  # per cent
    fits: bool  # all columns on one page width

    @property
    def smallest(self) -> float:
        return self.scale / 100


def least_scale(smallest_font: float = 11.0) -> int:
    """The smallest scale (per cent) that prints type of `smallest_font` points at
    MIN_PT or more."""
    return math.ceil(100 * MIN_PT / smallest_font)


def plan(widths: Sequence[float], smallest_font: float = 11.0, paged: bool = False) -> Plan:
    """Orientation and scale of a sheet whose columns are `widths` characters wide and
    whose smallest type is `smallest_font` points. `paged`: the sheet sets its own page
    widths (vertical page breaks, each page width with the first columns repeated),
    laid out for the smallest readable scale."""
    least = least_scale(smallest_font)
    if paged:
        return Plan(True, least, False)
    total = SPARE * sum(column_points(w) for w in widths) or 1.0
    portrait = math.floor(100 * printable(False) / total)
    if portrait >= 100:
        return Plan(False, 100, True)
    if portrait >= max(PORTRAIT_LEAST, least):  # a little smaller: twice the rows a page
        return Plan(False, portrait, True)
    fit = math.floor(100 * printable(True) / total)
    if fit >= 100:
        return Plan(True, 100, True)
    if fit >= least:
        return Plan(True, fit, True)
    return Plan(True, least, False)


def page_points(smallest_font: float = 11.0) -> float:
    """The width (points of the sheet, with the plan's spare) of an A4 landscape page
    printed at the smallest readable scale."""
    return printable(True) * 100 / least_scale(smallest_font) / SPARE


def widen(
    widths: list[float],
    breaks: Sequence[int],
    keys: int,
    columns: Collection[int],
    wanted: Sequence[float],
    smallest_font: float = 11.0,
) -> None:
    """Give the room a page width leaves to its wrapping `columns`, each up to the width
    it `wanted` (its text on one line): fewer lines, lower rows. In place."""
    capacity = page_points(smallest_font)
    keys_points = sum(column_points(w) for w in widths[:keys])
    edges = [0, *breaks, len(widths)]
    for first, (a, b) in enumerate(itertools.pairwise(edges)):
        mine = [c for c in range(max(a, keys), b) if c in columns]  # keys stay as they are
        used = sum(column_points(w) for w in widths[a:b]) + (keys_points if first else 0)
        spare = (capacity - used) / 0.75 / 7  # characters
        while spare > 0.5 and (growing := [c for c in mine if widths[c] < wanted[c]]):
            share = spare / len(growing)
            for c in growing:
                more = min(share, wanted[c] - widths[c])
                widths[c] += more
                spare -= more


def page_breaks(widths: Sequence[float], keys: int = 1, smallest_font: float = 11.0) -> list[int]:
    """Logical page widths of a table too wide for one A4 landscape page at its smallest
    readable scale: the first column of each page width after the first, so that every
    page width holds its columns beside the `keys` first columns (repeated on each) and
    the columns are shared evenly — no page width of one narrow column. Empty when the
    table fits one page width (or its key columns leave no room)."""
    points = [column_points(w) for w in widths]
    capacity = page_points(smallest_font)
    room = capacity - sum(points[:keys])
    rest = points[keys:]
    if sum(points) <= capacity or not rest or max(rest) > room:
        return []

    def split(limit: float) -> list[int]:
        starts, used = [], 0.0
        for i, w in enumerate(rest):
            if used and used + w > limit:
                starts.append(keys + i)
                used = 0.0
            used += w
        return starts

    pages = len(split(room))
    low, high = max(rest), room  # the narrowest widest page width of as many pages
    for _ in range(40):
        middle = (low + high) / 2
        if len(split(middle)) <= pages:
            high = middle
        else:
            low = middle
    return split(high)


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
    paged = bool(getattr(ws, "vbreaks", None))  # its own page widths
    p = plan(xlsxwriter_widths(ws) if widths is None else widths, smallest_font, paged)
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
    "fit_width",
    "least_scale",
    "page_breaks",
    "page_points",
    "period_title",
    "plan",
    "row_height",
    "setup_openpyxl",
    "setup_xlsxwriter",
    "text_lines",
    "text_points",
    "widen",
]
