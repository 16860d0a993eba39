"""Files typed and saved by LibreOffice (.xlsx, .ods, .xls) give the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.pipeline import check

from .breakers import SCENARIOS, scenario_fill
from .fills import fill_with_openpyxl

pytestmark = pytest.mark.libreoffice
FORMATS = ("xlsx", "ods", "xls")


def _found(path: Path, campaign: Campaign, period: str | None) -> list[tuple[str, str]]:
    return sorted((i.code, i.location.cell) for i in check(path, campaign, period))


@pytest.mark.parametrize("name", SCENARIOS)
def test_libreoffice_files_give_the_same_findings(
    lo_saved: Path, templates: dict[str, Path], campaign: Campaign, tmp_path: Path, name: str
) -> None:
    saved = lo_saved
    fill, period, expected = scenario_fill(campaign, name)
    explicit = None if name == "title_period" else period
    by_openpyxl = _found(
        fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "o.xlsx"), campaign, explicit
    )
    assert by_openpyxl == sorted(expected)
    assert _found(saved / f"{name}.xlsx", campaign, explicit) == by_openpyxl
    assert _found(saved / f"{name}.ods", campaign, explicit) == sorted(
        [*by_openpyxl, ("SUB10", "")]
    )
