from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

import pytest

from shkmd_xl.campaign import Campaign, default_campaign
from shkmd_xl.template.workbook import write_municipal_workbook

GENERATED_AT = dt.datetime(2026, 3, 1, 9, 0, 0)


#: Session fixtures that cost minutes: the modules using one run on one test worker.
SHARED = ("lo_saved", "demo_run")


def _group(nodeid: str) -> str:
    """The worker group of a test: its module, or the costly session fixture its module
    uses (a module using one of ``SHARED`` names it in its source, as a test argument)."""
    module = nodeid.split("::")[0]
    return _module_groups().get(module, module)


@functools.cache
def _module_groups() -> dict[str, str]:
    here = Path(__file__).parent
    groups = {}
    for path in sorted(here.glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        shared = next((name for name in SHARED if name in source), None)
        if shared:
            groups[f"{here.name}/{path.name}"] = shared
    return groups


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With pytest-xdist (``-n 2 --dist loadgroup``): a module's tests run on one worker,
    so its module fixtures are built once; modules sharing a costly session fixture run
    on the same worker, so it too is built once.

    Our own scheduler rather than ``xdist_group`` marks: with pytest ≥ 9.2 xdist 3.8
    can no longer rename a test's id to carry its group (``item._nodeid``), so the marks
    were ignored and both workers built the Excel-rules evaluation, the LibreOffice
    copies and the demo (found in a slow CI run, 2026-12-02)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return _group(nodeid)

    return ModuleGroups(config, log)


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
