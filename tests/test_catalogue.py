"""The message catalogue and the code catalogue stay complete."""

from __future__ import annotations

import re

from shkmd_xl.campaign import Campaign
from shkmd_xl.issues import CODES, Issue, Location
from shkmd_xl.messages import catalogue, data, placeholders, render
from shkmd_xl.reader.book import EMITS as READER_EMITS
from shkmd_xl.rules import emitted_codes

from .breakers import BREAKERS
from .fills import good_fill

#: Codes asserted by the file-level tests (test_check_files.py, test_libreoffice_check.py).
#: The reader's own SUB codes (SUB14: tests/test_collect_odd.py) and identification's.
FILE_LEVEL = {c for c in READER_EMITS if c.startswith("SUB")} | {"SUB02", "SUB03", "SUB04"}
#: Codes of the collect issue (history, several municipalities, e-mail): not per workbook.
LATER = {"SUB05", "SUB06", "SUB07", "MN06", "MN07", "RM13", "GP01", "GP02", "DEC01", "RS08", "ML01"}


def test_every_template_renders() -> None:
    for key in catalogue():
        params = {name: f"<{name}>" for name in placeholders(key)}
        text = render(key, **params)
        assert "{" not in text and "}" not in text, key
        assert re.search("[а-яА-Я]", text), key


def test_one_declaration_per_code() -> None:
    """Each finding code is declared once, in the catalogue's «findings»: a severity,
    a title, a message (or variants, each with a message); ``issues.CODES`` is read from
    it. Fragments belong to a code or are shared parts; texts are not findings."""
    findings = data()["findings"]
    assert list(CODES) == list(findings)
    for code, entry in findings.items():
        assert set(entry) <= {"severity", "title", "message", "variants", "beyond_control"}, code
        assert entry["severity"] in {"error", "warning", "info"}, code
        assert re.search("[а-я]", entry["title"]), code
        assert "message" in entry or entry.get("variants"), code
        for name, variant in entry.get("variants", {}).items():
            assert set(variant) <= {"message", "beyond_control"} and "message" in variant, name
    for key in data()["fragments"]:
        prefix = key.split(".")[0]
        assert prefix in CODES or "." not in key, key
    for key in data()["texts"]:
        assert key.split(".")[0] in (
            "brief",
            "campaign",
            "cli",
            "clusters",
            "decide",
            "excel",
            "expertise",
            "federal",
            "figures",
            "intake",
            "letter",
            "mail",
            "results",
            "target",
        ), key


def test_issue_message_has_place_problem_and_fix() -> None:
    issue = Issue(
        "RM02",
        Location(file="f.xlsx", sheet="Дорожные карты", school="СОШ № 1"),
        params={"school": "СОШ № 1", "direction": 4},
    )
    assert issue.message.startswith("Лист «Дорожные карты»")
    assert "направления 4" in issue.message and "Добавьте" in issue.message


def test_every_per_workbook_code_is_emitted_by_a_test(campaign: Campaign) -> None:
    by_breakers = set()
    for period, breaker in BREAKERS.values():
        by_breakers |= {code for code, _ in breaker(good_fill(campaign, "SOLN", period))}
    covered = by_breakers | FILE_LEVEL | {"TL01", "PS01", "RM01", "MN01", "MN04"}
    assert emitted_codes() - covered == set()
    assert set(CODES) - emitted_codes() == LATER


def test_every_code_is_declared_by_a_check() -> None:
    """Per-workbook rules and the reader, and the region's checks across files, declare
    every code of the catalogue between them (GP02, a municipality's summary line, is a
    code of the letters' wording only)."""
    from shkmd_xl.consolidate import regional_codes

    assert regional_codes() == LATER - {"GP02"} | {"SUB09"}
    assert emitted_codes() | regional_codes() | {"GP02"} == set(CODES)


def test_every_error_has_a_control_twin_or_a_reason(campaign: Campaign) -> None:
    """An error the check finds in a workbook is counted by its «Контроль» — proven for
    each code by a breaker that tests/test_excel_rules.py recalculates under Excel's
    and LibreOffice's rules — or declared beyond it with the reason (BEYOND_CONTROL).
    A new rule with neither fails here, before a user sees «Готово» beside an error."""
    from shkmd_xl.issues import BEYOND_CONTROL, Severity

    errors = {c for c in emitted_codes() if CODES[c].severity is Severity.ERROR}
    proven = set()
    for period, breaker in BREAKERS.values():
        proven |= {code for code, _ in breaker(good_fill(campaign, "SOLN", period))}
    declared = {key.split(".")[0] for key in BEYOND_CONTROL}
    assert errors - proven - declared == set()
    assert all(len(reason) > 20 for reason in BEYOND_CONTROL.values())
