"""Golden tests of the regional outputs: values and structure, not bytes.

``collect`` runs on a small inbox built here for the tests' own campaign
(``tests/campaign``: three municipalities, six schools) over April and November
2026; the November regional workbook and the справка are read back
(``tests/golden.py``: every cell value, number formats, merged ranges, charts;
paragraphs, tables) and compared with ``tests/golden/*.json``. Run dates and
hashes are normalised away.

When an output changes on purpose, regenerate the golden files and review the diff:

    SHKMD_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.collect import CollectResult, collect
from shkmd_xl.forms import sheets as F
from shkmd_xl.regional.brief import make_brief
from shkmd_xl.template.workbook import write_municipal_workbook

from .breakers import DIR4, ev
from .campaign import small_campaign
from .fills import Fill, fill_with_openpyxl, good_fill
from .golden import assert_golden, normalise, read_docx, read_xlsx

pytestmark = pytest.mark.slow

PERIODS = ("2026-04", "2026-11")


def _values(fill: Fill, c: Campaign, period: str, jump: float = 0.0) -> None:
    """Distinct school values per school, indicator and period (so that the regional
    means, dynamics and clusters have something to show); ``jump`` moves S03 of the
    first school (an outlier, MN06)."""
    sm = F.school_monitoring_form(c)
    p = c.period(period)
    later = period != PERIODS[0]
    first = [s.municipality for s in c.schools].index(fill.municipality)
    for i, _ in enumerate(c.schools_of(fill.municipality)):
        g = first + i  # the school's place in the registry: no two schools alike
        row = i * len(F.STAGES) + F.STAGES.index(p.stage)
        for j, ind in enumerate(c.school_indicators):
            if p.stage not in ind.stages:
                continue
            if ind.value_type == "чел.":
                value: float = 20 + 3 * g
            else:
                value = 50 + 6 * g + 3 * j + ((g % 3) * 5 - 3) * later
                if jump and i == 0 and ind.code == "S03":
                    value += jump
            fill.set(sm, row, ind.code, value)


def _inbox(c: Campaign, root: Path, period: str) -> Path:
    """SEV sends clean reports; YUG forgets a direction in April (RM02); VOS is silent in
    April and in November answers «Да» without a link (MN02); SEV's first school moves
    S03 by 40 p.p. in November (MN06)."""
    folder = root / "Входящие" / period
    folder.mkdir(parents=True)
    p = c.period(period)
    base = dt.datetime.combine(p.deadline, dt.time(10, 0)) - dt.timedelta(days=3)
    for n, m in enumerate(c.municipalities):
        if m.code == "VOS" and period == "2026-04":
            continue
        template = write_municipal_workbook(
            c, m.code, root / "шаблоны" / f"{m.code}.xlsx", dt.datetime(2026, 1, 1)
        )
        fill = good_fill(c, m.code, period)
        _values(fill, c, period, jump=40.0 if (m.code, period) == ("SEV", "2026-11") else 0.0)
        if (m.code, period) == ("YUG", "2026-04"):
            fill.drop_row(F.ROADMAP, ev(1, DIR4))
        if (m.code, period) == ("VOS", "2026-11"):
            fill.set(F.mouo_form(c), 0, F.link_key(p.slot), None)
        path = fill_with_openpyxl(template, fill, folder / f"Отчёт {m.code} {p.name}.xlsx")
        when = (base + dt.timedelta(hours=n)).timestamp()
        os.utime(path, (when, when))
    return folder


def _results_export(c: Campaign, root: Path, year: int) -> Path:
    """The data-processing centre's export of ``year``: ЕГЭ and ОГЭ of every school, the
    last school weak, the fourth rising from 2025 to 2026."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Код ОО", "Экзамен", "Предмет", "Класс", "Участников", "Средний балл",
               "Доля не преодолевших минимальный порог", "Доля высоких результатов, %"])  # fmt: skip
    for g, s in enumerate(c.schools):
        a = (g % 3 - 1) * 0.5 - (1.5 if g == len(c.schools) - 1 else 0.0)
        a += 1.5 if (g == 3 and year == 2026) else 0.0
        ws.append([s.code, "ЕГЭ", "Русский язык", 11, 20 + g, round(66 + 6 * a, 1),
                   max(0.0, round(4 - 4 * a, 1)), 12])  # fmt: skip
        ws.append([s.code, "ОГЭ", "Математика", 9, 40 + 2 * g, round(3.6 + 0.3 * a, 2),
                   max(0.0, round(8 - 8 * a, 1)), 15])  # fmt: skip
    path = root / f"РЦОИ {year}.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from shkmd_xl.pipeline import import_results

    c = small_campaign()
    root = tmp_path_factory.mktemp("golden")
    out = root / "Результаты"
    for year in (2025, 2026):
        assert not import_results(_results_export(c, root, year), f"{year}-06", c, out).refused
    results: dict[str, CollectResult] = {}
    for period in PERIODS:
        results[period] = collect(_inbox(c, root, period), period, c, out, workers=1)
    return {"campaign": c, "out": out, "results": results}


def test_regional_workbook_golden(run: dict) -> None:
    path = run["results"]["2026-11"].outputs["regional"]
    assert_golden("regional_2026-11", normalise(read_xlsx(path)))


def test_brief_golden(run: dict) -> None:
    path = make_brief(run["out"], "2026-11", run["campaign"])
    assert_golden("brief_2026-11", normalise(read_docx(path)))


def test_golden_inbox_gives_the_seeded_findings(run: dict) -> None:
    """The golden files show what they are meant to: the seeded findings, by code."""
    import openpyxl

    c = run["campaign"]
    name = {m.code: m.name for m in c.municipalities}
    found = set()
    for period, result in run["results"].items():
        ws = openpyxl.load_workbook(result.outputs["regional"], read_only=True)["Пробелы"]
        rows = list(ws.iter_rows(values_only=True))
        for r in rows[1:]:
            row = dict(zip(rows[0], r, strict=True))
            found.add((period, row["Код"], row["Муниципальное образование"]))
    assert {
        ("2026-04", "RM02", name["YUG"]),
        ("2026-04", "GP01", name["VOS"]),
        ("2026-11", "MN02", name["VOS"]),
        ("2026-11", "MN06", name["SEV"]),
    } <= found
