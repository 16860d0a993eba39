"""The one colour palette of every workbook, copy and button (hex RGB)."""

from __future__ import annotations

from .statuses import Decision, Status

ERROR = "#FFC7CE"  # an error: a marked cell, a status to redo, a failed button
WARNING = "#FFD966"  # a warning: a marked cell, accepted with remarks (gold: not the input cream)
OK = "#C6EFCE"  # accepted, ready, a button that worked
GREY = "#D9D9D9"  # not collected in this period; not submitted
INPUT = "#FFF9DB"  # cells to fill
HEADER = "#DDEBF7"
MISSING_INPUT = "#F8CBAD"  # required and empty
INVALID = "#FF7C80"  # an invalid value as the template sees it
WHITE = "#FFFFFF"

#: A line beside each mark's colour, so a mark survives black-and-white printing and
#: colour blindness: (xlsxwriter border index, openpyxl style, line colour). Thin styles
#: only: Excel's conditional formats take no thicker border.
MARK_LINES = {
    "error": (1, "thin", "#C00000"),  # a cell the check found wrong: solid frame
    "warning": (3, "dashed", "#7F6000"),  # a warning of the check: dashed frame
    "invalid": (9, "dashDot", "#C00000"),  # invalid as the template sees it: dash-dot
    "missing": (4, "dotted", "#843C0C"),  # required and empty: dotted frame
}

#: Statuses of municipalities, in every output that shows them.
STATUS = {
    Status.ACCEPTED: OK,
    Status.ACCEPTED_REMARKS: WARNING,
    Status.TO_REDO: ERROR,
    Status.MISSING: GREY,
}


def rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) of a palette colour, as xlwings sets it."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


#: The region's decisions (the «Решения» sheet, the buttons).
DECISION = {
    Decision.ACCEPT: OK,
    Decision.RETURN: ERROR,
    Decision.REOPEN: WARNING,
}
