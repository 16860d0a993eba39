"""Marks in feedback copies are visible where the template's own colours are (LibreOffice)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.forms import sheets as F

from .fills import fill_with_openpyxl, good_fill
from .lo import run_jobs

pytestmark = pytest.mark.libreoffice
RED = b"1 0.7803921568 0.8078431372 rg"  # FFC7CE, the error mark, as LibreOffice paints it


def _colours(pdf: Path) -> set[bytes]:
    raw = pdf.read_bytes()
    found: set[bytes] = set()
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            found |= set(re.findall(rb"[\d.]+ [\d.]+ [\d.]+ rg", zlib.decompress(m.group(1))))
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
    run_jobs(
        [
            {"open": str(path), "recalc": False, "pdf": str(pdf)}
            for path, pdf in zip((sent, copy), pdfs, strict=True)
        ],
        default_profile=True,
    )
    assert RED not in _colours(pdfs[0])  # the template alone paints no cell red
    assert RED in _colours(pdfs[1])  # the marked cell is red in the copy, as printed


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
    assert RED not in _colours(pdfs[0]) and yellow not in _colours(pdfs[0])
    assert RED in _colours(pdfs[1]) and yellow in _colours(pdfs[1])
