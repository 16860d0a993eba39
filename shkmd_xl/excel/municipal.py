"""Buttons «Проверить» / «Очистить замечания» of the municipal .xlsm variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..forms import console as C
from ..messages import render
from ._book import UserError, guarded

PROBLEM = (255, 199, 206)
WARNING = (255, 235, 156)
HEADERS = ["Код", "Важность", "Лист", "Ячейка", "ОО", "Замечание"]


def _sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def write_remarks(book: Any, rows: list[dict[str, Any]], mark_cells: bool = True) -> None:
    """(Re)create the «Замечания» sheet; colour each finding's cell; go to the first."""
    if C.REMARKS_SHEET in _sheet_names(book):
        book.sheets[C.REMARKS_SHEET].delete()
    sheet = book.sheets.add(C.REMARKS_SHEET, before=book.sheets[0])
    table = [HEADERS] + [
        [r["code"], r["severity"], r["sheet"], r["cell"], r["school"], r["message"]] for r in rows
    ]
    sheet["A1"].value = table
    sheet["A1:F1"].color = (221, 235, 247)
    if not mark_cells:
        return
    names = set(_sheet_names(book))
    for r in rows:
        if r["sheet"] in names and r["cell"]:
            colour = PROBLEM if r["severity"] == "ошибка" else WARNING
            book.sheets[r["sheet"]][r["cell"]].color = colour
    first = next((r for r in rows if r["sheet"] in names and r["cell"]), None)
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
            errors=stats["ошибка"],
            warnings=stats["предупреждение"],
            infos=stats["сведения"],
        )
    )
    book.sheets[C.REMARKS_SHEET]["H1"].value = message


@guarded
def clear_remarks(book: Any) -> None:
    """Remove exactly what «Проверить» added: the sheet and the colours it listed."""
    if C.REMARKS_SHEET not in _sheet_names(book):
        return
    rows = book.sheets[C.REMARKS_SHEET]["A1"].expand().value or []
    names = set(_sheet_names(book))
    for row in rows[1:]:
        sheet, cell = (row[2], row[3]) if len(row) >= 4 else (None, None)
        if sheet in names and cell:
            book.sheets[sheet][cell].color = None
    book.sheets[C.REMARKS_SHEET].delete()
