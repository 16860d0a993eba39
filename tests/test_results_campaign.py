"""Assessments and rules over results as campaign data («Оценочные процедуры»,
«Правила результатов»): defaults marked, read back, edited, refused in Russian."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from shkmd_xl.campaign import Campaign, CampaignError
from shkmd_xl.campaign.results import ResultsSettings
from shkmd_xl.forms import campaign_book as CB
from shkmd_xl.reader.campaign_book import read_campaign_workbook
from shkmd_xl.template.campaign_book import write_campaign_workbook


def test_defaults_follow_the_method(campaign: Campaign) -> None:
    """Seed 000 §1.5: the integral indicator is built from ЕГЭ, ОГЭ and РДР (ВПР serve to
    judge reliability: weight 0); results are due in June (stage II)."""
    r = campaign.results
    assert [a.code for a in r.assessments] == ["ЕГЭ", "ОГЭ", "ВПР", "РДР"]
    assert {a.code for a in r.assessments if a.weight > 0} == {"ЕГЭ", "ОГЭ", "РДР"}
    assert r.rules.months == ["Июнь"]
    assert r.assessment("ВПР").mean_kind == "средняя отметка"  # type: ignore[union-attr]


def test_round_trip_and_defaults_marked(tmp_path: Path, campaign: Campaign) -> None:
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    assert read_campaign_workbook(path).results == campaign.results
    wb = openpyxl.load_workbook(path)
    rules = {r[3]: r[1] for r in wb[CB.RESULTS_RULES.name].iter_rows(min_row=2, values_only=True)}
    for key in ("low_share", "zone_margin", "zone_fail_share", "confirm_z", "jump"):
        assert "задайте своё" in rules[key], key
    header = {c.value: c for c in wb[CB.ASSESSMENTS.name][1]}
    assert "задайте" in header["Вес в интегральном показателе"].comment.text


def _edit(path: Path, sheet: str, match: object, col: int, value: object, key_col: int) -> None:
    wb = openpyxl.load_workbook(path)
    row = next(r for r in wb[sheet].iter_rows(min_row=2) if r[key_col].value == match)
    row[col].value = value
    wb.save(path)


def test_a_region_edits_assessments_and_rules(tmp_path: Path, campaign: Campaign) -> None:
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _edit(path, CB.ASSESSMENTS.name, "ВПР", 9, 0.5, 0)  # weight
    _edit(path, CB.ASSESSMENTS.name, "РДР", 3, "7, 8", 0)  # grades
    _edit(path, CB.RESULTS_RULES.name, "low_share", 2, 20, 3)
    _edit(path, CB.RESULTS_RULES.name, "national_means", 2, "ЕГЭ/Русский язык/11 = 68,2", 3)
    c = read_campaign_workbook(path)
    assert c.results.assessment("ВПР").weight == 0.5  # type: ignore[union-attr]
    assert c.results.assessment("РДР").grades == [7, 8]  # type: ignore[union-attr]
    assert c.results.rules.low_share == 20
    assert c.results.rules.national() == {("ЕГЭ", "Русский язык", 11): 68.2}


@pytest.mark.parametrize(
    ("sheet", "match", "col", "key_col", "value", "expected"),
    [
        (CB.ASSESSMENTS.name, "ОГЭ", 3, 0, "9, 14", "Классы"),
        (CB.ASSESSMENTS.name, "ОГЭ", 6, 0, 1, "верх шкалы"),
        (CB.RESULTS_RULES.name, "national_means", 2, 3, "ЕГЭ = 5", "процедура/предмет/класс"),
        (CB.RESULTS_RULES.name, "months", 2, 3, "Июль", "Июль"),
        (CB.RESULTS_RULES.name, "low_share", 2, 3, 140, "ОО с низкими результатами"),
    ],
)
def test_bad_settings_refused_in_russian(
    tmp_path: Path,
    campaign: Campaign,
    sheet: str,
    match: str,
    col: int,
    key_col: int,
    value: object,
    expected: str,
) -> None:
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    _edit(path, sheet, match, col, value, key_col)
    with pytest.raises(CampaignError) as exc:
        read_campaign_workbook(path)
    assert any(expected in p for p in exc.value.problems), exc.value.problems


def test_an_older_workbook_without_the_sheets_gets_the_defaults(
    tmp_path: Path, campaign: Campaign
) -> None:
    path = write_campaign_workbook(campaign, tmp_path / "c.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb[CB.ASSESSMENTS.name]
    del wb[CB.RESULTS_RULES.name]
    wb.save(path)
    assert read_campaign_workbook(path).results == ResultsSettings()
