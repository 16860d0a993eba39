"""Round trip: template -> fill as a user would -> check -> exact findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.issues import Findings
from shkmd_xl.pipeline import check

from .breakers import BREAKERS, school_typo
from .fills import fill_with_openpyxl, good_fill


def found(report: Findings) -> list[tuple[str, str]]:
    return sorted((i.code, i.location.cell) for i in report)


@pytest.mark.parametrize("period", ["2026-04", "2026-06", "2026-11"])
def test_good_fill_gives_no_findings(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path, period: str
) -> None:
    path = fill_with_openpyxl(
        templates["SOLN"], good_fill(campaign, "SOLN", period), tmp_path / "good.xlsx"
    )
    report = check(path, campaign)
    assert report.issues == [], [i.message for i in report][:5]
    assert report.valid and report.municipality == "SOLN" and report.period == period


def test_blank_template_gives_only_required_findings(
    templates: dict[str, Path], campaign: Campaign
) -> None:
    report = check(templates["SOLN"], campaign, period="2026-06")
    codes = report.by_code
    schools = len(campaign.schools_of("SOLN"))
    june_mouo = [i for i in campaign.moupo_indicators if "Июнь" in i.slots]
    june_school = [i for i in campaign.school_indicators if "II" in i.stages]
    # June carries the results (stage II): a warning per school without any (RS02)
    assert set(codes) == {"TL01", "PS01", "RM01", "MN01", "MN04", "RS02"}
    assert codes["RM01"] == codes["RS02"] == schools
    assert codes["MN01"] == len(june_mouo)
    assert codes["MN04"] == schools * len(june_school)
    assert codes["PS01"] == schools * 5
    assert {i.location.cell for i in report if i.code == "TL01"} == {"B4", "B9"}
    assert not report.valid


@pytest.mark.parametrize("name", list(BREAKERS))
def test_each_breaker_gives_exactly_its_code(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path, name: str
) -> None:
    period, breaker = BREAKERS[name]
    fill = good_fill(campaign, "SOLN", period)
    expected = breaker(fill)
    path = fill_with_openpyxl(templates["SOLN"], fill, tmp_path / f"{name}.xlsx")
    explicit = None if name == "title_period" else period
    report = check(path, campaign, period=explicit)
    assert found(report) == sorted(expected), [i.message for i in report]
    for issue in report:
        assert issue.location.file == f"{name}.xlsx"
        assert issue.location.municipality == campaign.municipality("SOLN").name
        assert "{" not in issue.message


def test_messages_name_the_place_and_the_fix(
    templates: dict[str, Path], campaign: Campaign, tmp_path: Path
) -> None:
    fill = good_fill(campaign, "SOLN", "2026-06")
    BREAKERS["unknown_school"][1](fill)
    path = fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "f.xlsx")
    (issue,) = check(path, campaign).issues
    assert issue.message.startswith("Лист «Повышение квалификации», ячейка B2:")
    school, typo = school_typo(campaign, "SOLN")
    assert f"Возможно, имелась в виду «{school}»" in issue.message
    assert issue.as_dict()["value"] == typo
