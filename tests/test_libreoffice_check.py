"""Files typed and saved by LibreOffice (.xlsx, .ods, .xls) give the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign
from shkmd_xl.pipeline import check

from .breakers import BREAKERS
from .fills import fill_with_openpyxl, good_fill
from .lo import run_jobs

pytestmark = pytest.mark.libreoffice
SCENARIOS = ["good-2026-04", "good-2026-06", "good-2026-11", *BREAKERS]
FORMATS = ("xlsx", "ods", "xls")


def _fill(campaign: Campaign, name: str):  # type: ignore[no-untyped-def]
    if name.startswith("good-"):
        return good_fill(campaign, "SOLN", name[5:]), name[5:], []
    period, breaker = BREAKERS[name]
    fill = good_fill(campaign, "SOLN", period)
    return fill, period, breaker(fill)


@pytest.fixture(scope="module")
def saved(
    templates: dict[str, Path], campaign: Campaign, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every scenario typed through UNO and saved as .xlsx, .ods, .xls (one session)."""
    out = tmp_path_factory.mktemp("lo-check")
    jobs = []
    for name in SCENARIOS:
        fill, _, _ = _fill(campaign, name)
        jobs.append(
            {
                "open": str(templates["SOLN"]),
                "cells": [list(c) for c in fill.cells],
                "save": [[str(out / f"{name}.xlsx"), "xlsx"], [str(out / f"{name}.ods"), "ods"]],
            }
        )
    run_jobs(jobs)
    return out


def _found(path: Path, campaign: Campaign, period: str | None) -> list[tuple[str, str]]:
    return sorted((i.code, i.location.cell) for i in check(path, campaign, period))


@pytest.mark.parametrize("name", SCENARIOS)
def test_libreoffice_files_give_the_same_findings(
    saved: Path, templates: dict[str, Path], campaign: Campaign, tmp_path: Path, name: str
) -> None:
    fill, period, expected = _fill(campaign, name)
    explicit = None if name == "title_period" else period
    by_openpyxl = _found(
        fill_with_openpyxl(templates["SOLN"], fill, tmp_path / "o.xlsx"), campaign, explicit
    )
    assert by_openpyxl == sorted(expected)
    assert _found(saved / f"{name}.xlsx", campaign, explicit) == by_openpyxl
    assert _found(saved / f"{name}.ods", campaign, explicit) == sorted(
        [*by_openpyxl, ("SUB10", "")]
    )
