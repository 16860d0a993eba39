"""Контроль verified by a real spreadsheet engine: headless LibreOffice through UNO."""

from __future__ import annotations

from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.forms import sheets as F
from shkmd_xl.template.control import READY, RESULT_ROW, SCHOOLS_HEADER_ROW

from .breakers import BREAKERS
from .fills import good_fill
from .lo import run_jobs

pytestmark = pytest.mark.libreoffice
CONTROL_RANGE = "A1:R120"


def _job(template: Path, cells: list, save: Path | None = None) -> dict:
    job = {
        "open": str(template),
        "cells": [list(c) for c in cells],
        "read": [[F.CONTROL, CONTROL_RANGE]],
    }
    if save is not None:
        job["save"] = [[str(save), "xlsx"]]
    return job


@pytest.fixture(scope="module")
def lo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo")


@pytest.fixture(scope="module")
def lo_results(templates: dict[str, Path], campaign: Campaign, lo_out: Path) -> dict[str, dict]:
    """One LibreOffice session for all scenarios of this module."""
    out = lo_out
    scenarios: dict[str, dict] = {}
    for period in ("2026-04", "2026-11"):
        fill = good_fill(campaign, "SOLN", period)
        scenarios[f"good-{period}"] = _job(
            templates["SOLN"], fill.cells, out / f"good-{period}.xlsx"
        )
    broken = good_fill(campaign, "SOLN", "2026-04")
    # remove direction 4 of the third school: its event is the 6th of 10 per school
    excel_row = F.ROADMAP.first_data_row + 2 * 10 + 5 + 1
    for col in "ABCDEFGHIJKL":
        broken.drop(F.ROADMAP.name, f"{col}{excel_row}")
    scenarios["no-direction"] = _job(templates["SOLN"], broken.cells, out / "broken.xlsx")
    invalid = good_fill(campaign, "SOLN", "2026-11")
    sm = F.school_monitoring_form(campaign)
    invalid.set(sm, 0, "S02", 150)  # a percent above 100
    invalid.set(sm, 1, "S01", "много")  # text in a count
    invalid.set(F.ROADMAP, 0, "school", "СОШ № 999 (нет в реестре)")  # unknown school
    scenarios["invalid"] = _job(templates["SOLN"], invalid.cells, out / "invalid.xlsx")
    decision = good_fill(campaign, "SOLN", "2026-04")
    BREAKERS["management_decision"][1](decision)
    scenarios["decision"] = _job(templates["SOLN"], decision.cells)
    scenarios["blank"] = _job(templates["SOLN"], [])
    scenarios["generic-blank"] = _job(templates["generic"], [])
    results = run_jobs(list(scenarios.values()))
    return dict(zip(scenarios, results, strict=True))


def _control(result: dict) -> list[list[str]]:
    return result["read"][f"{F.CONTROL}!{CONTROL_RANGE}"]


def _school_rows(result: dict) -> dict[str, list[str]]:
    rows = _control(result)[SCHOOLS_HEADER_ROW + 1 :]
    out = {}
    for row in rows:
        if not row[0] or row[0].startswith("2."):
            break
        out[row[0]] = row
    return out


@pytest.mark.parametrize("period", ["2026-04", "2026-11"])
def test_complete_fill_is_ready(
    lo_results: dict[str, dict], campaign: Campaign, period: str
) -> None:
    result = lo_results[f"good-{period}"]
    assert result["errors"] == []
    control = _control(result)
    assert control[RESULT_ROW][1] == READY, control[RESULT_ROW]
    assert control[RESULT_ROW][2] == "0"
    schools = _school_rows(result)
    assert list(schools) == [s.short_name for s in campaign.schools_of("SOLN")]
    for row in schools.values():
        assert row[1] == "10"  # events
        assert row[2:8] == ["1", "1", "3", "1", "3", "1"]  # per direction
        assert row[8] == "" and row[12] == "" and row[16] == ""
        assert row[9:12] == ["1", "1", "1"] and row[13:16] == ["1", "1", "1"]
        assert row[17] == "0"


def test_missing_direction_is_named(lo_results: dict[str, dict], campaign: Campaign) -> None:
    result = lo_results["no-direction"]
    control = _control(result)
    assert control[RESULT_ROW][1] == "Не готово: 1 замечание"
    third = campaign.schools_of("SOLN")[2].short_name
    schools = _school_rows(result)
    assert schools[third][5] == "0" and schools[third][8] == "4"
    assert schools[third][17] == "1"
    others = [row for name, row in schools.items() if name != third]
    assert all(row[17] == "0" for row in others)


def test_blank_templates_show_no_errors(lo_results: dict[str, dict]) -> None:
    for key in ("blank", "generic-blank"):
        result = lo_results[key]
        assert result["errors"] == [], result["errors"][:5]
        control = _control(result)
        assert control[RESULT_ROW][1].startswith("Не готово: ")
        flat = [v for row in control for v in row]
        assert not any(v.startswith(("#", "Err:")) for v in flat)


def test_saved_file_keeps_the_verdict(lo_results: dict[str, dict], lo_out: Path) -> None:
    """What LibreOffice saved carries the recalculated verdict as the cached value."""
    import python_calamine

    assert lo_results["good-2026-04"]["errors"] == []
    saved = lo_out / "good-2026-04.xlsx"
    book = python_calamine.CalamineWorkbook.from_path(str(saved))
    rows = book.get_sheet_by_name(F.CONTROL).to_python(skip_empty_area=False)
    assert rows[RESULT_ROW][1] == READY


def test_invalid_values_are_counted_as_the_check_counts_them(
    lo_results: dict[str, dict], lo_out: Path, campaign: Campaign
) -> None:
    """A value the check refuses is not «Готово к отправке»: Контроль counts it, and its
    count equals the check's error count on the file LibreOffice saved."""
    from shkmd_xl.pipeline import check

    control = _control(lo_results["invalid"])
    report = check(lo_out / "invalid.xlsx", campaign)
    errors = [i for i in report if i.severity.ru == "ошибка"]
    assert {i.code for i in errors} and control[RESULT_ROW][1] != READY
    assert control[RESULT_ROW][2] == str(len(errors)), [(i.code, i.message) for i in errors]
    assert control[RESULT_ROW][1] == f"Не готово: {len(errors)} замечания"


def test_first_opening_shows_true_counts_at_default_settings(
    templates: dict[str, Path], lo_results: dict[str, dict]
) -> None:
    """LibreOffice as installed does not recalculate .xlsx on opening: the template's
    formulas must show their real values all the same (no Ctrl+Shift+F9 needed)."""
    opened = run_jobs(
        [
            {"open": str(templates[key]), "recalc": False, "read": [[F.CONTROL, CONTROL_RANGE]]}
            for key in ("SOLN", "generic")
        ],
        default_profile=True,
    )
    for result, recalculated in zip(
        opened, (lo_results["blank"], lo_results["generic-blank"]), strict=True
    ):
        shown, true = _control(result), _control(recalculated)
        assert shown[RESULT_ROW][2] not in ("", "0")
        assert shown == true


def test_headers_and_instructions_are_not_cut(
    templates: dict[str, Path], campaign: Campaign
) -> None:
    """Every header row and every instruction line is at least as tall as LibreOffice's
    optimal height for its wrapped text (nothing cut, nothing overlapping)."""
    from shkmd_xl.template.control import SCHOOLS_HEADER_ROW

    rows = [
        *([form.name, form.header_row] for form in F.all_forms(campaign) if form is not F.TITLE),
        [F.CONTROL, SCHOOLS_HEADER_ROW],
        *([F.INSTRUCTION, r] for r in range(4, 40)),
    ]
    (result,) = run_jobs(
        [{"open": str(templates["SOLN"]), "recalc": False, "heights": rows}],
        default_profile=True,
    )
    short = [
        (where, saved, optimal)
        for where, (saved, optimal) in zip(rows, result["heights"], strict=True)
        if saved + 30 < optimal  # 0.3 mm of rounding
    ]
    assert not short, short


def test_a_management_decision_of_direction_5_is_ready(lo_results: dict[str, dict]) -> None:
    """Контроль agrees with the check: a direction-5 row that is no catalogue event
    (a management decision) needs no target group or agreement."""
    control = _control(lo_results["decision"])
    assert control[RESULT_ROW][1] == READY, control[RESULT_ROW]
