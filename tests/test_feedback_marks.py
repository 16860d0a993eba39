"""Marks in feedback copies are visible where the template's own colours are (LibreOffice)."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from shkmd_xl import palette
from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.forms import sheets as F

from .fills import fill_with_openpyxl, good_fill
from .lo import run_jobs

pytestmark = pytest.mark.libreoffice
RED = b"1 0.7803921568 0.8078431372 rg"  # FFC7CE, the error mark, as LibreOffice paints it


def _rg(colour: str) -> bytes:
    """A palette colour as LibreOffice's PDF sets it (``r g b rg``, 10 decimals cut)."""
    parts = []
    for k in (1, 3, 5):
        v = int(colour[k : k + 2], 16) / 255
        text = "1" if v == 1 else "0" if v == 0 else f"{int(v * 10**10) / 10**10:.10f}".rstrip("0")
        parts.append(text)
    return (" ".join(parts) + " rg").encode()


def _colours(pdf: Path) -> Counter[bytes]:
    """How often each fill colour is set in the printed pages (the legend of
    «Инструкция» shows the mark colours once, so tests compare counts)."""
    raw = pdf.read_bytes()
    found: Counter[bytes] = Counter()
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            found.update(re.findall(rb"[\d.]+ [\d.]+ [\d.]+ rg", zlib.decompress(m.group(1))))
        except zlib.error:
            continue
    return found


def test_error_cells_show_red_over_the_template_colours(
    tmp_path: Path, templates: dict[str, Path], campaign: Campaign
) -> None:
    fill = good_fill(campaign, "SOLN", "2026-11")
    fill.set(F.school_monitoring_form(campaign), 0, "S02", 150)  # MN05 on Мониторинг ОО
    inbox = tmp_path / "in"
    inbox.mkdir()
    sent = fill_with_openpyxl(templates["SOLN"], fill, inbox / "Отчёт.xlsx")
    result = collect(inbox, "2026-11", campaign, tmp_path / "out", workers=1)
    (copy,) = result.feedback
    pdfs = [tmp_path / "sent.pdf", tmp_path / "copy.pdf"]
    remarks = [["Замечания", r] for r in range(1, 6)]
    _, opened = run_jobs(
        [
            {"open": str(path), "recalc": False, "pdf": str(pdf), "heights": rows}
            for path, pdf, rows in zip((sent, copy), pdfs, ([], remarks), strict=True)
        ],
        default_profile=True,
    )
    # the marked cell is red in the copy, as printed (the template alone: legend only)
    assert _colours(pdfs[1])[RED] > _colours(pdfs[0])[RED]
    # rows of the remarks list are tall enough for their wrapped text (no overlap)
    assert all(saved + 30 >= optimal for saved, optimal in opened["heights"]), opened["heights"]

    # the municipality fixes the value: its mark clears and «Замечания» says «исправлено»
    mn05 = next(f for f in result.consolidation.findings if f["code"] == "MN05")
    remarks = openpyxl.load_workbook(copy)["Замечания"]
    header = [c.value for c in remarks[1]]
    column = get_column_letter(header.index("Осталось?") + 1)
    rows = [r for r in range(2, remarks.max_row + 1) if remarks.cell(r, 1).value == "MN05"]
    fixed_pdf = tmp_path / "fixed.pdf"
    (before, after) = run_jobs(
        [
            {"open": str(copy), "read": [["Замечания", f"{column}2:{column}{remarks.max_row}"]]},
            {
                "open": str(copy),
                "cells": [[mn05["sheet"], mn05["cell"], 75, "number"]],
                "read": [["Замечания", f"{column}2:{column}{remarks.max_row}"]],
                "pdf": str(fixed_pdf),
            },
        ],
        default_profile=True,
    )
    key = f"Замечания!{column}2:{column}{remarks.max_row}"
    said = [row[0] for row in before["read"][key]]
    with_cell = [bool(remarks.cell(r, 4).value) for r in range(2, remarks.max_row + 1)]
    assert said == ["осталось" if c else "" for c in with_cell], said  # a cell to compare
    now = [row[0] for row in after["read"][key]]
    assert all(now[r - 2] == "исправлено" for r in rows), now
    assert now.count("осталось") == sum(with_cell) - len(rows)
    assert _colours(fixed_pdf)[RED] < _colours(pdfs[1])[RED]  # the red mark is gone


def test_a_mark_holds_while_the_wrong_value_stays() -> None:
    """The mark's condition under Excel's rules: true for the value found wrong, false
    once it changes — for numbers, text (case-sensitive, long), dates, empty cells."""
    import datetime as dt

    from shkmd_xl.feedback.annotated import still_wrong

    from .excel_rules import evaluate_formula

    long_text = "Ж" * 300
    for found, fixed in (
        (150, 75),
        ("Иванов", "Иванов Иван Иванович"),
        ("abc", "ABC"),
        (long_text, long_text[:-1] + "Я"),
        (dt.date(2026, 13 - 1, 1), dt.date(2026, 11, 1)),
        (None, "заполнено"),
    ):
        assert evaluate_formula(still_wrong("A1", found), {"A1": found}) is True, found
        assert evaluate_formula(still_wrong("A1", found), {"A1": fixed}) is False, fixed


def test_check_button_marks_show_through_the_marks_sheet(
    tmp_path: Path, templates: dict[str, Path]
) -> None:
    """«Проверить» lists cells on the hidden «_marks» sheet and never writes into the
    protected form sheets: the template's first conditional formats colour them."""
    typed = [[F.ROADMAP.name, "G3", "Иванов И. И.", "string"]]  # a PDF prints used cells
    listed = [
        [F.MARKS, "A2", F.ROADMAP.name, "string"],
        [F.MARKS, "B2", "G3", "string"],
        [F.MARKS, "C2", "ошибка", "string"],
        [F.MARKS, "A3", F.TITLE.name, "string"],
        [F.MARKS, "B3", "B3", "string"],  # the municipality's name, prefilled
        [F.MARKS, "C3", "предупреждение", "string"],
    ]
    pdfs = [tmp_path / "clean.pdf", tmp_path / "marked.pdf"]
    run_jobs(
        [
            {"open": str(templates["SOLN"]), "cells": cells, "pdf": str(pdf)}
            for cells, pdf in zip((typed, typed + listed), pdfs, strict=True)
        ],
        default_profile=True,
    )
    yellow = _rg(palette.WARNING)  # the warning mark
    clean, marked = _colours(pdfs[0]), _colours(pdfs[1])
    assert marked[RED] > clean[RED] and marked[yellow] > clean[yellow]
