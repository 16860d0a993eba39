"""Issue 18's acceptance on the demo as a user runs it (``shkmd-xl demo``): two years of
results with a realistic spread, and the regional workbook, the справка and the federal
summary showing the integral indicator, the schools with low results, the zones by
subject, municipal against regional means and the targets of «Цели проекта» — the
targets the results decide printing one and the same figure everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.campaign.goals import MEASURES
from shkmd_xl.messages import render

pytestmark = pytest.mark.slow

PERIOD = "2026-11"
LEARNING = ("effective", "positive", "graduates")


def _rows(ws: Any) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    header = [h for h in rows[0] if h is not None]
    return [
        dict(zip(header, r[: len(header)], strict=True))
        for r in rows[1:]
        if any(v is not None for v in r)
    ]


@pytest.fixture(scope="module")
def workbook(demo_run: tuple[Path, str]) -> Any:
    return openpyxl.load_workbook(demo_run[0] / "Результаты" / f"Свод_{PERIOD}.xlsx")


@pytest.fixture(scope="module")
def brief(demo_run: tuple[Path, str]) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    doc = docx.Document(str(demo_run[0] / "Результаты" / f"Справка_{PERIOD}.docx"))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [p.text for p in doc.paragraphs], tables


def test_demo_results_spread(workbook: Any, campaign: Campaign) -> None:
    """Some schools low, some improving beyond the noise across the two years."""
    schools = _rows(workbook["Интегральный показатель"])
    judged = [s for s in schools if isinstance(s["Интегральный показатель"], float)]
    assert len(judged) == len(campaign.schools)
    low = [s for s in judged if s["Низкие результаты"] == "Да"]
    confirmed = [s for s in judged if s["Рост подтверждён"] == "Да"]
    assert 0 < len(low) < len(judged) / 2
    assert 0 < len(confirmed) < len(judged)
    assert all((s["Изменение"] or 0) > 0 for s in confirmed)
    zones = [z for z in _rows(workbook["Зоны по предметам"]) if z["Процедура"]]
    assert zones and all(z["Почему в зоне"] for z in zones)
    means = [m for m in _rows(workbook["Средние результаты МО"]) if m["Процедура"]]
    assert means and all(m["Средний по региону"] is not None for m in means)
    assert {m["Муниципальное образование"] for m in means} >= {
        m.name for m in campaign.municipalities[:3]
    }


def test_targets_from_the_campaign_in_workbook_and_brief(
    workbook: Any, brief: tuple[list[str], list[list[list[str]]]], campaign: Campaign
) -> None:
    """«Показатели проекта» and the справка's targets table list «Цели проекта» (wording,
    target, source); the three the results decide show the same «Факт» in both, judged
    by results with the rule's source and how «confirmed» is told from noise."""
    sheet = {r["Показатель"]: r for r in _rows(workbook["Показатели проекта"])}
    texts, tables = brief
    header = render("brief.targets.columns").split("|")
    (table,) = [t for t in tables if t[0] == header]
    in_brief = {row[0]: row for row in table[1:]}
    for goal in campaign.goals:
        row = sheet[goal.wording]
        assert row["Цель"] == goal.target_text() == in_brief[goal.wording][1]
        assert row["Источник цели"] == goal.source_text() == in_brief[goal.wording][5]
        assert row["Факт"] == in_brief[goal.wording][2], goal.key
    for key in LEARNING:
        goal = next(g for g in campaign.goals if g.key == key)
        row = sheet[goal.wording]
        assert " из " in row["Факт"], key
        assert row["Как считается"].startswith("по результатам обучения"), key
        assert any(t.startswith(f"«{goal.wording}»: как считается") for t in texts), key
    positive = sheet[next(g.wording for g in campaign.goals if g.key == "positive")]
    assert "стандартной ошибки" in positive["Как считается"]
    assert "правило региона: в документах проекта не задано" in positive["Как считается"]


def test_brief_shows_the_results(brief: tuple[list[str], list[list[list[str]]]]) -> None:
    """The справка's «Результаты обучения»: the low-result list, zones by subject, municipal
    against regional means, by school type; its own summary agrees with the targets."""
    texts, tables = brief
    for key in ("brief.learning", *(f"brief.learning.{k}" for k in ("low", "zones", "means"))):
        assert render(key) in texts, key
    for key in ("low", "zones", "means", "types"):
        header = render(f"brief.learning.{key}.columns").split("|")
        found = [t for t in tables if t[0] == header]
        assert found and len(found[0]) > 1, key
    # the survey-based flags have their own name; «зона низкого качества» is the results'
    assert render("brief.zones") in texts and "Зоны низкого качества" not in texts


def test_federal_summary_of_the_demo(demo_run: tuple[Path, str]) -> None:
    """The demo's two federal regions carry their results: counts and the targets."""
    path = demo_run[0] / "Федерация" / "Свод" / f"Свод_регионов_{PERIOD}.xlsx"
    rows = {r["Код региона"]: r for r in _rows(openpyxl.load_workbook(path)["Регионы"])}
    for code in ("50", "69"):
        assert rows[code]["ОО с интегральным показателем (результаты обучения)"] > 0
        assert rows[code]["ОО с низкими результатами"] > 0
        for key in LEARNING:
            fact = rows[code][f"{MEASURES[key][0]} (по результатам обучения)"]
            assert " из " in fact, (code, key)
