from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from shkmd_xl.campaign import Campaign, default_campaign
from shkmd_xl.template.workbook import write_municipal_workbook

GENERATED_AT = dt.datetime(2026, 3, 1, 9, 0, 0)


#: Session fixtures that cost minutes: the modules using one run on one test worker.
SHARED = ("lo_saved", "demo_run")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With pytest-xdist (``-n 2 --dist loadgroup``): a module's tests run on one worker,
    so its module fixtures are built once; modules sharing a costly session fixture
    (``SHARED``) run on the same worker, so it too is built once. Without xdist: no effect."""
    by_module: dict[str, str] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        used = set(getattr(item, "fixturenames", ()))
        shared = next((name for name in SHARED if name in used), None)
        if shared or module not in by_module:
            by_module[module] = shared or by_module.get(module, module)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(by_module[item.nodeid.split("::")[0]]))


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return default_campaign()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> dict[str, Path]:
    """Personalised template of SOLN and D01, and the generic template."""
    out = tmp_path_factory.mktemp("templates")
    paths = {
        code: write_municipal_workbook(campaign, code, out / f"{code}.xlsx", GENERATED_AT)
        for code in ("SOLN", "D01")
    }
    paths["generic"] = write_municipal_workbook(campaign, None, out / "generic.xlsx", GENERATED_AT)
    return paths


@pytest.fixture(scope="session")
def soln_report(
    templates: dict[str, Path], campaign: Campaign, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A complete, correct June report of SOLN typed into its template with openpyxl."""
    from .fills import fill_with_openpyxl, good_fill

    path = tmp_path_factory.mktemp("rep") / "r.xlsx"
    return fill_with_openpyxl(templates["SOLN"], good_fill(campaign, "SOLN", "2026-06"), path)


@pytest.fixture(scope="session")
def lo_saved(
    templates: dict[str, Path], campaign: Campaign, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every scenario of breakers.SCENARIOS typed into SOLN's template through UNO and
    saved by LibreOffice as NAME.xlsx and NAME.ods (one LibreOffice session)."""
    from .breakers import SCENARIOS, scenario_fill
    from .lo import run_jobs

    out = tmp_path_factory.mktemp("lo-saved")
    jobs = []
    for name in SCENARIOS:
        fill, _, _ = scenario_fill(campaign, name)
        jobs.append(
            {
                "open": str(templates["SOLN"]),
                "cells": [list(c) for c in fill.cells],
                "save": [[str(out / f"{name}.xlsx"), "xlsx"], [str(out / f"{name}.ods"), "ods"]],
            }
        )
    run_jobs(jobs)
    return out


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The whole demo as a user runs it (``shkmd-xl demo --out``), once per session:
    its folder and what it printed. Tests read it and write nowhere inside it."""
    from .clirun import run_cli

    out = tmp_path_factory.mktemp("demo-run") / "demo"
    done = run_cli("demo", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out, done.stdout


# xlwings' remote engine needs a licence key; «noncommercial» is permitted for
# educational and government institutions. Set for the tests only.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.fixture(scope="session")
def mail_servers():  # type: ignore[no-untyped-def]
    """Dovecot (IMAP) and aiosmtpd (SMTP) on loopback ports for the whole session; each
    test makes its own users (tests.mailserver)."""
    from .mailserver import running_servers

    with running_servers() as servers:
        yield servers
        if os.environ.get("SHKMD_MAIL_LOG"):
            print(servers.log())
