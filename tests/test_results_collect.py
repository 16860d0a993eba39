"""Both paths feed one table: a June report's «Результаты обучения» collected into the
store, last year's results imported; the figures count the report's rows, and a school
whose mean jumped since last year gets RS08 at collect."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import collect
from shkmd_xl.consolidate import consolidate
from shkmd_xl.figures.results import results_figures
from shkmd_xl.pipeline import import_results
from shkmd_xl.store.results import IMPORTED, rows_of_year
from shkmd_xl.store.sqlite import Store
from shkmd_xl.template.workbook import write_municipal_workbook

from .fills import RESULT_ROWS, fill_with_openpyxl, good_fill


def test_a_report_and_an_import_feed_the_same_table(tmp_path: Path, campaign: Campaign) -> None:
    schools = campaign.schools_of("SOLN")
    last_year = tmp_path / "РЦОИ 2025.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Код ОО", "Процедура", "Предмет", "Класс", "Участников", "Средний балл"])
    for k, s in enumerate(schools):
        for code, subject, grade, n, mean, *_ in RESULT_ROWS:
            moved = 40.0 if (k == 0 and code == "ЕГЭ") else 0.0  # 68.5 now, 28.5 then
            ws.append([s.code, code, subject, grade, n, mean - moved])
    wb.save(last_year)
    out = tmp_path / "Результаты"
    assert not import_results(last_year, "2025-06", campaign, out).refused

    inbox = tmp_path / "Входящие"
    inbox.mkdir()
    template = write_municipal_workbook(campaign, "SOLN", tmp_path / "SOLN.xlsx")
    fill_with_openpyxl(template, good_fill(campaign, "SOLN", "2026-06"), inbox / "SOLN.xlsx")
    collect(inbox, "2026-06", campaign, out, workers=1, feedback=False)

    store = Store(out / "shkmd.sqlite")
    now = rows_of_year(store, 2026)
    assert len(now) == len(schools) * len(RESULT_ROWS)
    assert not any(r.source.startswith(IMPORTED) for r in now)
    assert len(rows_of_year(store, 2025)) == len(schools) * len(RESULT_ROWS)
    cons = consolidate(store, campaign, "2026-06")
    jumps = [f for f in cons.findings if f["code"] == "RS08"]
    assert [(f["school"], f["sheet"], f["cell"]) for f in jumps] == [
        (schools[0].short_name, "Результаты обучения", "F2")
    ]
    figs = results_figures(store, campaign, cons)
    assert {s.school.short_name for s in figs.schools} == {s.short_name for s in schools}
    assert all(s.previous is not None for s in figs.schools if s.integral is not None)
    region = [t for t in figs.trend if t[3] == "Регион"]
    assert region and all(set(series) == {2025, 2026} for *_, series in region)
    store.close()
