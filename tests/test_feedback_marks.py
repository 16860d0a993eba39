"""Marks in feedback copies are visible where the template's own colours are (LibreOffice)."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.forms import sheets as F

from .fills import fill_with_openpyxl, good_fill
from .lo import run_jobs

pytestmark = pytest.mark.libreoffice
RED = b"1 0.7803921568 0.8078431372 rg"  # FFC7CE, the error mark, as LibreOffice paints it


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
    yellow = b"1 0.9215686274 0.6117647058 rg"  # FFEB9C, the warning mark
    clean, marked = _colours(pdfs[0]), _colours(pdfs[1])
    assert marked[RED] > clean[RED] and marked[yellow] > clean[yellow]
