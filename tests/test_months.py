"""Monitoring months come from the campaign (seed 001 monitors quarterly and in September;
seed 003 in April, June and November): the МОУО sheet, Справочники, Контроль, the rules
and the campaign workbook follow the campaign's own months."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign, CampaignError, check
from shkmd_xl.campaign.models import default_months
from shkmd_xl.forms import sheets as F
from shkmd_xl.pipeline import check as check_file
from shkmd_xl.reader.campaign_book import read_campaign_workbook
from shkmd_xl.template.campaign_book import write_campaign_workbook
from shkmd_xl.template.control import READY, RESULT_ROW
from shkmd_xl.template.workbook import write_municipal_workbook

from .conftest import GENERATED_AT
from .fills import fill_with_openpyxl, good_fill
from .lo import run_jobs

#: Quarterly, with September (seed 001), the stages of school monitoring I–III.
MONTHS = [("Март", "I"), ("Июнь", "II"), ("Сентябрь", "II"), ("Декабрь", "III")]
#: The default months become these (an indicator of April is collected in March…).
RENAMED = {"Апрель": ["Март"], "Июнь": ["Июнь", "Сентябрь"], "Ноябрь": ["Декабрь"]}


def quarterly(campaign: Campaign) -> Campaign:
    data = json.loads(campaign.model_dump_json())
    data["months"] = [{"name": n, "stage": s} for n, s in MONTHS]
    for ind in data["indicators"]:
        ind["slots"] = [m for s in ind["slots"] for m in RENAMED[s]]
    data["periods"] = [
        {"code": "2026-03", "name": "Март 2026", "slot": "Март", "deadline": "2026-03-31"},
        {"code": "2026-06", "name": "Июнь 2026", "slot": "Июнь", "deadline": "2026-07-10"},
        {"code": "2026-09", "name": "Сентябрь 2026", "slot": "Сентябрь", "deadline": "2026-09-30"},
        {"code": "2026-12", "name": "Декабрь 2026", "slot": "Декабрь", "deadline": "2026-12-25"},
    ]
    for p in data["periods"]:
        p["roadmap_year"] = "2025/2026" if p["code"] < "2026-09" else "2026/2027"
    return check(Campaign.model_validate(data))


@pytest.fixture(scope="module")
def q(campaign: Campaign) -> Campaign:
    return quarterly(campaign)


@pytest.fixture(scope="module")
def q_template(q: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quarterly")
    return write_municipal_workbook(q, "SOLN", out / "SOLN.xlsx", GENERATED_AT)


def test_the_default_campaign_names_the_methods_months(campaign: Campaign) -> None:
    assert [(m.name, m.stage) for m in campaign.months] == [
        ("Апрель", "I"),
        ("Июнь", "II"),
        ("Ноябрь", "III"),
    ]
    assert campaign.months == default_months()
    assert [p.month_number for p in campaign.periods] == [1, 2, 3]


def test_periods_and_indicators_take_their_stage_from_the_months(q: Campaign) -> None:
    assert [(p.code, p.stage, p.month_number) for p in q.periods] == [
        ("2026-03", "I", 1),
        ("2026-06", "II", 2),
        ("2026-09", "II", 3),
        ("2026-12", "III", 4),
    ]
    s01 = next(i for i in q.school_indicators if i.code == "S01")
    assert s01.slots == ["Март", "Декабрь"] and s01.stages == ["I", "III"]


def test_the_mouo_sheet_and_control_follow_the_months(q: Campaign, q_template: Path) -> None:
    book = openpyxl.load_workbook(q_template)
    header = [c.value for c in book[F.MOUO_NAME][F.mouo_form(q).header_row + 1]]
    assert header[3:] == [f"{m}: {what}" for m, _ in MONTHS for what in ("значение", "ссылка")]
    control = book[F.CONTROL]
    label = control.cell(F.CONTROL_AT.slot_no + 1, 1).value
    assert label == "Номер месяца (1 — март, 2 — июнь, 3 — сентябрь, 4 — декабрь)"
    lists = book[F.LISTS]
    rows = [[c.value for c in row] for row in lists.iter_rows()]
    periods = [r for r in rows if "Сентябрь 2026" in r]
    assert periods and "Сентябрь" in periods[0] and 3 in periods[0]
    steps = [c.value for row in book[F.INSTRUCTION].iter_rows() for c in row if c.value]
    assert any("(I — март, II — июнь и сентябрь, III — декабрь)" in str(v) for v in steps)


def test_the_check_asks_for_the_months_values(
    q: Campaign, q_template: Path, tmp_path: Path
) -> None:
    fill = good_fill(q, "SOLN", "2026-09")
    fine = check_file(fill_with_openpyxl(q_template, fill, tmp_path / "ok.xlsx"), q)
    assert [i.message for i in fine] == []

    fill.set(F.mouo_form(q), 0, F.value_key("Сентябрь"), None)
    fill.set(F.ROADMAP, 0, "status", None)
    report = check_file(fill_with_openpyxl(q_template, fill, tmp_path / "bad.xlsx"), q)
    codes = sorted(i.code for i in report)
    assert codes == ["MN01", "RM09"], [i.message for i in report]
    assert "«Сентябрь»" in next(i.message for i in report if i.code == "MN01")

    march = good_fill(q, "SOLN", "2026-03")
    march.set(F.ROADMAP, 0, "status", None)  # statuses are due after the first month only
    first = check_file(fill_with_openpyxl(q_template, march, tmp_path / "march.xlsx"), q)
    assert [i.message for i in first] == []


def test_the_campaign_workbook_keeps_the_months(q: Campaign, tmp_path: Path) -> None:
    back = read_campaign_workbook(write_campaign_workbook(q, tmp_path / "campaign.xlsx"))
    assert [(m.name, m.stage) for m in back.months] == MONTHS
    assert [i.slots for i in back.indicators] == [i.slots for i in q.indicators]
    assert [p.slot for p in back.periods] == [p.slot for p in q.periods]


def test_an_unknown_month_is_refused_naming_the_row(q: Campaign) -> None:
    data = json.loads(q.model_dump_json())
    data["periods"][2]["slot"] = "Октябрь"
    with pytest.raises(CampaignError) as refused:
        check(Campaign.model_validate(data))
    text = "\n".join(refused.value.problems)
    assert "Лист «Периоды», строка 4: месяц мониторинга «Октябрь»" in text
    assert "Допустимо: Март, Июнь, Сентябрь, Декабрь" in text


@pytest.mark.libreoffice
def test_control_is_ready_for_a_september_report(q: Campaign, q_template: Path) -> None:
    fill = good_fill(q, "SOLN", "2026-09")
    job = {"open": str(q_template), "cells": [list(c) for c in fill.cells]}
    job["read"] = [[F.CONTROL, "A1:C10"]]
    (result,) = run_jobs([job])
    control = result["read"][f"{F.CONTROL}!A1:C10"]
    assert control[F.CONTROL_AT.slot][1] == "Сентябрь"
    assert control[F.CONTROL_AT.slot_no][1] == "3"
    assert control[F.CONTROL_AT.stage][1] == "II"
    assert control[RESULT_ROW][1] == READY, control[RESULT_ROW]
