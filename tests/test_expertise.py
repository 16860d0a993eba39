"""Expertise of documents (seed 004 «не менее 70 % экспертизы документов»): the expert
workbook lists the roadmap rows with their documents; experts mark them in Excel (here:
openpyxl) or LibreOffice (through UNO); collect reads the marks back and the target is
computed instead of «не собирается». A bad mark is reported naming its cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.expertise import HEADERS, SHEET, expertise_path, read_expertise
from shkmd_xl.forms import sheets as F
from shkmd_xl.template.workbook import write_municipal_workbook

from .campaign import small_campaign
from .clirun import run_cli
from .fills import fill_with_openpyxl, good_fill

pytestmark = pytest.mark.slow
PERIOD = "2026-11"
#: roadmap rows (of the sheet) of each report given a document (status «Выполнено»)
DOCUMENTED = (0, 1, 3)


def _inbox(c: Campaign, root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    for m in c.municipalities:
        template = write_municipal_workbook(c, m.code, root / f"{m.code}.xlsx")
        fill = good_fill(c, m.code, PERIOD)
        for row in DOCUMENTED:
            fill.set(F.ROADMAP, row, "status", "Выполнено")
            link = f"https://{m.code.lower()}.example.ru/doc{row}.pdf"
            fill.set(F.ROADMAP, row, "evidence", link if row else "Приказ № 12 от 01.10.2026")
        fill_with_openpyxl(template, fill, inbox / f"Отчёт {m.code}.xlsx")
    return inbox


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    c = small_campaign()
    root = tmp_path_factory.mktemp("expertise")
    inbox = _inbox(c, root)
    campaign_file = root / "campaign.json"
    campaign_file.write_text(c.model_dump_json(), encoding="utf-8")
    out = root / "out"
    collect(inbox, PERIOD, c, out, workers=1)
    return {"campaign": c, "inbox": inbox, "out": out, "campaign_file": campaign_file}


def _targets(out: Path, c: Campaign) -> dict[str, Any]:
    from shkmd_xl.consolidate import consolidate
    from shkmd_xl.figures.targets import targets
    from shkmd_xl.store import Store

    store = Store(out / "shkmd.sqlite")
    try:
        return {t.key: t for t in targets(store, c, consolidate(store, c, PERIOD))}
    finally:
        store.close()


def _write(run: dict[str, Any]) -> Path:
    done = run_cli(
        "expertise",
        "--period",
        PERIOD,
        "--out",
        str(run["out"]),
        "--campaign",
        str(run["campaign_file"]),
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Книга экспертизы записана" in done.stdout
    return expertise_path(run["out"], PERIOD)


def _column(ws: Any, key: str) -> int:
    return [c.value for c in ws[1]].index(HEADERS[key]) + 1


def test_expertise_round_trip_with_openpyxl(run: dict[str, Any]) -> None:
    c, out = run["campaign"], run["out"]
    before = _targets(out, c)
    assert before["expertise"].actual == "экспертиза не проведена"
    assert before["expertise"].status == "—"
    path = _write(run)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    documents = len(DOCUMENTED) * len(c.municipalities)  # rows of each report
    assert len(rows) == documents  # one row per roadmap row with a document
    evidence = ws.cell(3, _column(ws, "evidence"))
    assert evidence.hyperlink is not None and evidence.hyperlink.target.startswith("https://")
    assert ws.column_dimensions["K"].hidden  # the machine key
    mark, comment = _column(ws, "mark"), _column(ws, "comment")
    marked = documents - 4  # four rows left unexamined, one of them with a bad mark
    for r in range(2, 2 + marked):
        ws.cell(r, mark, "соответствует" if r % 3 else "Не соответствует ")
        if r % 3 == 0:
            ws.cell(r, comment, "приказ не подписан")
    ws.cell(2 + marked, mark, "почти")
    wb.save(path)
    result = collect(run["inbox"], PERIOD, c, out, workers=1)
    assert result.expertise == path and result.expertise_marks == marked
    assert len(result.expertise_problems) == 1
    problem = result.expertise_problems[0]
    assert f"ячейка H{2 + marked}" in problem and "«почти»" in problem
    got = _targets(out, c)
    expertise, conforming = got["expertise"], got["conforming"]
    assert expertise.value == round(100 * marked / documents, 1)
    assert expertise.status == ("да" if expertise.value >= 70 else "нет")
    failed = sum(1 for r in range(2, 2 + marked) if r % 3 == 0)
    assert conforming.value == round(100 * (marked - failed) / marked, 1)
    assert conforming.status == "—"  # no value set by the region by default
    assert "Экспертиза_2026-11.xlsx" in expertise.note
    # written again (new reports may have come): the experts' marks are kept
    again = openpyxl.load_workbook(_write(run))[SHEET]
    kept = [r[mark - 1] for r in again.iter_rows(min_row=2, values_only=True)]
    assert kept.count("соответствует") + kept.count("не соответствует") == marked


def test_expertise_marked_in_libreoffice_reads_back(run: dict[str, Any], tmp_path: Path) -> None:
    """An expert types marks in LibreOffice Calc and saves .xlsx: read back, a mark typed
    in another case is understood, a wrong one named by its cell."""
    from .lo import run_jobs

    path = _write(run)
    saved = tmp_path / "marked.xlsx"
    run_jobs(
        [
            {
                "open": str(path),
                "cells": [
                    [SHEET, "H2", "соответствует", "string"],
                    [SHEET, "H3", "НЕ СООТВЕТСТВУЕТ", "string"],
                    [SHEET, "I3", "нет подписи", "string"],
                    [SHEET, "H4", "да", "string"],
                ],
                "save": [[str(saved), "xlsx"]],
            }
        ]
    )
    got = read_expertise(saved)
    marks = {m.mark for m in got.marks}
    assert len(got.marks) >= 2 and {"соответствует", "не соответствует"} <= marks
    assert any(m.comment == "нет подписи" for m in got.marks)
    assert any("ячейка H4" in p and "«да»" in p for p in got.problems), got.problems


def test_expertise_messages_are_russian_and_name_what_to_do(tmp_path: Path) -> None:
    wrong = tmp_path / "Экспертиза.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Лист1"
    wb.save(wrong)
    got = read_expertise(wrong)
    assert got.problems and "нет листа «Экспертиза»" in got.problems[0]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert "не удалось прочитать" in read_expertise(broken).problems[0]
    done = run_cli("expertise", "--period", PERIOD, "--out", str(tmp_path / "нет"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "shkmd-xl collect" in done.stderr + done.stdout
