"""A1 names of cells, without loading a spreadsheet library.

``shkmd-xl check`` names the cell of every finding; importing xlsxwriter for its
``xl_rowcol_to_cell`` cost the command more than the check of a whole workbook.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=512)
def column_letters(col: int) -> str:
    """0 -> «A», 25 -> «Z», 26 -> «AA» (zero-based column)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Zero-based row and column -> «B3», as xlsxwriter's ``xl_rowcol_to_cell``."""
    return f"{column_letters(col)}{row + 1}"
