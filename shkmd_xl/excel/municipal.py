"""Buttons «Проверить» / «Очистить замечания» of the municipal .xlsm variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..forms import console as C
from ..forms import sheets as F
from ..issues import MUNICIPAL_COLUMNS, Severity, titles
from ..messages import render
from ._book import UserError, guarded

HEADERS = titles(MUNICIPAL_COLUMNS)


def _sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def write_remarks(book: Any, rows: list[dict[str, Any]], mark_cells: bool = True) -> None:
    """(Re)create the «Замечания» sheet; list each finding's cell on «_marks» (the
    template's conditional formats colour it); go to the first.

    Nothing is written into the protected form sheets: Excel refuses that (1004).
    """
    if C.REMARKS_SHEET in _sheet_names(book):
        book.sheets[C.REMARKS_SHEET].delete()
    sheet = book.sheets.add(C.REMARKS_SHEET, before=book.sheets[0])
    table = [HEADERS] + [[r[k] for k in MUNICIPAL_COLUMNS] for r in rows]
    sheet["A1"].value = table
    sheet["A1:F1"].color = (221, 235, 247)
    names = set(_sheet_names(book))
    marked = [r for r in rows if r["sheet"] in names and r["cell"]]
    if not mark_cells:
        return
    if F.MARKS in names:
        book.sheets[F.MARKS]["A2"].value = [[r["sheet"], r["cell"], r["severity"]] for r in marked]
    first = marked[0] if marked else None
    if first is not None:
        book.sheets[first["sheet"]].activate()
        book.sheets[first["sheet"]][first["cell"]].select()


@guarded
def check_workbook(book: Any) -> None:
    """Check the saved file of this workbook and show the remarks inside it."""
    from ..pipeline import check

    path = Path(book.fullname)
    if not path.is_file():
        raise UserError(render("excel.save_first"))
    clear_remarks(book)
    report = check(path)
    write_remarks(book, report.table())
    stats = report.stats
    message = (
        render("cli.check_ok", file=path.name)
        if not report.issues
        else render(
            "cli.check_summary",
            file=path.name,
            errors=stats[Severity.ERROR.ru],
            warnings=stats[Severity.WARNING.ru],
            infos=stats[Severity.INFO.ru],
        )
    )
    book.sheets[C.REMARKS_SHEET]["H1"].value = message


@guarded
def clear_remarks(book: Any) -> None:
    """Remove exactly what «Проверить» added: the «Замечания» sheet and the marks."""
    names = set(_sheet_names(book))
    if F.MARKS in names:
        marks = book.sheets[F.MARKS]
        used = marks["A1"].expand().value or []
        if len(used) > 1:
            marks[f"A2:C{len(used)}"].clear_contents()
    if C.REMARKS_SHEET in names:
        book.sheets[C.REMARKS_SHEET].delete()
